// sangsaeng web shell: live notifications over WebSockets, toasts. No inline script (CSP).
(function () {
  "use strict";
  function toast(text, kind) {
    var box = document.getElementById("live-toasts");
    if (!box) return;
    var el = document.createElement("div");
    el.className = "toast " + (kind || "");
    el.textContent = text;
    box.appendChild(el);
    setTimeout(function () { el.remove(); }, 6000);
  }
  window.sangsaeng = { toast: toast };

  function connect(attempt) {
    var body = document.body;
    if (body.dataset.signedIn !== "1" || !body.dataset.wsUrl || !("WebSocket" in window)) return;
    var ws;
    try { ws = new WebSocket(body.dataset.wsUrl); } catch (e) { return; }
    ws.onmessage = function (msg) {
      var payload;
      try { payload = JSON.parse(msg.data); } catch (e) { return; }
      document.dispatchEvent(new CustomEvent("sangsaeng:" + payload.event, { detail: payload.data }));
      if (payload.data && payload.data.message) toast(payload.data.message);
    };
    ws.onclose = function (ev) {
      if (ev.code === 4401 || attempt > 6) return;
      setTimeout(function () { connect(attempt + 1); }, Math.min(30000, 1000 * Math.pow(2, attempt)));
    };
  }
  document.addEventListener("DOMContentLoaded", function () {
    connect(0);
    document.querySelectorAll(".toasts:not(.live) .toast").forEach(function (el) {
      setTimeout(function () { el.remove(); }, 8000);
    });
  });
})();
