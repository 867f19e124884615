/* Letter-template editor: the placeholder list is open on wide screens, and a click on
   a placeholder inserts it where the cursor was in the subject, body or receivers. */
(function () {
  "use strict";
  var help = document.querySelector(".doc-help details");
  if (help && window.matchMedia("(min-width: 960px)").matches) help.open = true;
  var target = null;
  document.querySelectorAll("[data-slot-target]").forEach(function (field) {
    field.addEventListener("focus", function () { target = field; });
  });
  document.querySelectorAll("[data-slot]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = target || document.getElementById("id_body");
      if (!field) return;
      var slot = button.getAttribute("data-slot");
      var start = field.selectionStart, end = field.selectionEnd;
      if (typeof start !== "number") { start = end = field.value.length; }
      field.value = field.value.slice(0, start) + slot + field.value.slice(end);
      field.focus();
      field.selectionStart = field.selectionEnd = start + slot.length;
    });
  });
})();
