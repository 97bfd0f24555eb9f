/* While a verification of the chain waits or runs in the task worker, the auditor's page
   asks the server again every few seconds and reloads once the answer is there. Only
   loaded while one is pending (audit/log.html). */
(function () {
  "use strict";
  var every = 3000;
  function check() {
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        if (html.indexOf("data-verification-pending") === -1) {
          window.location.reload();
        } else {
          window.setTimeout(check, every);
        }
      })
      .catch(function () { window.setTimeout(check, every * 2); });
  }
  window.setTimeout(check, every);
})();
