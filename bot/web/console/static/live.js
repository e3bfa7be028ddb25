// Live updates for the officers' console: listens to /console/events (server-sent events)
// and refreshes the inbox rows or the ticket's conversation. Pages work without it.
(function () {
  "use strict";
  var root = document.querySelector("[data-live]");
  if (!root || !window.EventSource || !window.fetch) { return; }
  var page = root.getAttribute("data-live");
  var number = root.getAttribute("data-number");
  var busy = false, again = false;

  function refresh(url, target, after) {
    if (busy) { again = true; return; }
    busy = true;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) {
        // Signed out meanwhile (redirected to the sign-in page): let the page itself go there.
        if (r.redirected) { window.location.reload(); return null; }
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        // The server renders and escapes the fragment; it replaces the old one as is.
        if (html !== null && target) { target.innerHTML = html; if (after) { after(); } }
      })
      .catch(function () { /* keep the page as it is; the next event retries */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(url, target, after); }
      });
  }

  function refreshInbox() {
    refresh("/console/inbox/rows" + window.location.search, document.getElementById("inbox-rows"));
  }

  function refreshTicket() {
    var area = document.getElementById("live-area");
    refresh(area.getAttribute("data-src"), area, function () {
      document.getElementById("live-notice").hidden = false;
    });
  }

  function concerns(data) {
    return data.number === number || (data.numbers || []).indexOf(number) >= 0;
  }

  var source = new EventSource("/console/events");
  ["ticket", "ticket_updated", "message", "handover", "escalated"].forEach(function (name) {
    source.addEventListener(name, function (ev) {
      var data = {};
      try { data = JSON.parse(ev.data || "{}"); } catch (e) { data = {}; }
      if (page === "inbox") { refreshInbox(); }
      else if (page === "ticket" && concerns(data)) { refreshTicket(); }
    });
  });
  var opened = 0;
  source.addEventListener("open", function () {
    // Streams end every few minutes and reconnect: catch up on what the gap may have missed.
    if (opened > 0) {
      if (page === "inbox") { refreshInbox(); } else if (page === "ticket") { refreshTicket(); }
    }
    opened += 1;
    root.setAttribute("data-live-ready", "1");
  });
})();
