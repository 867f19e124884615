/* HTX Số — general assemblies (our own code, no dependencies).
 *
 * 1. The hall's screen: [data-assembly-qr][data-code-url] fetches the next QR code
 *    (JSON: svg, url, seconds_left) when the current one runs out (every 30 seconds).
 * 2. The live quorum: [data-quorum][data-quorum-url] is read every 10 seconds while the
 *    page is visible (present / total, reached or not).
 * 3. The desk: [data-desk-filter] hides the names that do not match what is typed.
 */
(function () {
  "use strict";
  var QUORUM_EVERY = 10000;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  }

  // ---- 1. the rotating code ---------------------------------------------------------
  function startQr(box) {
    var url = box.getAttribute("data-code-url");
    var holder = box.querySelector("[data-qr]");
    var left = box.querySelector("[data-qr-left]");
    if (!url || !holder) return;
    var seconds = parseInt((left && left.textContent) || "30", 10) || 30;
    function put(svgText) {
      var doc = new DOMParser().parseFromString(svgText, "image/svg+xml");
      var svg = doc.documentElement;
      if (!svg || svg.nodeName.toLowerCase() !== "svg") return;
      holder.replaceChildren(document.importNode(svg, true));
    }
    function next() {
      getJSON(url).then(function (data) {
        put(data.svg);
        seconds = data.seconds_left || 30;
      }).catch(function () { seconds = 5; });
    }
    setInterval(function () {
      seconds -= 1;
      if (left) left.textContent = String(Math.max(seconds, 0));
      if (seconds <= 0) { seconds = 30; next(); }
    }, 1000);
  }

  // ---- 2. the live quorum -----------------------------------------------------------
  function startQuorum(box) {
    var url = box.getAttribute("data-quorum-url");
    if (!url) return;
    function read() {
      if (document.hidden) return;
      getJSON(url).then(function (q) {
        var p = box.querySelector("[data-present]");
        var t = box.querySelector("[data-total]");
        var s = box.querySelector("[data-state]");
        if (p) p.textContent = String(q.present);
        if (t) t.textContent = String(q.total);
        if (s) s.textContent = box.getAttribute(q.met ? "data-msg-met" : "data-msg-not") || "";
        box.classList.toggle("is-met", !!q.met);
      }).catch(function () { /* the network comes back later */ });
    }
    setInterval(read, QUORUM_EVERY);
  }

  // ---- 3. the desk's filter ---------------------------------------------------------
  function startFilter(input) {
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      document.querySelectorAll("[data-desk] [data-name]").forEach(function (li) {
        li.hidden = !!q && li.getAttribute("data-name").indexOf(q) === -1;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-assembly-qr][data-code-url]").forEach(startQr);
    document.querySelectorAll("[data-quorum][data-quorum-url]").forEach(startQuorum);
    document.querySelectorAll("[data-desk-filter]").forEach(startFilter);
  });
})();
