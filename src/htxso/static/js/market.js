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

// Cart quantities: the cart form saves itself through htmx when a quantity changes.
// Enter in a quantity would also submit the form the classic way at the same moment,
// so two saves of the same line raced (the second could fail on a busy database).
// With htmx present, Enter saves through htmx alone; without it the form submits.
(function () {
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !window.htmx || !input.closest) { return; }
    var form = input.closest("form[hx-post]");
    if (!form || input.tagName !== "INPUT" || input.type === "submit") { return; }
    event.preventDefault();
    if (input.value !== input.defaultValue) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();

// The same race when a quantity is typed and a submit button is tapped straight away:
// leaving the field saves it through htmx while the button submits the form.  A submit
// that arrives while the form's htmx save is on its way waits for it, then goes on with
// the refreshed form (the server has the new quantity by then).
(function () {
  var busy = {};
  var waiting = {};
  function formOf(event) {
    var el = event.detail && event.detail.elt;
    return el && el.matches && el.matches("form[hx-post][id]") ? el : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    if (form) { busy[form.id] = true; }
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var form = formOf(event) || null;
    var id = form ? form.id : null;
    Object.keys(busy).forEach(function (key) {
      if (id && key !== id) { return; }
      delete busy[key];
      var pending = waiting[key];
      delete waiting[key];
      var fresh = document.getElementById(key);
      if (!pending || !fresh) { return; }
      var button = null;
      if (pending.name) {  // form.elements includes buttons outside it (form="…")
        Array.prototype.forEach.call(fresh.elements, function (el) {
          if (el.name === pending.name && el.value === pending.value) { button = el; }
        });
      }
      if (fresh.requestSubmit) { fresh.requestSubmit(button || undefined); } else { fresh.submit(); }
    });
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.id || !busy[form.id]) { return; }
    event.preventDefault();
    var submitter = event.submitter;
    waiting[form.id] = submitter ? { name: submitter.name, value: submitter.value } : {};
  }, true);
})();
