// After a failed submit, the focus moves to the error summary (or the alert that says what went wrong), so that
// keyboard and screen-reader users start where the page tells them what to fix. Without JavaScript the summary
// still stands first in the page.
(function () {
  "use strict";
  var summary = document.getElementById("fehler") || document.querySelector("main .kern-alert--danger");
  if (!summary) {
    return;
  }
  if (!summary.hasAttribute("tabindex")) {
    summary.setAttribute("tabindex", "-1");
  }
  summary.focus();
})();
