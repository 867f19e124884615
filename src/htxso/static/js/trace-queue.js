/* HTX Số — offline queue for trace field forms (our own code, no dependencies).
 *
 * A form with [data-trace-queue] is sent with fetch.  When the phone is offline or the
 * request fails, the submission (its fields, including the client-made event_id) is
 * kept in localStorage and retried when the network comes back or the page is opened
 * again.  The server treats a repeated event_id as the same event, so a retry is never
 * recorded twice.
 */
(function () {
  "use strict";
  var KEY = "htxso.trace.queue.v1";
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function save(items) {
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch (e) { /* storage full */ }
  }
  function status(text, ok) {
    var el = document.querySelector("[data-trace-queue-status]");
    if (!el) return;
    el.hidden = !text;
    el.textContent = text || "";
    el.classList.toggle("is-ok", !!ok);
  }
  function messages() {
    var lang = (document.documentElement.lang || "vi").slice(0, 2);
    return lang === "en" ? {
      waiting: function (n) { return n + " entr" + (n === 1 ? "y is" : "ies are") + " kept on this phone and will be sent when the network is back."; },
      sent: "Sent. Recorded.",
      refused: "Refused: ",
      signin: "Sign in again to send them."
    } : {
      waiting: function (n) { return n + " bản ghi đang lưu trên điện thoại, sẽ gửi khi có mạng."; },
      sent: "Đã gửi. Đã ghi nhận.",
      refused: "Bị từ chối: ",
      signin: "Hãy đăng nhập lại để gửi."
    };
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function post(item) {
    var body = new URLSearchParams();
    var fresh = document.querySelector("[name=csrfmiddlewaretoken]");
    if (fresh && fresh.value) item.csrf = fresh.value;  // the page's token is the newest
    item.fields.forEach(function (pair) {
      body.append(pair[0], pair[0] === "csrfmiddlewaretoken" ? item.csrf : pair[1]);
    });
    return fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Trace-Queue": "1", "X-CSRFToken": item.csrf, "Accept": "application/json" }
    });
  }
  function flush() {
    if (sending || !navigator.onLine) return;
    var items = load();
    if (!items.length) { return; }
    sending = true;
    var item = items[0];
    post(item).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        var done = r.ok && data.event_id;              // recorded (or already recorded)
        var refused = r.status === 400 && data.code;   // refused for good: shown, not retried
        if (done || refused) {
          save(load().filter(function (x) { return x.id !== item.id; }));
        }
        sending = false;
        var left = load().length;
        if (refused) {
          status(messages().refused + (data.message || data.code), false);
        } else if (!done) {
          // signed out, expired form, server trouble: keep it and try later
          status(messages().waiting(left) + (r.redirected || r.status === 403 ? " " + messages().signin : ""));
          return;
        }
        if (left) { setTimeout(flush, 500); }
        else if (done) { status(messages().sent, true); }
      });
    }).catch(function () {
      sending = false;
      status(messages().waiting(load().length));
    });
  }
  function enqueue(form) {
    var fields = [];
    new FormData(form).forEach(function (v, k) { if (typeof v === "string") fields.push([k, v]); });
    var csrf = (form.querySelector("[name=csrfmiddlewaretoken]") || {}).value || "";
    var items = load();
    items.push({ id: uuid(), url: form.action || location.href, fields: fields, csrf: csrf, at: Date.now() });
    save(items);
    form.reset();  // ready for the next entry…
    var eid = form.querySelector("[name=event_id]");
    if (eid) eid.value = "urn:uuid:" + uuid();  // …which is a new event
  }
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.matches || !form.matches("[data-trace-queue]")) return;
    if (navigator.onLine && !load().length) return;  // online: a normal submit shows errors inline
    ev.preventDefault();
    enqueue(form);
    status(messages().waiting(load().length));
    flush();
  });
  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    var n = load().length;
    if (n) status(messages().waiting(n));
    flush();
  });
  window.htxsoTraceQueue = { load: load, flush: flush };
})();
