// Access requests: show the name of the chosen file or photo under the upload fields,
// so a person on a phone sees that the photo was taken before sending.
(function () {
  "use strict";
  function update(input) {
    var box = input.closest("fieldset");
    var out = box && box.querySelector(".js-file-name");
    if (!out) { return; }
    var file = input.files && input.files[0];
    out.textContent = file ? "✓ " + file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)" : "";
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.classList && input.classList.contains("js-file")) { update(input); }
  });
  // one submit only: a second tap while the upload is on its way does nothing
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || form.id !== "request-form") { return; }
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
  });
})();
