/*!
 * Pintu web chat widget. Vanilla JavaScript, no build step.
 *
 * Embed with one tag:
 *   <script src="https://pintu.example/static/webchat/pintu-webchat.js"
 *           data-server="https://pintu.example" data-lang="id"></script>
 *
 * Optional attributes: data-server (default: the script's own origin),
 * data-lang ("id" or "en"; default from the browser), data-socket-path
 * (default "/socket.io/"), data-open="true" (open on load).
 *
 * Speaks rasa-webchat's socket.io events (session_request/session_confirm,
 * user_uttered/bot_uttered with quick_replies) plus Pintu's pintu_history,
 * which re-syncs the conversation after a reload or reconnect. Its own small
 * socket.io client (WebSocket only) is below; nothing else is loaded from anywhere.
 * Message text is always set with textContent, never parsed as HTML.
 */
(function () {
  "use strict";
  if (window.PintuWebchat) {
    return;
  }

  var script = document.currentScript || (function () {
    var found = document.querySelectorAll('script[src*="pintu-webchat"]');
    return found[found.length - 1] || null;
  })();

  function attr(name) {
    return script ? script.getAttribute(name) : null;
  }

  var server = (attr("data-server") ||
    (script && script.src ? new URL(script.src, location.href).origin : location.origin))
    .replace(/\/+$/, "");
  var socketPath = attr("data-socket-path") || "/socket.io/";
  var KEY = "pintu-webchat:" + server;

  var STRINGS = {
    id: {
      title: "Pintu",
      subtitle: "Asisten layanan publik",
      open: "Buka obrolan Pintu",
      close: "Tutup obrolan",
      langToggle: "EN",
      langToggleLabel: "Switch to English",
      log: "Percakapan dengan Pintu",
      placeholder: "Tulis pesan…",
      inputLabel: "Pesan Anda",
      send: "Kirim",
      connecting: "Menghubungkan…",
      online: "Terhubung",
      offline: "Terputus, menghubungkan ulang…",
      typing: "Pintu sedang mengetik…",
      sending: "mengirim…",
      failed: "gagal dikirim",
      officer: "Petugas",
      choices: "Pilihan balasan",
      unread: "pesan baru",
      welcome: "Halo! Saya Pintu. Ceritakan keluhan atau usulan Anda, tanyakan syarat " +
        "layanan, atau cek status laporan dengan nomor tiketnya.",
      quickStart: [["Buat laporan", "/complaint"], ["Cek status", "/status"],
        ["Info layanan", "/info"]],
      error: "Maaf, pesan belum bisa diproses. Silakan coba lagi.",
      tooLong: "Pesan terlalu panjang (maks. 4000 karakter)."
    },
    en: {
      title: "Pintu",
      subtitle: "Public service assistant",
      open: "Open Pintu chat",
      close: "Close chat",
      langToggle: "ID",
      langToggleLabel: "Ganti ke Bahasa Indonesia",
      log: "Conversation with Pintu",
      placeholder: "Type a message…",
      inputLabel: "Your message",
      send: "Send",
      connecting: "Connecting…",
      online: "Connected",
      offline: "Disconnected, reconnecting…",
      typing: "Pintu is typing…",
      sending: "sending…",
      failed: "not sent",
      officer: "Officer",
      choices: "Reply options",
      unread: "new messages",
      welcome: "Hello! I'm Pintu. Tell me about a problem or a suggestion, ask how to get " +
        "a service, or check a report's status with its ticket number.",
      quickStart: [["Report a problem", "/complaint"], ["Check status", "/status"],
        ["Service info", "/info"]],
      error: "Sorry, the message could not be processed. Please try again.",
      tooLong: "The message is too long (max. 4000 characters)."
    }
  };
  var MAX_TEXT = 4000;

  function pickLang(value) {
    var v = (value || navigator.language || "id").toLowerCase();
    return v.indexOf("en") === 0 ? "en" : "id";
  }

  // localStorage can be disabled (private mode, embedded iframes): fall back to memory.
  var memory = {};
  function load() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {};
    } catch (e) {
      return memory;
    }
  }
  function save() {
    var data = {sessionId: state.sessionId, pending: state.pending, open: state.open,
      lang: state.lang};
    memory = data;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(data));
    } catch (e) { /* memory only */ }
  }

  var stored = load();
  var state = {
    sessionId: typeof stored.sessionId === "string" ? stored.sessionId : null,
    // User messages not yet acknowledged by the server, re-sent (same id) after reconnect.
    pending: Array.isArray(stored.pending) ? stored.pending : [],
    open: stored.open === true || attr("data-open") === "true",
    lang: stored.lang || pickLang(attr("data-lang")),
    items: [],
    synced: false,
    inFlight: null,
    connected: false,
    unread: 0
  };

  function s(key) {
    return STRINGS[state.lang][key];
  }

  function newId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    return Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  var CSS = [
    ".pintu-wc{--pwc-accent:#0b5cad;--pwc-accent-dark:#08478a;--pwc-bg:#f4f6f9;",
    "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:15px;",
    "line-height:1.4;color:#1d2733}",
    ".pintu-wc *{box-sizing:border-box}",
    ".pintu-wc-launcher{position:fixed;right:20px;bottom:20px;width:60px;height:60px;",
    "border-radius:50%;border:none;background:var(--pwc-accent);color:#fff;cursor:pointer;",
    "box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000;display:flex;",
    "align-items:center;justify-content:center}",
    ".pintu-wc-launcher:hover{background:var(--pwc-accent-dark)}",
    ".pintu-wc-launcher:focus-visible,.pintu-wc button:focus-visible,",
    ".pintu-wc textarea:focus-visible{outline:3px solid #f5b700;outline-offset:2px}",
    ".pintu-wc-badge{position:absolute;top:-2px;right:-2px;min-width:22px;height:22px;",
    "padding:0 6px;border-radius:11px;background:#d62828;color:#fff;font-size:12px;",
    "font-weight:700;display:flex;align-items:center;justify-content:center}",
    ".pintu-wc-badge[hidden]{display:none}",
    ".pintu-wc-panel{position:fixed;right:20px;bottom:92px;width:370px;height:580px;",
    "max-height:calc(100vh - 112px);background:#fff;border-radius:14px;",
    "box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;",
    "overflow:hidden;z-index:2147483001}",
    ".pintu-wc-panel[hidden]{display:none}",
    ".pintu-wc-header{background:var(--pwc-accent);color:#fff;padding:12px 12px 12px 16px;",
    "display:flex;align-items:center;gap:8px}",
    ".pintu-wc-heading{flex:1;min-width:0}",
    ".pintu-wc-title{font-weight:700;font-size:17px;margin:0}",
    ".pintu-wc-status{font-size:12px;opacity:.9;margin:0}",
    ".pintu-wc-hbtn{background:transparent;border:1px solid rgba(255,255,255,.6);color:#fff;",
    "border-radius:8px;min-width:40px;height:36px;cursor:pointer;font-size:14px;",
    "font-weight:600;padding:0 8px}",
    ".pintu-wc-hbtn:hover{background:rgba(255,255,255,.15)}",
    ".pintu-wc-log{flex:1;overflow-y:auto;padding:14px 12px;background:var(--pwc-bg);",
    "display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}",
    ".pintu-wc-msg{max-width:85%;padding:9px 12px;border-radius:14px;white-space:pre-wrap;",
    "overflow-wrap:anywhere;word-break:break-word}",
    ".pintu-wc-bot{align-self:flex-start;background:#fff;border:1px solid #dde3ea;",
    "border-bottom-left-radius:4px}",
    ".pintu-wc-user{align-self:flex-end;background:var(--pwc-accent);color:#fff;",
    "border-bottom-right-radius:4px}",
    ".pintu-wc-staff{border-left:4px solid #2a9d8f}",
    ".pintu-wc-who{display:block;font-size:11px;font-weight:700;color:#2a7d72;",
    "margin-bottom:2px}",
    ".pintu-wc-note{display:block;font-size:11px;opacity:.8;margin-top:3px;text-align:right}",
    ".pintu-wc-failed{background:#fbe3e3;color:#8a1c1c}",
    ".pintu-wc-system{align-self:center;font-size:12px;color:#5b6775;text-align:center;",
    "max-width:95%}",
    ".pintu-wc-chips{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start;",
    "max-width:100%}",
    ".pintu-wc-chip{border:1.5px solid var(--pwc-accent);color:var(--pwc-accent);",
    "background:#fff;border-radius:18px;padding:7px 13px;cursor:pointer;font-size:14px;",
    "font-family:inherit;min-height:36px;text-align:left}",
    ".pintu-wc-chip:hover{background:#e8f0fa}",
    ".pintu-wc-typing{font-size:12px;color:#5b6775;padding:4px 14px;background:var(--pwc-bg)}",
    ".pintu-wc-typing[hidden]{display:none}",
    ".pintu-wc-form{display:flex;gap:8px;padding:10px;border-top:1px solid #dde3ea;",
    "background:#fff;align-items:flex-end}",
    ".pintu-wc-input{flex:1;resize:none;border:1px solid #c5ced8;border-radius:10px;",
    "padding:9px 11px;font:inherit;font-size:16px;max-height:120px;min-height:42px}",
    ".pintu-wc-send{background:var(--pwc-accent);color:#fff;border:none;border-radius:10px;",
    "padding:0 16px;height:42px;font:inherit;font-weight:600;cursor:pointer}",
    ".pintu-wc-send:hover{background:var(--pwc-accent-dark)}",
    ".pintu-wc-sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;",
    "overflow:hidden;clip:rect(0,0,0,0);border:0}",
    "@media (max-width:480px){.pintu-wc-panel{right:0;bottom:0;left:0;top:0;width:auto;",
    "height:auto;max-height:none;border-radius:0}",
    ".pintu-wc-open .pintu-wc-launcher{display:none}}"
  ].join("");

  var ICON_CHAT = '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" ' +
    'focusable="false"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 ' +
    '2H8.4L4 21.5V18a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 ' +
    '0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm5 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3z"/>' +
    "</svg>";

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) {
      node.className = cls;
    }
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    return node;
  }

  var ui = {rendered: [], chips: null, welcome: false};

  function build() {
    var style = el("style");
    style.textContent = CSS;
    document.head.appendChild(style);

    ui.root = el("div", "pintu-wc");
    ui.root.setAttribute("data-pintu-webchat", "");

    ui.launcher = el("button", "pintu-wc-launcher");
    ui.launcher.type = "button";
    ui.launcher.setAttribute("aria-controls", "pintu-wc-panel");
    // Static markup only (the icon); no message text ever goes through innerHTML.
    ui.launcher.innerHTML = ICON_CHAT;
    ui.badge = el("span", "pintu-wc-badge");
    ui.badge.hidden = true;
    ui.launcher.appendChild(ui.badge);
    ui.launcher.addEventListener("click", function () {
      setOpen(!state.open, true);
    });

    ui.panel = el("section", "pintu-wc-panel");
    ui.panel.id = "pintu-wc-panel";
    ui.panel.setAttribute("role", "dialog");
    ui.panel.hidden = true;
    ui.panel.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape") {
        setOpen(false, true);
      }
    });

    var header = el("div", "pintu-wc-header");
    var heading = el("div", "pintu-wc-heading");
    ui.title = el("h2", "pintu-wc-title");
    ui.title.id = "pintu-wc-title";
    ui.status = el("p", "pintu-wc-status");
    ui.status.setAttribute("aria-live", "polite");
    heading.appendChild(ui.title);
    heading.appendChild(ui.status);
    ui.langBtn = el("button", "pintu-wc-hbtn pintu-wc-lang");
    ui.langBtn.type = "button";
    ui.langBtn.addEventListener("click", function () {
      setLanguage(state.lang === "id" ? "en" : "id");
    });
    ui.closeBtn = el("button", "pintu-wc-hbtn pintu-wc-close", "\u2715");
    ui.closeBtn.type = "button";
    ui.closeBtn.addEventListener("click", function () {
      setOpen(false, true);
    });
    header.appendChild(heading);
    header.appendChild(ui.langBtn);
    header.appendChild(ui.closeBtn);
    ui.panel.setAttribute("aria-labelledby", "pintu-wc-title");

    ui.log = el("div", "pintu-wc-log");
    ui.log.setAttribute("role", "log");
    ui.log.setAttribute("aria-live", "polite");
    ui.log.setAttribute("tabindex", "0");

    ui.typing = el("div", "pintu-wc-typing");
    ui.typing.hidden = true;

    ui.form = el("form", "pintu-wc-form");
    ui.label = el("label", "pintu-wc-sr");
    ui.label.setAttribute("for", "pintu-wc-input");
    ui.input = el("textarea", "pintu-wc-input");
    ui.input.id = "pintu-wc-input";
    ui.input.rows = 1;
    ui.input.maxLength = MAX_TEXT;
    ui.input.addEventListener("keydown", function (ev) {
      // Enter sends, Shift+Enter adds a line (phones show their own send key).
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        submit();
      }
    });
    ui.send = el("button", "pintu-wc-send");
    ui.send.type = "submit";
    ui.form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      submit();
    });
    ui.form.appendChild(ui.label);
    ui.form.appendChild(ui.input);
    ui.form.appendChild(ui.send);

    ui.panel.appendChild(header);
    ui.panel.appendChild(ui.log);
    ui.panel.appendChild(ui.typing);
    ui.panel.appendChild(ui.form);
    ui.root.appendChild(ui.panel);
    ui.root.appendChild(ui.launcher);
    document.body.appendChild(ui.root);
    applyStrings();
  }

  function applyStrings() {
    ui.launcher.setAttribute("aria-label", s("open"));
    ui.title.textContent = s("title");
    ui.langBtn.textContent = s("langToggle");
    ui.langBtn.setAttribute("aria-label", s("langToggleLabel"));
    ui.langBtn.setAttribute("lang", state.lang === "id" ? "en" : "id");
    ui.closeBtn.setAttribute("aria-label", s("close"));
    ui.log.setAttribute("aria-label", s("log"));
    ui.typing.textContent = s("typing");
    ui.label.textContent = s("inputLabel");
    ui.input.placeholder = s("placeholder");
    ui.send.textContent = s("send");
    ui.root.setAttribute("lang", state.lang);
    showStatus();
    render(true);
  }

  function showStatus() {
    if (!ui.status) {
      return;
    }
    ui.status.textContent = state.connected ? s("subtitle") :
      (socket ? s("offline") : s("connecting"));
  }

  // On a phone the panel fills the screen; when the on-screen keyboard opens, the visual
  // viewport shrinks, and the panel follows it so the input and Send stay above the keyboard.
  var PHONE = window.matchMedia ? window.matchMedia("(max-width:480px)") : null;

  function fitToViewport() {
    var vv = window.visualViewport;
    var phone = PHONE && PHONE.matches;
    if (!ui.panel) { return; }
    if (!vv || !phone || !state.open) {
      ui.panel.style.height = "";
      ui.panel.style.top = "";
      ui.panel.style.bottom = "";
      return;
    }
    ui.panel.style.top = vv.offsetTop + "px";
    ui.panel.style.height = vv.height + "px";
    ui.panel.style.bottom = "auto";
  }

  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", fitToViewport);
    window.visualViewport.addEventListener("scroll", fitToViewport);
  }

  function setOpen(open, moveFocus) {
    state.open = open;
    ui.panel.hidden = !open;
    ui.root.classList.toggle("pintu-wc-open", open);
    fitToViewport();
    ui.launcher.setAttribute("aria-expanded", open ? "true" : "false");
    save();
    if (open) {
      state.unread = 0;
      updateBadge();
      connect();
      render();
      if (moveFocus) {
        ui.input.focus();
      }
    } else if (moveFocus) {
      ui.launcher.focus();
    }
  }

  function setLanguage(lang) {
    state.lang = lang === "en" ? "en" : "id";
    save();
    applyStrings();
  }

  function updateBadge() {
    ui.badge.hidden = state.unread === 0;
    ui.badge.textContent = String(state.unread);
    ui.badge.setAttribute("aria-label", state.unread + " " + s("unread"));
  }

  function chips(buttons) {
    var box = el("div", "pintu-wc-chips");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", s("choices"));
    buttons.forEach(function (b) {
      var chip = el("button", "pintu-wc-chip", b.title);
      chip.type = "button";
      chip.setAttribute("data-payload", b.payload);
      chip.addEventListener("click", function () {
        sendMessage(b.payload, b.title);
      });
      box.appendChild(chip);
    });
    return box;
  }

  function bubble(item) {
    if (item.kind === "system") {
      return el("div", "pintu-wc-system", item.text);
    }
    var bot = item.direction === "out";
    var node = el("div", "pintu-wc-msg " + (bot ? "pintu-wc-bot" : "pintu-wc-user") +
      (item.sender === "staff" ? " pintu-wc-staff" : ""));
    if (item.sender === "staff") {
      node.appendChild(el("span", "pintu-wc-who", s("officer")));
    }
    node.appendChild(document.createTextNode(item.text));
    if (!bot) {
      item.note = el("span", "pintu-wc-note");
      node.appendChild(item.note);
    }
    if (item.ts) {
      var when = new Date(item.ts);
      if (!isNaN(when.getTime())) {
        node.title = when.toLocaleString(state.lang === "en" ? "en-GB" : "id-ID");
      }
    }
    return node;
  }

  function showDelivery(item) {
    if (!item.note) {
      return;
    }
    var visible = item.state === "sending" || item.state === "failed";
    item.note.hidden = !visible;
    item.note.textContent = visible ? s(item.state) : "";
    item.node.classList.toggle("pintu-wc-failed", item.state === "failed");
  }

  // Appends what is new instead of redrawing, so screen readers announce only new
  // messages (the log is aria-live); a re-sync or a language change redraws it all.
  function render(full) {
    if (!ui.log) {
      return;
    }
    var welcome = state.synced && state.items.length === 0;
    var append = !full && !welcome && !ui.welcome && ui.rendered.length <= state.items.length;
    for (var i = 0; append && i < ui.rendered.length; i++) {
      append = ui.rendered[i] === state.items[i];
    }
    if (!append) {
      ui.log.textContent = "";
      ui.rendered = [];
      ui.chips = null;
      ui.welcome = welcome;
      if (welcome) {
        ui.log.appendChild(el("div", "pintu-wc-msg pintu-wc-bot", s("welcome")));
        ui.log.appendChild(chips(s("quickStart").map(function (c) {
          return {title: c[0], payload: c[1]};
        })));
      }
    }
    if (ui.chips) {
      ui.chips.remove();
      ui.chips = null;
    }
    for (var j = ui.rendered.length; j < state.items.length; j++) {
      var item = state.items[j];
      item.node = bubble(item);
      ui.log.appendChild(item.node);
      ui.rendered.push(item);
    }
    ui.rendered.forEach(showDelivery);
    // Only the last message's buttons can still be answered.
    var last = state.items[state.items.length - 1];
    if (last && last.direction === "out" && last.buttons && last.buttons.length) {
      ui.chips = chips(last.buttons);
      ui.log.appendChild(ui.chips);
    }
    ui.typing.hidden = !(state.inFlight || state.pending.length);
    ui.log.scrollTop = ui.log.scrollHeight;
  }

  function addItem(item) {
    state.items.push(item);
    if (!state.open && item.direction === "out") {
      state.unread += 1;
      updateBadge();
    }
    render();
  }

  function submit() {
    var text = ui.input.value.trim();
    if (!text) {
      return;
    }
    if (text.length > MAX_TEXT) {
      addItem({kind: "system", text: s("tooLong")});
      return;
    }
    ui.input.value = "";
    sendMessage(text, text);
  }

  function sendMessage(message, display) {
    var id = newId();
    state.pending.push({id: id, message: message, display: display});
    state.items.push({direction: "in", sender: "citizen", text: display, clientId: id,
      state: "sending"});
    save();
    render();
    connect();
    flush();
  }

  function itemFor(id) {
    for (var i = state.items.length - 1; i >= 0; i--) {
      if (state.items[i].clientId === id) {
        return state.items[i];
      }
    }
    return null;
  }

  // Sends the oldest unacknowledged message; the next one goes after its ack, so the
  // server sees them in order. A message re-sent after a reconnect keeps its id and is
  // answered only once.
  function flush() {
    if (!socket || !state.connected || !state.synced || state.inFlight ||
        !state.pending.length) {
      return;
    }
    var msg = state.pending[0];
    state.inFlight = msg.id;
    socket.emit("user_uttered", {
      message: msg.message, message_id: msg.id, session_id: state.sessionId,
      customData: {language: state.lang}
    }, function (ack) {
      // An ack for a message no longer in flight (a re-sync took over) changes nothing.
      if (state.inFlight !== msg.id) {
        return;
      }
      state.inFlight = null;
      state.pending = state.pending.filter(function (p) {
        return p.id !== msg.id;
      });
      save();
      var item = itemFor(msg.id);
      if (item) {
        item.state = ack && ack.ok === false ? "failed" : "sent";
      }
      render();
      flush();
    });
    render();
  }

  function onHistory(data) {
    if (!data || data.session_id !== state.sessionId || !Array.isArray(data.messages)) {
      return;
    }
    var seen = {};
    state.items = data.messages.map(function (m) {
      if (m.client_id) {
        seen[m.client_id] = true;
      }
      return {direction: m.direction, sender: m.sender, text: m.text || "",
        buttons: m.buttons || [], ts: m.ts, clientId: m.client_id || null, state: "sent"};
    });
    // Messages the server already has were answered; the rest are shown and re-sent.
    state.pending = state.pending.filter(function (p) {
      return !seen[p.id];
    });
    state.pending.forEach(function (p) {
      state.items.push({direction: "in", sender: "citizen", text: p.display, clientId: p.id,
        state: "sending"});
    });
    state.synced = true;
    state.inFlight = null;
    save();
    render();
    flush();
  }

  /*
   * A small socket.io client, enough for this widget and python-socketio: Engine.IO v4
   * over WebSocket only (no long-polling, no upgrade), Socket.IO v5 packets on the
   * default namespace, JSON only (no binary), acknowledgements, the server's heartbeat
   * and reconnection with exponential backoff. Written here so that the widget stays one
   * file and no third-party code is copied into Pintu.
   *
   * Engine.IO packets: 0 open {sid, pingInterval, pingTimeout}, 1 close, 2 ping, 3 pong,
   * 4 message, 6 noop. Socket.IO packets (inside an Engine.IO message): 0 connect,
   * 1 disconnect, 2 event, 3 ack, 4 connect error; so "40" joins the namespace,
   * '42["name",data]' is an event, '427["name",data]' one that asks for ack 7 and
   * '437[reply]' the server's answer to it.
   */
  var RECONNECT_MIN = 500;
  var RECONNECT_MAX = 5000;
  var CONNECT_TIMEOUT = 20000;

  function socketUrl(base, path) {
    var url = new URL(path.replace(/\/*$/, "/"), new URL(base, location.href));
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.search = "?EIO=4&transport=websocket";
    url.hash = "";
    return url.href;
  }

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : null;
    } catch (e) {
      return null;
    }
  }

  // Opens at once and keeps reconnecting until the page goes away. Events emitted while
  // disconnected are dropped (emit returns false): the widget re-sends what matters
  // after "connect", and acks of a lost connection are never called.
  function Socket(url) {
    var self = this;
    this.url = url;
    this.handlers = {};
    this.acks = {};
    this.nextAck = 0;
    this.ws = null;
    this.connected = false;
    this.attempts = 0;
    this.timer = null;   // the connect timeout, then the heartbeat timeout
    this.retry = null;   // the pending reconnection
    this.heartbeat = CONNECT_TIMEOUT;
    // Back online: try now instead of waiting for the backoff.
    window.addEventListener("online", function () {
      if (self.retry) {
        clearTimeout(self.retry);
        self.attempts = 0;
        self.open();
      }
    });
    this.open();
  }

  Socket.prototype.on = function (name, fn) {
    (this.handlers[name] = this.handlers[name] || []).push(fn);
  };

  Socket.prototype.fire = function (name, args) {
    (this.handlers[name] || []).forEach(function (fn) {
      fn.apply(null, args);
    });
  };

  Socket.prototype.send = function (packet) {
    if (this.ws && this.ws.readyState === 1) {
      this.ws.send(packet);
    }
  };

  // A connection that stays silent longer than this is dead (no close frame comes
  // through a dropped network): give it up.
  Socket.prototype.watch = function (ms) {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () {
      self.drop();
    }, ms);
  };

  Socket.prototype.open = function () {
    var self = this;
    this.retry = null;
    try {
      this.ws = new WebSocket(this.url);
    } catch (e) {
      this.ws = null;
      this.later();
      return;
    }
    this.ws.onmessage = function (ev) {
      if (typeof ev.data === "string") {
        self.onEngine(ev.data);
      }
    };
    this.ws.onclose = function () {
      self.drop();
    };
    this.watch(CONNECT_TIMEOUT);
  };

  // The connection is gone (closed, refused, or silent too long): forget it, retry.
  Socket.prototype.drop = function () {
    clearTimeout(this.timer);
    var old = this.ws;
    if (old) {
      this.ws = null;
      old.onmessage = old.onclose = null;
      try {
        old.close();
      } catch (e) { /* already closed */ }
    }
    this.acks = {};
    if (this.connected) {
      this.connected = false;
      this.fire("disconnect", []);
    }
    this.later();
  };

  // Exponential backoff with jitter, so a restarted server is not hit by every widget
  // at the same moment.
  Socket.prototype.later = function () {
    var self = this;
    if (this.retry || this.ws) {
      return;
    }
    var delay = RECONNECT_MIN * Math.pow(2, Math.min(this.attempts, 10));
    delay = Math.min(RECONNECT_MAX, delay * (0.5 + Math.random()));
    this.attempts += 1;
    this.retry = setTimeout(function () {
      self.open();
    }, delay);
  };

  Socket.prototype.onEngine = function (data) {
    var type = data.charAt(0);
    if (type === "0") {
      var info = parseJson(data.slice(1)) || {};
      this.heartbeat = (info.pingInterval || 25000) + (info.pingTimeout || 20000);
      this.watch(this.heartbeat);
      this.send("40");
    } else if (type === "2") {
      this.send("3");
      this.watch(this.heartbeat);
    } else if (type === "4") {
      this.onPacket(data.slice(1));
    } else if (type === "1") {
      this.drop();
    }
  };

  Socket.prototype.onPacket = function (packet) {
    var type = packet.charAt(0);
    var rest = packet.slice(1);
    if (rest.charAt(0) === "/") {
      return;  // another namespace: the default one is written without its name
    }
    var parts = /^(\d*)([\s\S]*)$/.exec(rest);
    var id = parts[1];
    var args = parseJson(parts[2]);
    if (type === "0") {
      this.connected = true;
      this.attempts = 0;
      this.fire("connect", []);
    } else if (type === "2" && Array.isArray(args) && typeof args[0] === "string") {
      if (id) {
        this.send("43" + id + "[]");  // the server asked for an ack; nothing to tell it
      }
      this.fire(args[0], args.slice(1));
    } else if (type === "3" && this.acks[id]) {
      var ack = this.acks[id];
      delete this.acks[id];
      ack.apply(null, Array.isArray(args) ? args : []);
    } else if (type === "1" || type === "4") {
      this.drop();  // the server ended or refused the session: start over, later
    }
  };

  Socket.prototype.emit = function (name, data, ack) {
    if (!this.connected) {
      return false;
    }
    var id = "";
    if (typeof ack === "function") {
      id = String(this.nextAck++);
      this.acks[id] = ack;
    }
    this.send("42" + id + JSON.stringify([name, data]));
    return true;
  };

  var socket = null;

  function connect() {
    if (socket) {
      return;
    }
    showStatus();
    socket = new Socket(socketUrl(server, socketPath));
    socket.on("connect", function () {
      state.connected = true;
      state.synced = false;
      state.inFlight = null;
      showStatus();
      socket.emit("session_request", {session_id: state.sessionId});
    });
    socket.on("disconnect", function () {
      state.connected = false;
      state.inFlight = null;
      showStatus();
    });
    socket.on("session_confirm", function (data) {
      var id = data && typeof data === "object" ? data.session_id : data;
      if (typeof id === "string" && id) {
        if (id !== state.sessionId) {
          state.items = [];
        }
        state.sessionId = id;
        save();
      }
    });
    socket.on("pintu_history", onHistory);
    socket.on("bot_uttered", function (data) {
      if (!data || typeof data.text !== "string") {
        return;
      }
      var buttons = data.quick_replies || data.buttons || [];
      addItem({direction: "out", sender: data.sender || "bot", text: data.text,
        buttons: buttons.filter(function (b) {
          return b && typeof b.title === "string" && typeof b.payload === "string";
        }), ts: new Date().toISOString(), state: "sent"});
    });
    socket.on("pintu_error", function () {
      addItem({kind: "system", text: s("error")});
    });
  }

  function start() {
    build();
    setOpen(state.open, false);
    // Returning visitors reconnect at once, so officers' replies show up as unread.
    if (!state.open && state.sessionId) {
      connect();
    }
  }

  window.PintuWebchat = {
    open: function () { setOpen(true, true); },
    close: function () { setOpen(false, true); },
    setLanguage: setLanguage,
    send: function (text) { sendMessage(String(text), String(text)); },
    sessionId: function () { return state.sessionId; }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
