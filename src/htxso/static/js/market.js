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
