// Autocomplete for the search box: asks /api/v1/search/suggest as the person types (debounced),
// shows the titles it may open with the typed part marked, and lets arrows + Enter pick one.
(function () {
  "use strict";
  const input = document.querySelector("[data-suggest-url]");
  const list = document.getElementById("search-suggest");
  if (!input || !list) return;
  let timer = null;
  let active = -1;
  let controller = null;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    active = -1;
    input.setAttribute("aria-expanded", "false");
  }

  function render(items) {
    list.replaceChildren();
    items.forEach(function (item, index) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.dataset.testid = "suggestion";
      li.id = "suggest-" + index;
      const a = document.createElement("a");
      a.href = item.url || "?q=" + encodeURIComponent(item.text);
      // `html` is escaped by the server; only <mark> is added around the matched part.
      const template = document.createElement("template");
      template.innerHTML = item.html;
      a.append(template.content);
      li.append(a);
      list.append(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  async function fetchSuggestions() {
    const q = input.value.trim();
    if (!q) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    try {
      const url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(q);
      const answer = await fetch(url, { credentials: "same-origin", signal: controller.signal, headers: { Accept: "application/json" } });
      if (!answer.ok) { close(); return; }
      render(await answer.json());
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  function move(step) {
    const options = list.querySelectorAll("li");
    if (!options.length) return;
    if (active >= 0) options[active].classList.remove("active");
    active = (active + step + options.length) % options.length;
    options[active].classList.add("active");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.setAttribute("aria-expanded", "false");
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      list.querySelectorAll("li a")[active].click();
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) close();
  });
})();
