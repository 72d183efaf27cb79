// CSV batch issuance: upload with a progress bar, then show every bad row by line number.
(function () {
  "use strict";
  var form = document.getElementById("batch-form");
  if (!form) { return; }
  var bar = document.getElementById("batch-progress");
  var status = document.getElementById("batch-status");
  var errors = document.getElementById("batch-errors");
  var ko = (document.documentElement.lang || "ko").indexOf("en") !== 0;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    errors.textContent = "";
    bar.hidden = false;
    bar.value = 0;
    status.textContent = ko ? "올리는 중…" : "Uploading…";
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 90); }
    });
    xhr.upload.addEventListener("load", function () {
      status.textContent = ko ? "검증하고 발행하는 중…" : "Validating and issuing…";
    });
    xhr.addEventListener("load", function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = {}; }
      if (xhr.status === 200) {
        bar.value = 100;
        status.textContent = (ko ? "발행 완료: " : "Issued: ") + body.issued;
        window.location.assign(body.next);
        return;
      }
      bar.hidden = true;
      status.textContent = ko ? (body.message_ko || "발행하지 못했습니다.") : (body.message_en || "Nothing was issued.");
      (body.errors || []).forEach(function (row) {
        var li = document.createElement("li");
        li.textContent = (ko ? row.line + "행 " : "line " + row.line + ": ") + row.field + " — " + (ko ? row.message_ko : row.message_en);
        errors.appendChild(li);
      });
    });
    xhr.addEventListener("error", function () {
      bar.hidden = true;
      status.textContent = ko ? "연결이 끊겼습니다. 다시 시도하세요." : "The connection failed. Try again.";
    });
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.send(new FormData(form));
  });
})();
