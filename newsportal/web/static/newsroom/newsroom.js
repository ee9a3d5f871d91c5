/* Newsroom rich-text editor: a contenteditable area over the body textarea (which stays the form field,
   so with JS off the textarea is the editor). The server sanitizes whatever arrives. */
(function () {
  "use strict";
  var BLOCKS = { h2: "H2", h3: "H3", p: "P", quote: "BLOCKQUOTE" };

  function safeUrl(url) {
    var u = (url || "").trim();
    return /^(https?:\/\/|\/)/i.test(u) && !/^\/\//.test(u) ? u : "";
  }

  function setup(box) {
    var form = box.closest("form");
    var source = document.getElementById(box.getAttribute("data-rte"));
    var area = box.querySelector("[contenteditable]");
    if (!form || !source || !area || typeof document.execCommand !== "function") { return; }
    area.innerHTML = source.value;
    box.hidden = false;
    form.classList.add("nr-rte-on");
    source.setAttribute("aria-hidden", "true");
    source.tabIndex = -1;
    function sync() { source.value = area.innerHTML; }
    area.addEventListener("input", sync);
    form.addEventListener("submit", sync);
    try { document.execCommand("defaultParagraphSeparator", false, "p"); } catch (e) { /* older engines */ }
    box.querySelectorAll("[data-cmd]").forEach(function (btn) {
      btn.addEventListener("mousedown", function (ev) { ev.preventDefault(); });
      btn.addEventListener("click", function () {
        var cmd = btn.getAttribute("data-cmd");
        area.focus();
        if (BLOCKS[cmd]) {
          document.execCommand("formatBlock", false, BLOCKS[cmd]);
        } else if (cmd === "ul") {
          document.execCommand("insertUnorderedList");
        } else if (cmd === "ol") {
          document.execCommand("insertOrderedList");
        } else if (cmd === "link") {
          var url = safeUrl(window.prompt("链接地址（以 https:// 或 / 开头）", "https://"));
          if (url) { document.execCommand("createLink", false, url); }
        } else if (cmd === "unlink") {
          document.execCommand("unlink");
        } else if (cmd === "image") {
          var pick = document.getElementById("rte-image");
          var opt = pick && pick.options[pick.selectedIndex];
          if (opt) {
            var img = document.createElement("img");
            img.src = opt.value;
            img.alt = opt.getAttribute("data-alt") || "";
            img.width = Number(opt.getAttribute("data-width")) || 0;
            img.height = Number(opt.getAttribute("data-height")) || 0;
            var wrap = document.createElement("p");
            wrap.appendChild(img);
            document.execCommand("insertHTML", false, wrap.outerHTML);
          }
        }
        sync();
      });
    });
  }

  document.querySelectorAll("[data-rte]").forEach(setup);
}());
