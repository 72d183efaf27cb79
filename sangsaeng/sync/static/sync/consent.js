// "전체 동의": one tap ticks every item, term and the channel opt-in; unticking any clears it.
(function () {
  const all = document.querySelector("[data-consent-all]");
  if (!all) return;
  const boxes = Array.from(document.querySelectorAll("[data-consent-form] input[type=checkbox]:not([data-consent-all])"));
  all.hidden = false;
  const input = all.querySelector("input");
  const sync = () => { input.checked = boxes.every((box) => box.checked); };
  input.addEventListener("change", () => { boxes.forEach((box) => { box.checked = input.checked; }); });
  boxes.forEach((box) => box.addEventListener("change", sync));
  sync();
})();
