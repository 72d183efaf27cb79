// sangsaeng chat: a conversation live over /ws/chat/ (protocol: sangsaeng/messaging/protocol.md).
// Messages are keyed by seq: anything at or below the last seq shown is a duplicate and dropped.
(function () {
  "use strict";
  var REACTIONS = ["👍", "❤️", "😂", "😮", "😢", "🙏"];

  // The conversation list's unread badges count up as messages arrive in other conversations.
  function bump(convId, me) {
    var list = document.querySelector("[data-testid=conversation-list]");
    var link = list && list.querySelector('a[data-conversation="' + convId + '"]');
    if (!link) return;
    var badge = link.querySelector(".chat-unread");
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "chat-unread";
      badge.setAttribute("data-testid", "unread");
      badge.textContent = "0";
      link.appendChild(badge);
    }
    badge.textContent = String(Number(badge.textContent) + 1);
    var item = link.parentNode;
    item.parentNode.insertBefore(item, item.parentNode.firstChild);
  }
  window.sangsaengChatBump = bump;

  function listOnly(list) {
    if (!list.dataset.wsUrl || !("WebSocket" in window)) return;
    var attempt = 0;
    (function connect() {
      var ws = new WebSocket(list.dataset.wsUrl);
      ws.onopen = function () { attempt = 0; };
      ws.onmessage = function (event) {
        var f; try { f = JSON.parse(event.data); } catch (e) { return; }
        if (f.type === "message" && !(f.message.sender && f.message.sender.id === list.dataset.me)) bump(f.message.conversation);
      };
      ws.onclose = function (event) {
        if (event.code === 4401) return;
        attempt += 1;
        setTimeout(connect, Math.min(10000, 300 * Math.pow(2, attempt)));
      };
    })();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var room = document.getElementById("chat-room");
    if (!room) {
      var chatList = document.querySelector("[data-testid=conversation-list]");
      if (chatList) listOnly(chatList);
      return;
    }
    var conv = room.dataset.conversation, me = room.dataset.me, L = room.dataset;
    var api = "/api/v1/messaging";
    var list = room.querySelector(".chat-messages");
    var typingBox = room.querySelector(".chat-typing");
    var statusBox = room.querySelector(".chat-status");
    var form = room.querySelector(".chat-compose");
    var textarea = form.querySelector("textarea");
    var replyBox = room.querySelector(".chat-replying");
    var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    var csrf = csrfInput ? csrfInput.value : "";
    var lastSeq = 0, firstSeq = null, replyTo = null, ws = null, attempt = 0, typingTimer = null, lastTyping = 0;
    var lastEv = null;  // the last change event seen (new, edited, deleted, reacted-to messages)
    var reads = {};  // user id -> last read seq
    var members = [];
    var pending = [];  // frames sent while offline, resent on reconnect (same client_id: stored once)

    function el(tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) node.className = cls;
      if (text !== undefined) node.textContent = text;
      return node;
    }
    function request(method, path, body, isForm) {
      var headers = { "X-CSRFToken": csrf, "Accept": "application/json" };
      if (body && !isForm) headers["Content-Type"] = "application/json";
      return fetch(api + path, { method: method, headers: headers, credentials: "same-origin",
        body: body ? (isForm ? body : JSON.stringify(body)) : undefined }).then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) { window.sangsaeng && window.sangsaeng.toast(data.detail || data.message_ko || r.status, "error"); throw data; }
          return data;
        });
      });
    }
    function clientId() { return "w" + Date.now().toString(36) + Math.random().toString(36).slice(2, 10); }

    function unreadCount(seq) {
      var n = 0;
      members.forEach(function (m) { if ((reads[m.user] || 0) < seq) n += 1; });
      return n;
    }
    function render(m) {
      var li = el("li", "chat-msg" + (m.sender && m.sender.id === me ? " mine" : "") + (m.as_channel ? " channel" : ""));
      li.dataset.seq = m.seq;
      li.dataset.id = m.id;
      li.dataset.testid = "message";
      li.setAttribute("data-testid", "message");
      var bubble = el("div", "chat-bubble");
      if (!(m.sender && m.sender.id === me)) bubble.appendChild(el("div", "chat-sender", m.sender_name));
      if (m.reply_to) {
        var q = el("blockquote", "chat-quote");
        q.appendChild(el("strong", "", m.reply_to.sender_name + " "));
        q.appendChild(document.createTextNode(m.reply_to.text));
        bubble.appendChild(q);
      }
      if (m.deleted) {
        bubble.appendChild(el("div", "chat-deleted muted", L.lDeleted));
      } else {
        if (m.media) {
          if (m.kind === "image") {
            var img = el("img", "chat-image"); img.src = m.media.url + "?size=preview"; img.alt = m.media.name; img.loading = "lazy";
            var a = el("a"); a.href = m.media.url; a.target = "_blank"; a.appendChild(img); bubble.appendChild(a);
          } else if (m.kind === "video") {
            var v = el("video", "chat-image"); v.src = m.media.url; v.controls = true; bubble.appendChild(v);
          } else {
            var f = el("a", "chat-file", "📄 " + m.media.name); f.href = m.media.url; f.target = "_blank"; bubble.appendChild(f);
          }
        }
        if (m.card_html) {
          var card = el("div", "chat-card-wrap");
          card.innerHTML = m.card_html;  // server-rendered, autoescaped template
          bubble.appendChild(card);
        }
        if (m.text) bubble.appendChild(el("div", "chat-text", m.text));
      }
      li.appendChild(bubble);
      var meta = el("div", "chat-meta muted");
      var unread = m.sender && m.sender.id === me ? unreadCount(m.seq) : 0;
      var u = el("span", "chat-unread-by", unread ? String(unread) : "");
      u.title = L.lUnreadBy;
      meta.appendChild(u);
      meta.appendChild(el("time", "", new Date(m.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
      if (m.edited) meta.appendChild(el("span", "", " · " + L.lEdited));
      li.appendChild(meta);
      var reacts = el("div", "chat-reactions");
      Object.keys(m.reactions || {}).forEach(function (emoji) {
        var mine = m.reactions[emoji].indexOf(me) >= 0;
        var b = el("button", "chip" + (mine ? " primary" : ""), emoji + " " + m.reactions[emoji].length);
        b.type = "button"; b.dataset.react = emoji; b.dataset.mine = mine ? "1" : "";
        reacts.appendChild(b);
      });
      li.appendChild(reacts);
      if (!m.deleted) {
        var tools = el("div", "chat-tools");
        REACTIONS.forEach(function (emoji) { var b = el("button", "chip ghost", emoji); b.type = "button"; b.dataset.react = emoji; tools.appendChild(b); });
        var r = el("button", "chip ghost", L.lReply); r.type = "button"; r.dataset.reply = "1"; tools.appendChild(r);
        if (m.sender && m.sender.id === me) { var d = el("button", "chip ghost", L.lDelete); d.type = "button"; d.dataset.del = "1"; tools.appendChild(d); }
        else { var rp = el("button", "chip ghost", L.lReport); rp.type = "button"; rp.dataset.report = "1"; tools.appendChild(rp); }
        li.appendChild(tools);
      }
      li._message = m;
      return li;
    }
    function place(m) {
      var existing = list.querySelector('li[data-seq="' + m.seq + '"]');
      var li = render(m);
      if (existing) { list.replaceChild(li, existing); return; }
      var after = null;
      Array.prototype.some.call(list.children, function (node) {
        if (Number(node.dataset.seq) > m.seq) { after = node; return true; } return false;
      });
      list.insertBefore(li, after);
      if (firstSeq === null || m.seq < firstSeq) firstSeq = m.seq;
    }
    function deliver(m) {
      if (m.conversation !== conv) {
        if (!(m.sender && m.sender.id === me)) bump(m.conversation);
        return;
      }
      if (m.seq <= lastSeq && list.querySelector('li[data-seq="' + m.seq + '"]')) return;
      var atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      place(m);
      if (m.seq > lastSeq) lastSeq = m.seq;
      if (atBottom || (m.sender && m.sender.id === me)) list.scrollTop = list.scrollHeight;
      markRead();
    }
    function refreshUnread() {
      list.querySelectorAll("li.chat-msg.mine").forEach(function (li) {
        var n = unreadCount(Number(li.dataset.seq));
        li.querySelector(".chat-unread-by").textContent = n ? String(n) : "";
      });
    }
    function markRead() {
      if (document.hidden || !lastSeq || (reads[me] || 0) >= lastSeq) return;
      reads[me] = lastSeq;
      send({ type: "read", conversation: conv, seq: lastSeq }, true);
    }
    function send(frame, dropIfOffline) {
      if (ws && ws.readyState === 1) { ws.send(JSON.stringify(frame)); return; }
      if (!dropIfOffline) pending.push(frame);
    }
    function status(text) { statusBox.textContent = text || ""; statusBox.hidden = !text; }

    var retryTimer = null;
    function connect() {
      if (!L.wsUrl || !("WebSocket" in window)) return;
      if (ws && ws.readyState <= 1) return;
      clearTimeout(retryTimer);
      ws = new WebSocket(L.wsUrl);
      ws.onopen = function () { attempt = 0; };
      ws.onmessage = function (event) {
        var f; try { f = JSON.parse(event.data); } catch (e) { return; }
        if ((f.type === "message" || f.type === "message_updated") && f.message.conversation === conv && f.ev) {
          lastEv = Math.max(lastEv || 0, f.ev);
        }
        if (f.type === "hello") {
          var cursors = {}; cursors[conv] = lastSeq;
          var sync = { type: "sync", cursors: cursors };
          if (lastEv !== null) { sync.events = {}; sync.events[conv] = lastEv; }
          ws.send(JSON.stringify(sync));
        } else if (f.type === "synced") {
          if (f.events && typeof f.events[conv] === "number") lastEv = f.events[conv];
          status("");
          room.dataset.connected = "1";
          var queued = pending; pending = [];
          queued.forEach(function (frame) { ws.send(JSON.stringify(frame)); });
        } else if (f.type === "message") deliver(f.message);
        else if (f.type === "message_updated" && f.message.conversation === conv) {
          if (list.querySelector('li[data-seq="' + f.message.seq + '"]')) place(f.message);
        } else if (f.type === "typing" && f.conversation === conv && f.user !== me) {
          typingBox.textContent = f.name + " " + L.lTyping; typingBox.hidden = false;
          clearTimeout(typingTimer); typingTimer = setTimeout(function () { typingBox.hidden = true; }, 3000);
        } else if (f.type === "read" && f.conversation === conv) {
          reads[f.user] = Math.max(reads[f.user] || 0, f.seq); refreshUnread();
        } else if (f.type === "error") {
          window.sangsaeng && window.sangsaeng.toast(document.documentElement.lang === "en" ? f.message_en : f.message_ko, "error");
        }
      };
      ws.onclose = function (event) {
        room.dataset.connected = "";
        if (event.code === 4401) return;
        status(L.lOffline);
        attempt += 1;
        clearTimeout(retryTimer);
        retryTimer = setTimeout(connect, Math.min(10000, 300 * Math.pow(2, attempt)));
      };
    }
    // The network went away: drop the socket now instead of waiting for it to time out; when it
    // comes back, reconnect at once and sync from the last seq and change event seen.
    window.addEventListener("offline", function () { if (ws) ws.close(); });
    window.addEventListener("online", function () { attempt = 0; connect(); });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = textarea.value.trim();
      if (!text) return;
      var frame = { type: "send", conversation: conv, text: text, client_id: clientId() };
      if (replyTo) frame.reply_to = replyTo;
      send(frame);
      textarea.value = ""; replyTo = null; replyBox.hidden = true;
    });
    textarea.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) { event.preventDefault(); form.requestSubmit(); }
    });
    textarea.addEventListener("input", function () {
      if (Date.now() - lastTyping > 2000) { lastTyping = Date.now(); send({ type: "typing", conversation: conv }, true); }
    });
    form.querySelector("input[type=file]").addEventListener("change", function (event) {
      var file = event.target.files[0];
      if (!file) return;
      var data = new FormData(); data.append("file", file); data.append("client_id", clientId());
      request("POST", "/conversations/" + conv + "/attachments", data, true).then(deliver);
      event.target.value = "";
    });
    replyBox.querySelector("[data-cancel-reply]").addEventListener("click", function () { replyTo = null; replyBox.hidden = true; });
    list.addEventListener("click", function (event) {
      var target = event.target.closest("button"); if (!target) return;
      var li = target.closest("li.chat-msg"); if (!li) return;
      var m = li._message;
      if (target.dataset.react) {
        var path = "/messages/" + m.id + "/reactions" + (target.dataset.mine ? "/remove" : "");
        request("POST", path, { emoji: target.dataset.react }).then(place);
      } else if (target.dataset.reply) {
        replyTo = m.id; replyBox.hidden = false;
        replyBox.querySelector("span").textContent = L.lReply + ": " + m.sender_name + " — " + (m.text || "").slice(0, 60);
        textarea.focus();
      } else if (target.dataset.del) {
        request("DELETE", "/messages/" + m.id).then(place);
      } else if (target.dataset.report) {
        var reason = window.prompt(L.lReportReason);
        if (reason) request("POST", "/messages/" + m.id + "/report", { reason: reason }).then(function () { window.sangsaeng.toast(L.lReported); });
      } else if (target.hasAttribute("data-card-save")) {
        request("POST", "/messages/" + m.id + "/card/save").then(function () { window.sangsaeng.toast(target.dataset.cardDone || L.lSaved); target.disabled = true; });
      }
    });
    var older = el("button", "btn secondary small chat-older", L.lOlder); older.type = "button";
    list.parentNode.insertBefore(older, list);
    older.addEventListener("click", function () {
      if (firstSeq === null || firstSeq <= 1) return;
      var before = firstSeq;
      request("GET", "/conversations/" + conv + "/messages?before_seq=" + before + "&limit=50").then(function (rows) {
        rows.forEach(place); older.hidden = !rows.length || rows[0].seq <= 1;
      });
    });
    document.addEventListener("visibilitychange", markRead);

    request("GET", "/conversations/" + conv).then(function (c) {
      members = c.members.filter(function (m) { return m.user !== me; });
      c.members.forEach(function (m) { reads[m.user] = m.last_read_seq; });
      lastEv = c.last_ev;
      return request("GET", "/conversations/" + conv + "/messages?limit=50");
    }).then(function (rows) {
      rows.forEach(function (m) { place(m); if (m.seq > lastSeq) lastSeq = m.seq; });
      older.hidden = !rows.length || rows[0].seq <= 1;
      list.scrollTop = list.scrollHeight;
      markRead();
      connect();
    });
  });
})();
