// CALMS Workshop phone page. Plain JavaScript, no libraries, no build step.
// The protocol is described in docs/phone-protocol.md.
//
// Votes are never lost or counted twice: each vote gets a random message id
// and waits in an outbox (kept in localStorage) until the server's ack; after
// a Wi-Fi hiccup the page reconnects with its token and sends the outbox
// again, and the server answers a message id it has seen with the same ack.
"use strict";

(function () {
  // The words come from the server, in the room's language (net/phone_strings.py).
  var STRINGS = loadStrings();
  var PLURAL = pluralRules(STRINGS.lang);
  var LEVEL_WORDS = [t("dont_know"), "1", "2", "3", "4", "5"];
  var store = window.localStorage;
  var state = {
    token: store.getItem("calms.token") || "",
    status: "",          // "", unbound, pending, joined, removed
    paused: false,       // the facilitator closed phone voting (the server said so)
    participant: "",     // the person this page answers for (from welcome / joined)
    anonymous: false,
    participants: [],
    view: null,
    progress: { voted: 0, expected: 0 },
    answers: {},         // statement id -> score, as the server has it
    name: "",            // whom this page votes as (named workshops; from "private")
    outbox: loadOutbox(), // [{id, statement_id, score}]
    notes: {},           // statement id -> {text, refused}
    builtFor: "",
    pdfUrl: ""
  };
  var ws = null;
  var retry = 0;
  var retryTimer = null;
  var pendingPin = "";

  function $(id) { return document.getElementById(id); }

  function loadStrings() {
    var node = document.getElementById("strings");
    try {
      var data = JSON.parse(node ? node.textContent : "{}");
      return { lang: data.lang || "en", texts: data.texts || {} };
    } catch (e) { return { lang: "en", texts: {} }; }
  }
  function pluralRules(lang) {
    try { return new Intl.PluralRules(lang); } catch (e) { return null; }
  }
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? String(values[name]) : all;
    });
  }
  // t("key", {name: value}): a text; tn("key", n, {…}): the form for the number n.
  function t(key, values) {
    var text = STRINGS.texts[key];
    return fill(typeof text === "string" ? text : key, values);
  }
  function tn(key, n, values) {
    var forms = STRINGS.texts[key] || {};
    var category = PLURAL ? PLURAL.select(n) : (n === 1 ? "one" : "other");
    var v = { n: n };
    for (var k in values || {}) { v[k] = values[k]; }
    return fill(forms[category] || forms.other || key, v);
  }
  function translatePage() {
    document.documentElement.lang = STRINGS.lang;
    Array.prototype.forEach.call(document.querySelectorAll("[data-t]"), function (node) {
      node.textContent = t(node.getAttribute("data-t"));
    });
  }
  translatePage();

  function loadOutbox() {
    try {
      var list = JSON.parse(store.getItem("calms.outbox") || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }
  function saveOutbox() { store.setItem("calms.outbox", JSON.stringify(state.outbox)); }

  function messageId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return "m" + Array.prototype.map.call(bytes, function (b) {
      return ("0" + b.toString(16)).slice(-2);
    }).join("");
  }

  function announce(text) { $("announce").textContent = text; }
  function setConnection(text, offline) {
    var el = $("connection");
    el.textContent = text;
    el.className = "connection" + (offline ? " offline" : "");
  }

  // -- the connection -------------------------------------------------------
  function connect() {
    if (ws && (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)) {
      return;
    }
    clearTimeout(retryTimer);
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    ws = new WebSocket(scheme + location.host + "/ws");
    setConnection(t("connecting"), true);
    ws.onopen = function () {
      retry = 0;
      setConnection(t("connected"), false);
      if (state.token) {
        send({ type: "resume", token: state.token });
      } else if (pendingPin) {
        send({ type: "join", pin: pendingPin });
      }
    };
    ws.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      handle(msg);
    };
    ws.onclose = function (event) {
      ws = null;
      if (event.code === 4003) { removed(); return; }
      // this token opened again elsewhere (another tab): never reconnect and take it back —
      // the "superseded" message says so even when the close code is lost (1006)
      if (event.code === 4009 || state.superseded) {
        setConnection(t("other_tab"), true);
        return;
      }
      if (event.code === 4001 && !state.token) {
        setConnection(t("not_connected"), true);
        return;  // wrong PIN too often or no join in time: the join form says why
      }
      if (!state.token && !pendingPin) { setConnection(t("not_connected"), true); return; }
      // paused: try again now and then, quietly — the page comes back when voting reopens
      setConnection(state.paused ? t("paused_by_facilitator") : t("reconnecting"), true);
      if (state.paused) { retry = Math.max(retry, 4); }
      var delay = Math.min(5000, 500 * Math.pow(2, retry)) + Math.random() * 300;
      retry += 1;
      retryTimer = setTimeout(connect, delay);
    };
  }

  function send(message) {
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify(message));
      return true;
    }
    return false;
  }

  function flushOutbox() {
    if (state.status !== "joined") { return; }
    state.outbox.forEach(function (item) {
      send({ type: "vote", id: item.id, statement_id: item.statement_id, score: item.score });
    });
  }

  // -- messages from the server ---------------------------------------------
  function handle(msg) {
    switch (msg.type) {
      case "paused":
        state.paused = true;
        announce(t("paused_by_facilitator"));
        break;
      case "welcome":
        state.paused = false;
        if (msg.token !== state.token || msg.participant_id !== state.participant) {
          forgetAnswers();  // another device or person: only the room's answers count
        }
        state.token = msg.token;
        state.participant = msg.participant_id || "";
        store.setItem("calms.token", msg.token);
        pendingPin = "";
        state.status = msg.status;
        if ("anonymous" in msg) { state.anonymous = msg.anonymous; }
        if (msg.participants) { state.participants = msg.participants; }
        $("join-error").textContent = "";
        flushOutbox();
        break;
      case "joined":
        if (msg.participant_id !== state.participant) { forgetAnswers(); }
        state.participant = msg.participant_id || "";
        state.status = "joined";
        announce(t("you_are_in"));
        flushOutbox();
        break;
      case "join_pending":
        state.status = "pending";
        break;
      case "join_refused":
        state.status = "unbound";
        $("pick-error").textContent = msg.reason || t("not_let_in");
        break;
      case "participants": state.participants = msg.participants; break;
      case "view": state.view = msg.view; break;
      case "progress": state.progress = msg; break;
      case "private":
        state.answers = msg.answers || {};
        state.name = msg.name || "";
        break;
      case "ack": onAck(msg); break;
      case "pdf_ready": onPdf(msg.url); break;
      case "removed": removed(); return;
      case "superseded": state.superseded = true; return;
      case "error": onError(msg); break;
      default: return;
    }
    render();
  }

  function onAck(msg) {
    var item = null;
    state.outbox = state.outbox.filter(function (o) {
      if (o.id === msg.id) { item = o; return false; }
      return true;
    });
    saveOutbox();
    if (!item) { return; }  // replaced by a newer answer meanwhile
    var code = codeOf(item.statement_id);
    if (msg.accepted) {
      var shown = item.score === null ? "withdrawn" : answerWord(item.statement_id, item.score);
      state.notes[item.statement_id] = { text: t("saved", { answer: shown }), refused: false };
      if (item.score === null) { delete state.answers[item.statement_id]; }
      else { state.answers[item.statement_id] = item.score; }
      announce(t("saved_announce", { code: code, answer: shown }));
    } else {
      state.notes[item.statement_id] = { text: t("not_saved", { reason: msg.reason }), refused: true };
      announce(t("not_saved_announce", { code: code, reason: msg.reason }));
    }
  }

  function onError(msg) {
    if (msg.code === "wrong_pin" || msg.code === "locked_out") {
      $("join-error").textContent = msg.reason;
      pendingPin = "";
    } else if (msg.code === "unknown_token") {
      forget();
      $("join-error").textContent = t("join_again_pin");
    } else if (msg.code === "rate_limited" && msg.id) {
      setTimeout(flushOutbox, 1500);
    } else if (msg.code === "pdf_unavailable") {
      announce(msg.reason);
    } else {
      announce(msg.reason || msg.code);
    }
  }

  function forget() {
    state.token = "";
    state.status = "";
    state.outbox = [];
    saveOutbox();
    forgetAnswers();
    store.removeItem("calms.token");
  }

  // What the page showed as saved belonged to a person and a room: after a new join,
  // a removal or another person on this phone, only the room's own answers count
  // (the server sends them as "private" right after welcome or joined).
  function forgetAnswers() {
    if (state.participant) {  // unsent answers were that person's: never sent as another's
      state.outbox = [];
      saveOutbox();
    }
    state.answers = {};
    state.notes = {};
    state.participant = "";
    state.name = "";
  }

  function removed() {
    forget();
    $("pin").value = "";  // the next join asks for the PIN on the projector now
    state.status = "removed";
    render();
  }

  function onPdf(url) {
    state.pdfUrl = url;
    var link = $("pdf-link");
    link.href = url;
    link.setAttribute("download", "calms-summary.pdf");
    link.hidden = false;
    announce(t("summary_ready"));
    link.click();
  }

  // -- what the person does ---------------------------------------------------
  function vote(statementId, score) {
    if (state.paused) { return; }  // nothing is taken while the facilitator paused voting
    // One current answer per statement: a newer answer replaces one not yet
    // acknowledged (the server applies them in order either way).
    state.outbox = state.outbox.filter(function (o) { return o.statement_id !== statementId; });
    var item = { id: messageId(), statement_id: statementId, score: score };
    state.outbox.push(item);
    saveOutbox();
    state.notes[statementId] = { text: t("saving"), refused: false };
    if (!send({ type: "vote", id: item.id, statement_id: statementId, score: score })) {
      state.notes[statementId] = { text: t("queued"), refused: false };
    }
    renderVoteState();
  }

  function metricOf(metricId) {
    var pillars = (state.view && state.view.pillars) || [];
    for (var i = 0; i < pillars.length; i++) {
      var metrics = pillars[i].metrics || [];
      for (var j = 0; j < metrics.length; j++) {
        if (metrics[j].id === metricId) { return metrics[j]; }
      }
    }
    return null;
  }

  function answerWord(statementId, score) {
    var metric = metricOf(statementId);
    return metric ? metric.buckets[score] : LEVEL_WORDS[score];
  }

  function codeOf(statementId) {
    var metric = metricOf(statementId);
    if (metric) { return metric.name; }
    var pillars = (state.view && state.view.pillars) || [];
    for (var i = 0; i < pillars.length; i++) {
      for (var j = 0; j < pillars[i].statements.length; j++) {
        if (pillars[i].statements[j].id === statementId) { return pillars[i].statements[j].code; }
      }
    }
    return "";
  }

  function currentAnswer(statementId) {
    for (var i = state.outbox.length - 1; i >= 0; i--) {
      if (state.outbox[i].statement_id === statementId) { return state.outbox[i].score; }
    }
    return statementId in state.answers ? state.answers[statementId] : null;
  }

  // -- drawing ------------------------------------------------------------------
  var shownScreen = "";
  function show(id) {
    ["join", "pick", "pending", "waiting", "vote", "results", "summary", "removed"].forEach(
      function (name) { $("screen-" + name).hidden = name !== id; });
    if (shownScreen && shownScreen !== id) {
      // A new screen: take keyboard and screen-reader focus to its heading.
      var heading = $("screen-" + id).querySelector("h2");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
    shownScreen = id;
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function currentPillar() {
    var v = state.view;
    if (!v || !v.current) { return null; }
    for (var i = 0; i < v.pillars.length; i++) {
      if (v.pillars[i].pillar === v.current) { return v.pillars[i]; }
    }
    return null;
  }

  function render() {
    var v = state.view;
    $("title").textContent = v ? v.title : t("app_name");
    var who = state.status === "joined" && !state.anonymous && state.name;
    $("who").hidden = !who;
    $("who").textContent = who ? t("voting_as", { name: state.name }) : "";
    if (state.status === "removed") { show("removed"); return; }
    if (!state.token) { show("join"); return; }
    if (!state.status) {
      $("waiting-text").textContent = t("connecting_room");
      show("waiting");
      return;
    }
    if (state.status === "pending") { show("pending"); return; }
    if (state.status === "unbound") {
      if (state.anonymous) { show("waiting"); return; }
      renderPick();
      show("pick");
      return;
    }
    if (!v) { show("waiting"); return; }
    if (v.step === "summary") { renderSummary(); show("summary"); return; }
    var pillar = currentPillar();
    if (!pillar || pillar.phase === "not_started") {
      $("waiting-text").textContent = t("waiting_text");
      show("waiting");
      return;
    }
    if (pillar.phase === "revealed" || pillar.phase === "done") {
      renderResults(pillar);
      show("results");
      return;
    }
    renderVote(pillar);
    show("vote");
  }

  // Rebuild a part of the page only when what it shows changed, so the
  // keyboard focus and a screen reader's place survive every new count.
  var drawn = {};
  function changed(part, data) {
    var key = JSON.stringify(data);
    if (drawn[part] === key) { return false; }
    drawn[part] = key;
    return true;
  }

  function renderPick() {
    if (!changed("pick", state.participants)) { return; }
    var list = $("names");
    list.textContent = "";
    state.participants.forEach(function (p) {
      var item = el("li");
      var button = el("button", { type: "button" }, p.name);
      if (p.taken) {
        button.appendChild(el("span", { "class": "taken" }, t("on_other_phone")));
      }
      button.addEventListener("click", function () {
        $("pick-error").textContent = "";
        send({ type: "pick", participant_id: p.id });
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function renderVote(pillar) {
    var key = pillar.pillar + ":" + pillar.statements.map(function (s) { return s.id; }).join(",");
    $("vote-heading").textContent = pillar.title;
    $("vote-explanation").textContent = pillar.explanation;
    if (state.builtFor !== key) {  // built once per pillar so focus stays where it is
      state.builtFor = key;
      var box = $("statements");
      box.textContent = "";
      pillar.statements.forEach(function (s) { box.appendChild(statementForm(s)); });
      (pillar.metrics || []).forEach(function (m) { box.appendChild(metricForm(m)); });
    }
    renderVoteState();
  }

  // Every answer form ends with "Clear my answer" and the line saying what was saved.
  function withWithdraw(set, id) {
    var withdraw = el("button", { type: "button", "class": "withdraw" }, t("clear_answer"));
    withdraw.addEventListener("click", function () { vote(id, null); });
    set.appendChild(withdraw);
    set.appendChild(el("p", { "class": "saved", id: "note-" + id, "aria-live": "polite" }));
    return set;
  }

  // A delivery metric the room estimates: pick a bucket (sent as a vote on
  // "metric:<id>" with the bucket's index, 0 = worst; docs/phone-protocol.md).
  function metricForm(m) {
    var set = el("fieldset", { "class": "statement metric", id: "st-" + m.id });
    var legend = el("legend");
    legend.appendChild(el("span", { "class": "code" }, m.name));
    legend.appendChild(document.createTextNode(": " + m.question));
    set.appendChild(legend);
    m.buckets.forEach(function (label, index) {
      var choice = el("label", { "class": "choice" });
      var input = el("input", { type: "radio", name: "answer-" + m.id, value: String(index) });
      input.addEventListener("change", function () { if (input.checked) { vote(m.id, index); } });
      choice.appendChild(input);
      choice.appendChild(el("span", {}, label));
      set.appendChild(choice);
    });
    return withWithdraw(set, m.id);
  }

  function statementForm(s) {
    var set = el("fieldset", { "class": "statement", id: "st-" + s.id });
    var legend = el("legend");
    legend.appendChild(el("span", { "class": "code" }, s.code));
    legend.appendChild(document.createTextNode(" " + s.text));
    set.appendChild(legend);
    [1, 2, 3, 4, 5, 0].forEach(function (score) {
      var label = el("label", { "class": "choice" });
      var input = el("input", { type: "radio", name: "answer-" + s.id, value: String(score) });
      input.addEventListener("change", function () { if (input.checked) { vote(s.id, score); } });
      label.appendChild(input);
      var span = el("span");
      if (score === 0) {
        span.appendChild(el("b", {}, "?"));
        span.appendChild(document.createTextNode(" " + t("dont_know")));
      } else {
        span.appendChild(el("b", {}, String(score)));
        span.appendChild(document.createTextNode(" " + s.levels[score - 1]));
      }
      label.appendChild(span);
      set.appendChild(label);
    });
    return withWithdraw(set, s.id);
  }

  function renderVoteState() {
    var pillar = currentPillar();
    if (!pillar) { return; }
    var open = !!(state.view && state.view.voting_open) && !state.paused;
    $("vote-closed").hidden = open;
    $("vote-closed").textContent = state.paused ? t("paused_by_facilitator") : t("voting_paused");
    var p = state.progress;
    $("vote-progress").textContent = p.expected
      ? tn("voted_of", Math.max(p.voted, p.expected), { voted: p.voted, expected: p.expected })
      : tn("voted", p.voted);
    pillar.statements.concat(pillar.metrics || []).forEach(function (s) {
      var answer = currentAnswer(s.id);
      var inputs = document.getElementsByName("answer-" + s.id);
      Array.prototype.forEach.call(inputs, function (input) {
        input.checked = answer !== null && Number(input.value) === answer;
        input.disabled = !open;
      });
      var withdraw = document.querySelector("#st-" + CSS.escape(s.id) + " .withdraw");
      if (withdraw) { withdraw.disabled = !open || answer === null; }
      var note = $("note-" + s.id);
      var n = state.notes[s.id];
      if (note) {
        note.textContent = n ? n.text : "";
        note.className = "saved" + (n && n.refused ? " refused" : "");
      }
    });
  }

  function resultBlock(s, r) {
    var block = el("div", { "class": "result" });
    block.appendChild(el("h3", {}, s.code + " " + s.text));
    if (!r) { return block; }
    if (r.withheld) {
      block.appendChild(el("p", {}, r.withheld));
      return block;
    }
    var verdict = { agree: t("agree"), discuss: t("discuss"),
                    none: t("no_verdict") }[r.verdict] || "";
    block.appendChild(el("p", { "class": "figure" },
      r.mean + (r.level_name ? " · " + r.level_name : "")));
    block.appendChild(el("p", {}, verdict));
    var most = Math.max.apply(null, r.counts.concat([1]));
    var bars = el("ul", { "class": "bars", "aria-label": t("answers_per_level") });
    r.counts.forEach(function (count, i) {
      var li = el("li");
      li.appendChild(el("span", { "class": "lv" }, String(i + 1)));
      var bar = el("span", { "class": "bar", "aria-hidden": "true" });
      bar.style.width = Math.round(50 * count / most) + "%";
      li.appendChild(bar);
      li.appendChild(el("span", { "class": "n" }, tn("answers", count)));
      bars.appendChild(li);
    });
    block.appendChild(bars);
    var detail = tn("answers", r.answers);
    if (r.dont_know) { detail += " · " + t("dont_know_count", { n: r.dont_know }); }
    block.appendChild(el("p", {}, detail));
    return block;
  }

  function renderResults(pillar) {
    if (!changed("results", pillar)) { return; }
    $("results-heading").textContent = t("room_result", { pillar: pillar.title });
    $("results-pillar").textContent = pillar.result || "";
    var box = $("results");
    box.textContent = "";
    var byId = {};
    (pillar.results || []).forEach(function (r) { byId[r.statement_id] = r; });
    pillar.statements.forEach(function (s) { box.appendChild(resultBlock(s, byId[s.id])); });
  }

  function renderSummary() {
    var v = state.view;
    if (!changed("summary", [v, state.answers, state.anonymous])) { return; }
    var list = $("summary-pillars");
    list.textContent = "";
    v.pillars.forEach(function (p) {
      var text = p.title + ": " + (p.result || t("not_revealed"));
      list.appendChild(el("li", {}, text));
    });
    $("pdf-button").hidden = !v.pdf_available;
    var personal = v.personal_page && !state.anonymous;
    $("personal").hidden = !personal;
    if (!personal) { return; }
    var rows = $("personal-rows");
    rows.textContent = "";
    v.pillars.forEach(function (p) {
      var byId = {};
      (p.results || []).forEach(function (r) { byId[r.statement_id] = r; });
      p.statements.forEach(function (s) {
        var mine = s.id in state.answers ? LEVEL_WORDS[state.answers[s.id]] : "—";
        var r = byId[s.id];
        var room = !r ? t("not_revealed") : (r.withheld ? t("withheld") : r.mean);
        var tr = el("tr");
        tr.appendChild(el("td", {}, s.code + " " + s.text));
        tr.appendChild(el("td", { "class": "num" }, mine));
        tr.appendChild(el("td", { "class": "num" }, room));
        rows.appendChild(tr);
      });
    });
  }

  // -- wiring -----------------------------------------------------------------------
  document.addEventListener("DOMContentLoaded", function () {
    $("join-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var pin = $("pin").value.replace(/\s+/g, "");
      if (!/^[0-9]{6}$/.test(pin)) {
        $("join-error").textContent = t("pin_digits");
        return;
      }
      $("join-error").textContent = "";
      pendingPin = pin;
      if (!send({ type: "join", pin: pin })) { connect(); }
    });
    $("newcomer-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var name = $("newcomer").value.trim();
      if (!name) { $("pick-error").textContent = t("type_name"); return; }
      send({ type: "newcomer", name: name });
    });
    $("pdf-button").addEventListener("click", function () {
      if (!send({ type: "pdf" })) { announce(t("try_again")); }
    });
    $("rejoin").addEventListener("click", function () {
      state.status = "";
      render();
      $("pin").focus();
    });
    window.addEventListener("online", connect);
    render();
    if (state.token) { connect(); }
  });
})();
