/* DX self-assessment: save each answer as soon as it changes (CSP-safe, no inline code).
   Without this file the page still works: "Save" posts the whole part.
   Saves go one at a time (the live-server SQLite of the tests refuses two writes at once). */
(function () {
  "use strict";
  var form = document.getElementById("dx-form");
  if (!form || !window.fetch || !window.FormData) { return; }
  var url = form.getAttribute("data-autosave");
  var version = form.getAttribute("data-version");
  var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
  var queue = [];
  var busy = false;

  function status(fieldset, text, isError) {
    var el = fieldset.querySelector(".dx-status");
    if (!el) { return; }
    el.textContent = text;
    el.classList.toggle("is-error", !!isError);
  }

  function leftText(n) {
    var left = document.getElementById("dx-left");
    if (!left) { return; }
    left.textContent = n === 1 ? form.getAttribute("data-left-one")
      : form.getAttribute("data-left-many").replace("{n}", String(n));
  }

  function payload(fieldset) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", tokenInput ? tokenInput.value : "");
    data.append("question", fieldset.getAttribute("data-question"));
    data.append("version", version);
    var inputs = fieldset.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (!input.name) { continue; }
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { continue; }
      data.append(input.name, input.value);
    }
    return data;
  }

  function next() {
    if (busy || !queue.length) { return; }
    busy = true;
    var fieldset = queue.shift();
    status(fieldset, form.getAttribute("data-saving"), false);
    fetch(url, {
      method: "POST",
      body: payload(fieldset),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        status(fieldset, "✓ " + form.getAttribute("data-saved"), false);
        fieldset.classList.remove("field--error");
        if (typeof result.body.missing === "number") { leftText(result.body.missing); }
      } else {
        status(fieldset, result.body.message || "", true);
        fieldset.classList.add("field--error");
      }
    }).catch(function () {
      status(fieldset, form.getAttribute("data-offline"), true);
    }).then(function () {
      busy = false;
      next();
    });
  }

  function schedule(fieldset) {
    if (queue.indexOf(fieldset) === -1) { queue.push(fieldset); }
    next();
  }

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest ? event.target.closest("fieldset[data-question]") : null;
    if (fieldset) { schedule(fieldset); }
  });
})();
