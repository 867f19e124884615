/* HTX Số — on a stamp check, the visitor may share a rough place (rounded to 0.1°,
 * about 10 km) so copied stamps scanned far apart are noticed.  Nothing is sent
 * without the click and the browser's own permission prompt. */
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-share-place]");
    if (!button || !navigator.geolocation) return;
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (pos) {
      var url = new URL(location.href);
      url.searchParams.set("lat", pos.coords.latitude.toFixed(1));
      url.searchParams.set("lon", pos.coords.longitude.toFixed(1));
      location.replace(url.toString());
    }, function () { button.disabled = false; }, { maximumAge: 600000, timeout: 15000 });
  });
})();
