// Copies the GOV.UK Frontend and MOJ Frontend files the pages use into static/, so running
// the service needs no npm. Deliberately skips GOV.UK's crown, crest and GDS Transport fonts:
// they are for GOV.UK domains only.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const govuk = "node_modules/govuk-frontend/dist/govuk";
const moj = "node_modules/@ministryofjustice/frontend/moj";
const autocomplete = "node_modules/accessible-autocomplete/dist";

const files = {
  [`${govuk}/govuk-frontend.min.js`]: "static/js/vendor/govuk-frontend.min.js",
  [`${moj}/moj-frontend.min.js`]: "static/js/vendor/moj-frontend.min.js",
  [`${moj}/assets/images/icon-close-cross-black.svg`]: "static/images/icon-close-cross-black.svg",
  [`${moj}/assets/images/icon-document.svg`]: "static/images/icon-document.svg",
  [`${moj}/assets/images/icon-tag-remove-cross.svg`]: "static/images/icon-tag-remove-cross.svg",
  [`${moj}/assets/images/icon-tag-remove-cross-white.svg`]: "static/images/icon-tag-remove-cross-white.svg",
  [`${moj}/assets/images/icon-toggle-plus-minus.svg`]: "static/images/icon-toggle-plus-minus.svg",
  // GOV.UK's typeahead for long filter lists (static/js/autocomplete.mjs enhances the <select>).
  [`${autocomplete}/accessible-autocomplete.min.js`]: "static/js/vendor/accessible-autocomplete.min.js",
  [`${autocomplete}/accessible-autocomplete.min.css`]: "static/css/accessible-autocomplete.min.css",
};

for (const [from, to] of Object.entries(files)) {
  mkdirSync(dirname(to), { recursive: true });
  if (to.endsWith(".js")) {
    // The source maps stay in node_modules: drop the comment so browsers do not ask for them.
    writeFileSync(to, readFileSync(from, "utf8").replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n"));
  } else if (to.endsWith(".css")) {
    writeFileSync(to, readFileSync(from, "utf8").replace(/\n?\/\*# sourceMappingURL=\S+\s*\*\/\s*$/, "\n"));
  } else {
    copyFileSync(from, to);
  }
  console.log(`${from} -> ${to}`);
}
