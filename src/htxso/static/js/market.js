// Market pages — progressive enhancement only (the CSP forbids inline JS).
//
// Copy buttons on the payment details: a buyer who orders on a phone cannot scan the
// QR on that phone's own screen, so they paste the account, amount and note into their
// banking app.  navigator.clipboard needs a secure context; elsewhere (or when it is
// refused) the text is selected so the phone's own "Copy" menu takes it.
(function () {
  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function fallback(button, text) {
    var target = document.getElementById(button.getAttribute("aria-describedby") || "");
    if (target) { selectText(target); }
    var ok = false;
    try {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "sr-only";
      document.body.appendChild(area);
      area.select();
      ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (target) { selectText(target); }
    } catch (e) { ok = false; }
    return ok;
  }

  function done(button) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = button.dataset.copied || "✓";
    button.classList.add("is-copied");
    window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("is-copied");
    }, 2000);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-copy]") : null;
    if (!button) { return; }
    var text = button.dataset.copy;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { done(button); },
        function () { if (fallback(button, text)) { done(button); } }
      );
    } else if (fallback(button, text)) {
      done(button);
    }
  });
})();

// Cart quantities: the cart form saves itself through htmx when a quantity changes
// (hx-post, hx-trigger="change").  A classic submit of the same form (Enter in a
// quantity, "Continue to checkout") must never run at the same moment as that save:
// two writes of the same line at once could fail on a busy database.  So:
// - Enter in a quantity saves through htmx alone (no classic submit);
// - pressing a submit button cancels the htmx save its own blur would start (the classic
//   submit carries every quantity anyway);
// - a classic submit that still meets a save on its way waits for it, then goes on
//   with the refreshed form.
// Without htmx (or JavaScript) the form simply submits.
(function () {
  var busy = {};
  var waiting = {};
  var pressing = null;

  function htmxForm(el) {
    return el && el.closest ? el.closest("form[hx-post][id]") : null;
  }
  function ownerForm(el) {
    return el && el.form && el.form.matches("form[hx-post][id]") ? el.form : null;
  }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !window.htmx || input.tagName !== "INPUT") { return; }
    if (input.type === "submit" || !htmxForm(input)) { return; }
    event.preventDefault();
    if (input.value !== input.defaultValue) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  document.addEventListener("pointerdown", function (event) {
    var button = event.target.closest ? event.target.closest("button[type=submit]") : null;
    var form = ownerForm(button);
    if (!form) { return; }
    pressing = form.id;
    window.setTimeout(function () { pressing = null; }, 1500);
  }, true);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = htmxForm(event.detail && event.detail.elt);
    if (!form) { return; }
    if (pressing === form.id) { event.preventDefault(); return; }
    busy[form.id] = true;
  });

  function settled(event) {
    Object.keys(busy).forEach(function (id) {
      delete busy[id];
      var pending = waiting[id];
      delete waiting[id];
      var fresh = document.getElementById(id);
      if (!pending || !fresh) { return; }
      var button = null;
      if (pending.name) {  // form.elements includes buttons outside it (form="…")
        Array.prototype.forEach.call(fresh.elements, function (el) {
          if (el.name === pending.name && el.value === pending.value) { button = el; }
        });
      }
      if (fresh.requestSubmit) { fresh.requestSubmit(button || undefined); } else { fresh.submit(); }
    });
  }
  document.addEventListener("htmx:afterSettle", settled);
  document.addEventListener("htmx:responseError", settled);
  document.addEventListener("htmx:sendError", settled);

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.id || !busy[form.id]) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    waiting[form.id] = submitter ? { name: submitter.name, value: submitter.value } : {};
  }, true);
})();
