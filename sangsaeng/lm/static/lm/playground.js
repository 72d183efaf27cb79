// The playground: POST the prompt, read the server-sent events as they arrive, append the text.
(function () {
  "use strict";
  const form = document.getElementById("lm-playground");
  if (!form) return;
  const output = document.getElementById("lm-output");
  const status = document.getElementById("lm-status");
  const stopButton = document.getElementById("lm-stop");
  const runButton = form.querySelector("button[type=submit]");
  let controller = null;

  function value(name) {
    const el = form.elements[name];
    return el ? el.value : "";
  }

  function body() {
    const mode = form.querySelector("input[name=mode]:checked").value;
    const data = {
      mode: mode,
      model: form.dataset.model,
      max_tokens: parseInt(value("max_tokens"), 10) || 48,
      temperature: parseFloat(value("temperature")),
      top_p: parseFloat(value("top_p")),
    };
    if (value("seed") !== "") data.seed = parseInt(value("seed"), 10);
    if (mode === "chat") {
      data.messages = [];
      if (value("system").trim()) data.messages.push({ role: "system", content: value("system") });
      data.messages.push({ role: "user", content: value("prompt") });
    } else {
      data.prompt = value("prompt");
    }
    return data;
  }

  function handle(event) {
    if (event === "[DONE]") return true;
    const chunk = JSON.parse(event);
    if (chunk.error) {
      status.textContent = chunk.error.message;
      return true;
    }
    const choice = chunk.choices && chunk.choices[0];
    if (!choice) return false;
    const text = choice.delta ? choice.delta.content : choice.text;
    if (text) output.textContent += text;
    if (choice.finish_reason) status.dataset.finish = choice.finish_reason;
    return false;
  }

  async function run(e) {
    e.preventDefault();
    output.textContent = "";
    status.textContent = "…";
    delete status.dataset.finish;
    delete status.dataset.state;
    controller = new AbortController();
    runButton.disabled = true;
    stopButton.disabled = false;
    const started = performance.now();
    try {
      const response = await fetch(form.dataset.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": value("csrfmiddlewaretoken") },
        body: JSON.stringify(body()),
        signal: controller.signal,
        credentials: "same-origin",
      });
      if (!response.ok) {
        const error = await response.json().catch(() => ({}));
        status.textContent = (error.error && error.error.message) || response.statusText;
        status.dataset.state = "error";
        return;
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      let done = false;
      while (!done) {
        const part = await reader.read();
        if (part.done) break;
        buffer += decoder.decode(part.value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf("\n\n")) !== -1) {
          const line = buffer.slice(0, cut).trim();
          buffer = buffer.slice(cut + 2);
          if (line.startsWith("data:") && handle(line.slice(5).trim())) done = true;
        }
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      status.textContent = (status.dataset.finish || "stop") + " · " + seconds + " s";
      status.dataset.state = "done";
    } catch (err) {
      status.textContent = err.name === "AbortError" ? "중지됨 · stopped" : String(err);
      status.dataset.state = "error";
    } finally {
      runButton.disabled = false;
      stopButton.disabled = true;
      controller = null;
    }
  }

  form.addEventListener("submit", run);
  stopButton.addEventListener("click", function () {
    if (controller) controller.abort();
  });
})();
