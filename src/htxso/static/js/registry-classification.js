// Running total of the self-score form (progressive enhancement).
(function () {
  function update() {
    var form = document.getElementById("score-form");
    var out = document.getElementById("running-total");
    if (!form || !out) { return; }
    var total = 0;
    form.querySelectorAll("input.score-input").forEach(function (input) {
      var v = parseInt(input.value, 10);
      var max = parseInt(input.getAttribute("data-max"), 10);
      var bad = input.value !== "" && (isNaN(v) || v < 0 || v > max || String(v) !== input.value.trim());
      input.setAttribute("aria-invalid", bad ? "true" : "false");
      if (!isNaN(v) && v > 0) { total += v; }
    });
    out.textContent = total;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("score-form");
    if (form) { form.addEventListener("input", update); update(); }
  });
})();
