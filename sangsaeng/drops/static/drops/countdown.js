// Countdowns to a drop's opening (or an auction's end): every element with data-target (ISO time).
// With data-reload, the page reloads when the moment comes, so the buy button appears.
(function () {
  "use strict";
  var ko = (document.documentElement.lang || "ko").indexOf("en") !== 0;
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function render(ms) {
    if (ms <= 0) { return ko ? "지금 열림" : "Open now"; }
    var s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    var m = Math.floor((s % 3600) / 60), sec = s % 60;
    var clock = pad(h) + ":" + pad(m) + ":" + pad(sec);
    return d > 0 ? (ko ? d + "일 " : d + "d ") + clock : clock;
  }
  function tick() {
    var nodes = document.querySelectorAll(".countdown[data-target]");
    var now = Date.now();
    nodes.forEach(function (node) {
      var ms = Date.parse(node.getAttribute("data-target")) - now;
      node.textContent = render(ms);
      if (ms <= 0 && node.hasAttribute("data-reload") && !node.dataset.reloaded) {
        node.dataset.reloaded = "1";
        setTimeout(function () { window.location.reload(); }, 400);
      }
    });
  }
  tick();
  setInterval(tick, 1000);
})();
