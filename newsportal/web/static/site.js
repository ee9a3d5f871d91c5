/* 山海新闻 page script: view beacon, share control (copy link, share counting). Pages work without it. */
(function () {
  "use strict";
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

  send("view");

  var copyBtn = share && share.querySelector(".share-copy");
  if (copyBtn) {
    copyBtn.hidden = false;
    copyBtn.addEventListener("click", function () {
      var url = share.getAttribute("data-share-url");
      var done = function () { announce("已复制链接"); send("share", "copy"); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(done, function () { announce("复制失败，请手动复制本文链接"); });
      } else {
        announce("当前浏览器不支持自动复制，请手动复制本文链接");
      }
    });
  }
  var wechat = share && share.querySelector(".share-wechat");
  if (wechat) {
    wechat.addEventListener("toggle", function () { if (wechat.open) send("share", "wechat"); });
    wechat.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && wechat.open) { wechat.open = false; wechat.querySelector("summary").focus(); }
    });
  }
  Array.prototype.forEach.call(document.querySelectorAll(".share-link"), function (a) {
    a.addEventListener("click", function () { send("share", a.getAttribute("data-share")); });
  });
})();
