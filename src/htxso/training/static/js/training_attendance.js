/* HTX Số — the trainer's check-in page (our own code, no dependencies).
 *
 * 1. The rotating QR code: [data-attendance-qr][data-code-url] fetches the next code
 *    (JSON: svg, url, seconds_left) when the current one runs out, every 30 seconds.
 * 2. The roster: a tick ([data-roster-tick] form) is sent with fetch; when the phone is
 *    offline or the request fails, it is kept in localStorage with its client_id and the
 *    time it was taken, and sent in a batch to the API when the network comes back
 *    (the server adds nothing twice for one client_id).
 * 3. Who checked in by QR appears on the roster (the session's attendance, read every
 *    10 seconds while the code is shown, and with each new code).
 */
(function () {
  "use strict";
  var KEY = "htxso.training.attendance.queue.v1";
  var sending = false;
  var ROSTER_EVERY = 10; // seconds between two reads of who checked in

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* storage full */ }
  }
  function csrf() {
    var el = document.querySelector("[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function roster() { return document.querySelector("[data-roster]"); }
  function msg(name) { var r = roster(); return (r && r.getAttribute("data-msg-" + name)) || ""; }
  function status(text, ok) {
    var el = document.querySelector("[data-queue-status]");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
    el.classList.toggle("msg--success", !!ok);
    el.classList.toggle("msg--warning", !ok && !!text);
  }
  function row(enrolmentId) {
    return document.querySelector('.roster__row[data-enrolment="' + enrolmentId + '"]');
  }
  function mark(enrolmentId, text, cls) {
    var li = row(enrolmentId);
    if (!li) return;
    li.classList.remove("is-present", "is-queued");
    li.classList.add(cls);
    var state = li.querySelector("[data-state]");
    if (state) state.textContent = text;
    var form = li.querySelector("[data-roster-tick]");
    if (form) form.hidden = true;
  }
  function countPresent() {
    var el = document.querySelector("[data-present]");
    if (el) el.textContent = String(document.querySelectorAll(".roster__row.is-present").length);
  }
  function hhmm(iso) {
    var d = iso ? new Date(iso) : new Date();
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  function showQueue() {
    var mine = load().filter(function (x) { return x.url === (roster() || {}).dataset.batchUrl; });
    mine.forEach(function (x) { mark(x.enrolment_id, "… " + hhmm(x.taken_at) + " · " + msg("queued"), "is-queued"); });
    var n = load().length;
    if (n) status(n + " " + msg("waiting"), false);
  }

  // ---- the offline queue ------------------------------------------------------------
  function flush() {
    if (sending || !navigator.onLine) return;
    var items = load();
    if (!items.length) return;
    var url = items[0].url;
    var batch = items.filter(function (x) { return x.url === url; }).slice(0, 200);
    sending = true;
    fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({
        method: "offline",
        items: batch.map(function (x) { return { enrolment_id: x.enrolment_id, client_id: x.client_id, taken_at: x.taken_at }; })
      })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        sending = false;
        if (!r.ok || !data.results) {
          if (r.status === 400 || r.status === 404 || r.status === 403) {
            // refused for good (the session is not this trainer's, the body is wrong)
            save(load().filter(function (x) { return x.url !== url; }));
            status(msg("refused") + " " + (data.message || data.code || r.status), false);
          } else {
            status(load().length + " " + msg("waiting"), false);
          }
          return;
        }
        var done = {};
        var refused = [];
        data.results.forEach(function (res) {
          done[res.client_id] = true;
          var item = batch.filter(function (x) { return x.client_id === res.client_id; })[0];
          if (res.status === "refused") {
            refused.push(res.message || res.code);
            if (item) {
              var li = row(item.enrolment_id);
              if (li) {
                li.classList.remove("is-queued");
                var f = li.querySelector("[data-roster-tick]");
                if (f) f.hidden = false;
                var s = li.querySelector("[data-state]");
                if (s) s.textContent = "";
              }
            }
          } else if (item) {
            mark(item.enrolment_id, "✓ " + hhmm(res.checked_in_at) + " · " + msg("present"), "is-present");
          }
        });
        save(load().filter(function (x) { return !done[x.client_id]; }));
        countPresent();
        if (refused.length) status(msg("refused") + " " + refused.join("; "), false);
        else if (load().length) { status(load().length + " " + msg("waiting"), false); setTimeout(flush, 300); }
        else status(msg("sent"), true);
      });
    }).catch(function () {
      sending = false;
      status(load().length + " " + msg("waiting"), false);
    });
  }

  function enqueue(enrolmentId, clientId, takenAt) {
    var items = load();
    items.push({ url: roster().dataset.batchUrl, enrolment_id: Number(enrolmentId), client_id: clientId, taken_at: takenAt });
    save(items);
    mark(enrolmentId, "… " + hhmm(takenAt) + " · " + msg("queued"), "is-queued");
    status(load().length + " " + msg("waiting"), false);
  }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("[data-roster-tick]")) return;
    ev.preventDefault();
    var enrolmentId = form.querySelector("[name=enrolment]").value;
    var clientId = "web-" + uuid();
    var takenAt = new Date().toISOString();
    form.querySelector("[name=client_id]").value = clientId;
    if (!navigator.onLine || load().length) {
      enqueue(enrolmentId, clientId, takenAt);
      flush();
      return;
    }
    var body = new URLSearchParams(new FormData(form));
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (r.ok) {
          mark(enrolmentId, "✓ " + hhmm() + " · " + msg("present"), "is-present");
          countPresent();
          status("", true);
        } else if (r.status === 400) {
          status(msg("refused") + " " + (data.message || data.code), false);
        } else {
          enqueue(enrolmentId, clientId, takenAt);
        }
      });
    }).catch(function () { enqueue(enrolmentId, clientId, takenAt); });
  });

  // ---- the rotating code and who checked in --------------------------------------------
  function refreshRoster() {
    var r = roster();
    if (!r || !navigator.onLine) return;
    fetch(r.dataset.listUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (data) {
        if (!data || !data.participants) return;
        data.participants.forEach(function (p) {
          var li = row(p.enrolment_id);
          if (p.present && li && !li.classList.contains("is-present")) {
            mark(p.enrolment_id, "✓ " + hhmm(p.checked_in_at) + " · " + msg("present"), "is-present");
          }
        });
        countPresent();
      }).catch(function () { /* offline: next time */ });
  }

  function startQr(box) {
    var url = box.getAttribute("data-code-url");
    var left = box.querySelector("[data-qr-left]");
    var seconds = left ? Number(left.textContent) || 30 : 30;
    function next() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (r.status === 409) { location.reload(); return null; }
          return r.ok ? r.json() : null;
        })
        .then(function (data) {
          if (!data || !data.svg) { seconds = 5; return; }
          var holder = box.querySelector("[data-qr]");
          var doc = new DOMParser().parseFromString(data.svg, "image/svg+xml");
          var svg = doc.documentElement;
          if (holder && svg && svg.nodeName.toLowerCase() === "svg") {
            holder.replaceChildren(document.importNode(svg, true));
            holder.setAttribute("data-url", data.url);
          }
          seconds = data.seconds_left || 30;
        })
        .catch(function () { seconds = 5; });
      refreshRoster();
    }
    var tick = 0;
    setInterval(function () {
      seconds -= 1;
      tick += 1;
      if (seconds <= 0) { seconds = 30; tick = 0; next(); }
      else if (tick % ROSTER_EVERY === 0) refreshRoster();
      if (left) left.textContent = String(Math.max(seconds, 0));
    }, 1000);
  }

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-attendance-qr][data-code-url]");
    if (box) startQr(box);
    if (roster()) { showQueue(); flush(); }
  });
  window.htxsoAttendanceQueue = { load: load, flush: flush };
})();
