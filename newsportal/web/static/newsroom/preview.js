/* Preview as you type: after a pause in typing, post the editor form (with its CSRF field) to
   /newsroom/preview and show the returned reader page in a sandboxed frame below the form. The frame has
   the `sandbox` attribute with no allowances, so nothing in the preview runs script, submits a form or
   navigates the newsroom page; the page's CSP still applies to it. Without JS the "预览（新窗口）" button
   posts the same form to a new window. */
(function () {
  "use strict";
  var DELAY_MS = 600;

  function setup(box) {
    var form = document.getElementById(box.getAttribute("data-preview"));
    var frame = box.querySelector("iframe");
    var state = box.querySelector("[data-preview-state]");
    if (!form || !frame || typeof window.fetch !== "function" || !("srcdoc" in frame)) { return; }
    var timer = 0;
    var sent = 0;   // number of the newest request; older answers arriving late are dropped
    box.hidden = false;

    function say(text) { if (state) { state.textContent = text; } }

    function refresh() {
      var mine = ++sent;
      var data = new FormData(form);
      say("正在更新预览…");
      window.fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRF-Token": String(data.get("csrf_token") || "") },
      }).then(function (resp) {
        return resp.text().then(function (html) { return { ok: resp.ok, status: resp.status, html: html }; });
      }).then(function (r) {
        if (mine !== sent) { return; }
        frame.srcdoc = r.html;
        say(r.ok ? "预览已更新" : (r.status === 401 ? "登录已过期，请在新窗口重新登录后继续（已输入的内容仍在表单中）"
                                                  : "暂时无法预览，请按框内提示修改"));
      }).catch(function () {
        if (mine === sent) { say("网络连接出错，预览没有更新"); }
      });
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DELAY_MS);
    }

    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  document.querySelectorAll("[data-preview]").forEach(setup);
}());
