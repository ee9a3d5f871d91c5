/* 跟贴 on the article page: fill the shared placeholder with the section fragment, then let the reader post,
   reply, like and report with fetch. Without this script the placeholder's link leads to the thread page,
   whose forms post to the server. No per-reader state is ever written into the cached article page. */
(function () {
  "use strict";
  var box = document.querySelector("[data-comments-section]");
  if (!box || !window.fetch) { return; }
  var body = box.querySelector(".comments-body");
  var csrf = "";
  var me = null;

  function status(text) {
    var el = box.querySelector("[data-comments-status]");
    if (el) { el.textContent = text; }
  }

  function whoLine() {
    var el = box.querySelector("[data-comments-who]");
    if (!el || !me || !me.signed_in) { return; }
    var acc = me.account;
    el.textContent = "";
    var text = "以「" + acc.nickname + "」的身份发言。";
    if (acc.verification === "pending") { text = "你的账号正在等待身份验证，验证通过后才能发表跟贴。"; }
    if (acc.verification === "refused") { text = "你的账号未通过身份验证，不能发表跟贴。"; }
    el.appendChild(document.createTextNode(text + " "));
    var link = document.createElement("a");
    link.href = box.getAttribute("data-comments-section").replace(/\/comments\/\d+\/section$/, "/readers/account");
    link.textContent = "我的账号";
    el.appendChild(link);
  }

  function fillTokens() {
    var inputs = box.querySelectorAll("input[name=csrf]");
    for (var i = 0; i < inputs.length; i++) { inputs[i].value = csrf; }
  }

  function formJson(form) {
    var data = {};
    var fd = new FormData(form);
    fd.forEach(function (value, key) {
      if (key === "csrf") { return; }
      data[key] = key === "reply_to" ? parseInt(value, 10) : value;
    });
    return data;
  }

  function onSubmit(event) {
    var form = event.target;
    var api = form.getAttribute("data-api");
    if (!api || !csrf) { return; } /* no token yet: let the browser post the form to the server */
    event.preventDefault();
    fetch(api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify(formJson(form))
    }).then(function (resp) {
      return resp.json().then(function (data) { return { ok: resp.ok, data: data }; });
    }).then(function (r) {
      if (!r.ok) { status(r.data.error ? r.data.error.message : "操作失败，请稍后再试。"); return; }
      if (form.classList.contains("comment-like")) {
        var count = form.querySelector(".comment-likes");
        if (count) { count.textContent = r.data.likes; }
        status("已点赞。");
        return;
      }
      status(r.data.message || r.data.outcome || "已提交。");
      form.reset();
      fillTokens();
      var details = form.closest("details");
      if (details) { details.open = false; details.querySelector("summary").focus(); }
    }).catch(function () { status("网络异常，请稍后再试。"); });
  }

  fetch(box.getAttribute("data-comments-section"), { credentials: "same-origin" })
    .then(function (resp) { if (!resp.ok) { throw new Error("section"); } return resp.text(); })
    .then(function (html) {
      /* A keyboard user may already be on the fallback link when the fragment arrives: replacing it would
         drop their focus to the page top, so hand it to the fragment's link to the same thread page. */
      var focused = document.activeElement;
      var hadFocus = !!focused && focused !== body && body.contains(focused);
      body.innerHTML = html;
      if (hadFocus) {
        var same = body.querySelector(".comments-more-link a") || body.querySelector("a, button, textarea");
        if (same) { same.focus(); }
      }
      box.addEventListener("submit", onSubmit);
      return fetch("/api/v1/readers/me", { credentials: "same-origin" });
    })
    .then(function (resp) { return resp.json(); })
    .then(function (data) { me = data; csrf = data.csrf || ""; fillTokens(); whoLine(); })
    .catch(function () { /* keep the fallback link */ });
}());
