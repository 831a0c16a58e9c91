// Keeps a progress message up to date without reloading the page (which would move the reader's
// place and repeat the whole page to a screen reader): every few seconds it fetches the page again
// and puts the message's new text in place, where role="status" reads it out politely.
// Used by the response import, the paper's PDF and the Excel export pages.
//
// The message is the element marked data-progress-refresh="<seconds>". On the page fetched again:
// - the same element (found by its id, or by the attribute when it has none) still marked: the work
//   goes on; its new text goes in place and the page is fetched again later;
// - the element there but no longer marked: the work has finished and the element says how; its
//   text goes in place and the fetching stops;
// - no such element: the page now looks different (a result elsewhere on it): the page is loaded.
// Without JavaScript each page offers a "Refresh this page" link instead.
const MARK = "data-progress-refresh";
const region = document.querySelector(`[${MARK}]`);

if (region) {
  const every = 1000 * Number(region.getAttribute(MARK) || 3);
  const find = (page) => (region.id ? page.getElementById(region.id) : page.querySelector(`[${MARK}]`));
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = find(page);
        if (!next) {
          window.location.reload();
          return;
        }
        if (next.innerHTML !== region.innerHTML) {
          region.innerHTML = next.innerHTML;
        }
        if (!next.hasAttribute(MARK)) {
          region.removeAttribute(MARK);
          return;
        }
      }
    } catch {
      // The server did not answer this time: try again at the next interval.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
