// Long filter lists (a <select> the server marks data-typeahead: more than 20 choices) become
// GOV.UK's accessible-autocomplete typeahead. Without JavaScript the <select> works as it is;
// with it, the <select> stays in the form, hidden, and carries the chosen value when it is sent.
import "./vendor/accessible-autocomplete.min.js";

const { accessibleAutocomplete } = window;

function enhance(select) {
  const options = Array.from(select.options);
  const id = select.id;
  const byLabel = (label) => options.find((option) => option.textContent.trim() === (label || "").trim());
  accessibleAutocomplete.enhanceSelectElement({
    selectElement: select,
    // Nothing chosen ("Any") shows an empty box, not the word "Any" to delete first.
    defaultValue: "",
    // Suggestions only once something is typed: an emptied box shows no list over the buttons.
    showAllValues: false,
    // Leaving the box keeps what it says (an emptied box is "Any"), not the option last highlighted.
    confirmOnBlur: false,
    onConfirm: (label) => {
      const option = byLabel(label);
      if (option) select.value = option.value;
    },
  });
  // Clearing the box means "Any"; a label typed in full counts as chosen. The box takes the
  // select's id (the select becomes "<id>-select"), so the label still names it.
  select.form?.addEventListener("submit", () => {
    const input = document.getElementById(id);
    if (!input || input === select) return;
    if (!input.value.trim()) {
      select.value = "";
      return;
    }
    const option = byLabel(input.value);
    if (option) select.value = option.value;
  });
}

document.querySelectorAll("select[data-typeahead]").forEach(enhance);
