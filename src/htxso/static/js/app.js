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
