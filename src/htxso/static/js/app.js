// HTX Số — progressive enhancement only; every page works without JavaScript.
(function () {
  var wide = window.matchMedia("(min-width: 900px)");
  function syncMenu() {
    var menu = document.querySelector("details.menu");
    if (menu) { menu.open = wide.matches; }
  }
  document.addEventListener("DOMContentLoaded", syncMenu);
  if (wide.addEventListener) { wide.addEventListener("change", syncMenu); }
})();

// A button marked data-submit-once sends its form once: a second tap while the page
// loads (weak networks) does nothing.  Kept out of the HTML: the CSP forbids inline JS.
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = form.querySelector("[data-submit-once]");
    if (!button) { return; }
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
