// While a background export runs, reload its page every two seconds so the progress bar moves.
(function () {
  "use strict";
  if (document.querySelector("progress[data-running]")) {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
