/* HTX Số — "use my position" on the plot form: fills latitude and longitude from the
 * phone's GPS (6 decimals), so field staff standing on the plot type nothing. */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-fill-gps]");
    if (!button || !navigator.geolocation) return;
    ev.preventDefault();
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.getElementById("id_latitude").value = pos.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = pos.coords.longitude.toFixed(6);
      button.disabled = false;
    }, function () { button.disabled = false; }, { enableHighAccuracy: true, timeout: 20000 });
  });
})();
