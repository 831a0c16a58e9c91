// Runs at the top of <body> (a classic script, so before first paint): GOV.UK Frontend styles
// its components differently once it knows JavaScript runs. A file, not inline: strict CSP.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
