// Keeps a progress message up to date without reloading the page (which would move the reader's
// place and repeat the whole page to a screen reader): every few seconds it fetches the page again
// and puts the message's new text in place, where role="status" reads it out politely. When the
// page no longer has the message (the work has finished), it loads the page to show the result.
// Without JavaScript the page offers a "Refresh this page" link instead.
const region = document.querySelector("[data-progress-refresh]");

if (region) {
  const every = 1000 * Number(region.dataset.progressRefresh || 3);
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (response.ok) {
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        const next = page.querySelector("[data-progress-refresh]");
        if (!next) {
          window.location.reload();
          return;
        }
        if (next.innerHTML !== region.innerHTML) {
          region.innerHTML = next.innerHTML;
        }
      }
    } catch {
      // The server did not answer this time: try again at the next interval.
    }
    window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
