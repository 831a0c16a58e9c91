// Initialises GOV.UK Frontend and MOJ Frontend components. Every page works without this file:
// it only enhances (menu toggle, error summary focus, sortable tables, filter toggle, typeahead).
import { initAll as initGovuk } from "./vendor/govuk-frontend.min.js";
import { initAll as initMoj } from "./vendor/moj-frontend.min.js";

initGovuk();
initMoj();

// The typeahead's script loads only on a page with a long filter list.
if (document.querySelector("select[data-typeahead]")) {
  import("./typeahead.mjs");
}
