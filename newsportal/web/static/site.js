/* 山海新闻 page script: view beacon, share control (copy link, share counting). Pages work without it. */
(function () {
  "use strict";
  // List times: the server writes "3小时前" when it renders (parts are cached up to a minute); this keeps
  // them right on a page served from a longer cache or left open. The absolute time stays in the title.
  function relative(iso, now) {
    var t = Date.parse(iso);
    if (isNaN(t)) return null;
    var s = (now - t) / 1000;
    if (s < 0) return null;
    if (s < 60) return "刚刚";
    if (s < 3600) return Math.floor(s / 60) + "分钟前";
    if (s < 86400) return Math.floor(s / 3600) + "小时前";
    return null;  // older: the server's date stays
  }
  function refreshTimes() {
    var now = Date.now();
    Array.prototype.forEach.call(document.querySelectorAll("time[data-rel]"), function (el) {
      var text = relative(el.getAttribute("datetime"), now);
      if (text && el.textContent !== text) el.textContent = text;
    });
  }
  refreshTimes();
  window.setInterval(refreshTimes, 60000);

  var article = document.querySelector("[data-article-id]");
  if (!article) return;
  var id = parseInt(article.getAttribute("data-article-id"), 10);
  var countEl = document.getElementById("share-count");
  var statusEl = document.querySelector(".share-status");
  var share = document.querySelector(".share");

  function announce(text) {
    if (!statusEl) return;
    statusEl.textContent = "";
    window.setTimeout(function () { statusEl.textContent = text; }, 50);
  }

  function send(kind, target) {
    var body = { article_id: id, kind: kind };
    if (target) body.target = target;
    return fetch("/api/v1/events", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      keepalive: true
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (data && countEl) countEl.textContent = String(data.shares);
      return data;
    }).catch(function () { return null; });
  }

  // 为你推荐 is per reader, so it is fetched after the view beacon (which sets the reader cookie) rather than
  // baked into the cached page. Without JavaScript the section keeps its link to the /foryou page.
  function renderForYou(items) {
    var box = document.querySelector("[data-foryou]");
    if (!box || !items || !items.length) return;
    var prefix = box.getAttribute("data-foryou") || "";
    var list = document.createElement("ol");
    list.className = "cards";
    // No story twice on one page: skip what the page's other lists already link to.
    var shown = {};
    Array.prototype.forEach.call(document.querySelectorAll("main a[href$='.html']"), function (a) {
      shown[a.getAttribute("href").split("/").pop()] = true;
    });
    items.forEach(function (it) {
      if (it.id === id || shown[it.slug + ".html"]) return;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.className = "card-title";
      a.href = prefix + "/a/" + it.slug + ".html";
      a.textContent = it.title;
      var meta = document.createElement("span");
      meta.className = "card-meta";
      meta.textContent = it.source_name + " " + it.published_at.replace("T", " ").slice(0, 19);
      li.appendChild(a);
      li.appendChild(meta);
      list.appendChild(li);
    });
    if (!list.children.length) return;
    var fallback = box.querySelector(".foryou-fallback");
    box.insertBefore(list, fallback);
    if (fallback) fallback.querySelector("a").textContent = "查看更多为你推荐";
  }

  send("view").then(function () {
    return fetch("/api/v1/me/recommendations?limit=6", { credentials: "same-origin" });
  }).then(function (r) { return r && r.ok ? r.json() : null; }).then(renderForYou).catch(function () {});

  // The share count is announced with the result of the share (status messages, WCAG 4.1.3).
  function counted(kind, target, before) {
    var timeout = new Promise(function (resolve) { window.setTimeout(function () { resolve(null); }, 1500); });
    return Promise.race([send(kind, target), timeout]).then(function (data) {
      var n = data ? data.shares : parseInt(countEl && countEl.textContent, 10);
      announce(before + (isFinite(n) ? "，本文已分享 " + n + " 次" : ""));
    });
  }

  var copyBtn = share && share.querySelector(".share-copy");
  if (copyBtn) {
    var copyLabel = copyBtn.textContent;
    copyBtn.hidden = false;
    copyBtn.addEventListener("click", function () {
      var url = share.getAttribute("data-share-url");
      var done = function () {
        copyBtn.textContent = "已复制";
        window.setTimeout(function () { copyBtn.textContent = copyLabel; }, 2500);
        counted("share", "copy", "已复制链接");
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, function () { announce("复制失败，请手动复制本文链接"); });
      } else {
        announce("当前浏览器不支持自动复制，请手动复制本文链接");
      }
    });
  }
  var wechat = share && share.querySelector(".share-wechat");
  if (wechat) {
    var summary = wechat.querySelector("summary");
    wechat.addEventListener("toggle", function () {
      if (wechat.open) counted("share", "wechat", "已打开微信二维码");
    });
    wechat.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && wechat.open) { wechat.open = false; summary.focus(); }
    });
    // The pop-over closes when focus or a click moves elsewhere, so it never hides what comes next.
    wechat.addEventListener("focusout", function (e) {
      if (wechat.open && e.relatedTarget && !wechat.contains(e.relatedTarget)) wechat.open = false;
    });
    document.addEventListener("click", function (e) {
      if (wechat.open && !wechat.contains(e.target)) wechat.open = false;
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".share-link"), function (a) {
    a.addEventListener("click", function () { send("share", a.getAttribute("data-share")); });
  });
})();
