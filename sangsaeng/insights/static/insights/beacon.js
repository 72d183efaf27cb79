/* First-party page-view beacon: no cookies, no third parties. A random per-tab session id lives in
   sessionStorage; the page path and the partner (data-partner on this script tag) go to our server. */
(function () {
  "use strict";
  var me = document.currentScript;
  var partner = me && me.getAttribute("data-partner");
  if (!partner || !navigator.sendBeacon) { return; }
  var key = "sangsaeng-insights-session", session;
  try {
    // a server-rendered page passes its own pseudonymous session id, so page views and server
    // events (cart, checkout) of one visit count as one session
    session = me.getAttribute("data-session") || sessionStorage.getItem(key);
    if (!session) {
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      session = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      sessionStorage.setItem(key, session);
    }
  } catch (e) { return; }
  var body = JSON.stringify({ partner: partner, path: location.pathname, session: session, ts: Date.now() });
  navigator.sendBeacon(me.getAttribute("data-endpoint") || "/api/v1/insights/beacon", new Blob([body], { type: "application/json" }));
}());
