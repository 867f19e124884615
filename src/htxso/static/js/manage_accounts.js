/* Account management: show only the place a chosen role needs (a province for
   provincial roles, an organisation for an organisation's roles).  Without JavaScript
   both fields show and the server says which one is needed. */
(function () {
  "use strict";
  function setUp(form) {
    var select = form.querySelector("select[name=role]");
    if (!select) { return; }
    var reach = {};
    ["province", "organisation"].forEach(function (kind) {
      (form.getAttribute("data-" + kind + "-roles") || "").split(" ").forEach(function (role) {
        if (role) { reach[role] = kind; }
      });
    });
    function update() {
      var needed = reach[select.value] || "";
      form.querySelectorAll("[data-for-reach]").forEach(function (box) {
        var kind = box.getAttribute("data-for-reach");
        box.hidden = select.value !== "" && kind !== needed;
      });
    }
    select.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-role-form]").forEach(setUp);
  });
})();
