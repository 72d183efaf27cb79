// The waiting room: resubmit the same purchase (same Idempotency key) after Retry-After seconds.
(function () {
  "use strict";
  var form = document.getElementById("retry");
  if (!form) { return; }
  var wait = parseInt(form.getAttribute("data-retry-after") || "1", 10);
  var jitter = Math.random() * 700;
  setTimeout(function () { form.submit(); }, Math.max(1, wait) * 1000 + jitter);
})();
