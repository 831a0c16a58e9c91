// Refreshes an Excel export's progress in place while the worker writes it. Without this file
// the page's "Refresh" link does the same. Only the status region changes, and it is a polite
// live region, so a screen reader hears the new figures without losing its place.
const REFRESH_EVERY = 3000;
const region = document.getElementById("export-progress");

async function refresh() {
  try {
    const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.getElementById("export-progress");
    if (!fresh) return;
    region.innerHTML = fresh.innerHTML;
    if (fresh.dataset.exportPending) {
      window.setTimeout(refresh, REFRESH_EVERY);
    } else {
      delete region.dataset.exportPending;
    }
  } catch {
    // Offline or the server is restarting: the Refresh link still works.
  }
}

if (region && region.dataset.exportPending) {
  window.setTimeout(refresh, REFRESH_EVERY);
}
