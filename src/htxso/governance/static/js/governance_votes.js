// Votes (issue 14): one tap votes — the buttons are disabled after the first tap so a
// slow network never sends the vote twice; the receipt code can be copied.
(function () {
  "use strict";
  document.querySelectorAll("form.js-vote").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button").forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
  document.querySelectorAll(".js-copy").forEach(function (btn) {
    btn.hidden = !(navigator.clipboard && window.isSecureContext);
    btn.addEventListener("click", function () {
      var target = document.getElementById(btn.getAttribute("data-target"));
      if (target) { navigator.clipboard.writeText(target.textContent.trim()); btn.textContent = btn.getAttribute("data-done"); }
    });
  });
})();
