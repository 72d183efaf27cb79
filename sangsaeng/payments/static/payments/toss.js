// Opens Toss Payments' card window (SDK v2) for the pending payment on the checkout page.
// The server confirms on the success redirect, after checking the amount against the order.
(function () {
  var button = document.getElementById("toss-pay");
  if (!button || typeof window.TossPayments !== "function") return;
  button.addEventListener("click", function () {
    var d = button.dataset;
    var payment = window.TossPayments(d.clientKey).payment({ customerKey: d.customerKey });
    payment.requestPayment({
      method: "CARD",
      amount: { currency: "KRW", value: parseInt(d.amount, 10) },
      orderId: d.orderId,
      orderName: d.orderName,
      successUrl: d.successUrl,
      failUrl: d.failUrl,
    });
  });
})();
