/* 山海新闻 无障碍浏览 toolbar: text zoom, page zoom, high-contrast colour schemes, reading guide, large
 * pointer, text-only view and read-aloud (speechSynthesis, zh-CN) in 指读 and 连读 modes, with shortcuts.
 *
 * Loaded as a blocking script right after the toolbar's <template> at the top of <body>, so the stored
 * settings are applied to <html> before anything is painted and an open toolbar is in place before the
 * header: no flash of the wrong colours, no layout shift. Settings live in localStorage (a cookie when
 * storage is unavailable); whatever is read back is validated field by field and anything unknown falls back
 * to its default. Pages work fully without this script.
 */
(function () {
  "use strict";

  var STORE_KEY = "np-a11y";
  var COOKIE = "np_a11y";
  var MAX_STORED = 1000;
  var TEXT_STEPS = [100, 115, 130, 150, 175, 200];
  var ZOOM_STEPS = [100, 125, 150, 175, 200, 250, 300];
  var CONTRASTS = ["none", "black-white", "black-yellow", "white-black", "blue-yellow"];
  var CONTRAST_NAMES = {
    "none": "默认配色", "black-white": "黑底白字", "black-yellow": "黑底黄字",
    "white-black": "白底黑字", "blue-yellow": "蓝底黄字"
  };
  var GUIDES = ["none", "horizontal", "vertical", "cross"];
  var GUIDE_NAMES = { "none": "关闭", "horizontal": "横线", "vertical": "竖线", "cross": "十字线" };
  var DEFAULTS = {
    open: false, text: 100, zoom: 100, contrast: "none", guide: "none",
    cursor: false, textOnly: false, point: false, volume: 1, rate: 1
  };
  var MSG_UNSUPPORTED = "当前浏览器不支持语音朗读。请换用新版的 Edge、Chrome、Safari 或火狐浏览器，" +
    "或使用电脑、手机自带的读屏功能。";
  var MSG_NO_ENGINE = "语音朗读没有声音：本机可能没有安装中文语音。请在系统设置中添加中文（普通话）语音后重试。";
  var MSG_FAILED = "语音朗读出错，已停止。请稍后重试，或换用其他浏览器。";
  var MSG_NO_CHINESE = "没有找到中文语音，朗读可能不准确。可以在系统设置中添加中文（普通话）语音。";

  var root = document.documentElement;
  var bar = null;          // the toolbar, once cloned from its template
  var link = null;         // the footer link that opens it
  var live = null;         // a status region for announcements
  var guide = null;        // the reading guide's lines
  var guideAt = null;      // where they are, in viewport pixels
  var careSwitch = null;   // the 关怀版 article's read-aloud switch
  var speech = { mode: null, paused: false, gen: 0, utterance: null, current: null, watchdog: null };

  // ---- settings: read, validate, apply, save ------------------------------------------------------
  function copy(obj) {
    var out = {};
    for (var k in obj) if (Object.prototype.hasOwnProperty.call(obj, k)) out[k] = obj[k];
    return out;
  }
  function oneOf(list, value, fallback) { return list.indexOf(value) >= 0 ? value : fallback; }
  function bool(value, fallback) { return typeof value === "boolean" ? value : fallback; }
  function number(value, lo, hi, fallback) {
    if (typeof value !== "number" || !isFinite(value) || value < lo || value > hi) return fallback;
    return Math.round(value * 10) / 10;
  }

  /** A clean settings object from anything (parsed JSON from storage); unknown or bad fields -> defaults. */
  function validate(raw) {
    var s = copy(DEFAULTS);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return s;
    var get = function (k) { return Object.prototype.hasOwnProperty.call(raw, k) ? raw[k] : undefined; };
    s.open = bool(get("open"), DEFAULTS.open);
    s.text = oneOf(TEXT_STEPS, get("text"), DEFAULTS.text);
    s.zoom = oneOf(ZOOM_STEPS, get("zoom"), DEFAULTS.zoom);
    s.contrast = oneOf(CONTRASTS, get("contrast"), DEFAULTS.contrast);
    s.guide = oneOf(GUIDES, get("guide"), DEFAULTS.guide);
    s.cursor = bool(get("cursor"), DEFAULTS.cursor);
    s.textOnly = bool(get("textOnly"), DEFAULTS.textOnly);
    s.point = bool(get("point"), DEFAULTS.point);
    s.volume = number(get("volume"), 0, 1, DEFAULTS.volume);
    s.rate = number(get("rate"), 0.5, 2, DEFAULTS.rate);
    return s;
  }

  function parse(text) {
    if (typeof text !== "string" || !text || text.length > MAX_STORED) return null;
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }  // blocked storage throws on access
  }

  function readCookie() {
    var parts = (document.cookie || "").split(";");
    for (var i = 0; i < parts.length; i++) {
      var kv = parts[i].replace(/^\s+/, "");
      if (kv.indexOf(COOKIE + "=") === 0) {
        try { return decodeURIComponent(kv.slice(COOKIE.length + 1)); } catch (e) { return null; }
      }
    }
    return null;
  }

  function load() {
    var raw = null, st = storage();
    if (st) { try { raw = st.getItem(STORE_KEY); } catch (e) { raw = null; } }
    if (raw === null) raw = readCookie();
    return validate(parse(raw));
  }

  function save() {
    var text = JSON.stringify(settings), st = storage();
    if (st) { try { st.setItem(STORE_KEY, text); } catch (e) { /* full or blocked: the cookie still holds it */ } }
    try {
      document.cookie = COOKIE + "=" + encodeURIComponent(text) + "; path=/; max-age=31536000; SameSite=Lax";
    } catch (e) { /* cookies disabled: the settings last for this page only */ }
  }

  var settings = load();

  function setAttr(name, on, value) {
    if (on) root.setAttribute(name, value); else root.removeAttribute(name);
  }

  function apply() {
    root.style.fontSize = settings.text === 100 ? "" : settings.text + "%";
    if (settings.zoom === 100) root.style.removeProperty("--np-zoom");
    else root.style.setProperty("--np-zoom", String(settings.zoom / 100));
    setAttr("data-np-contrast", settings.contrast !== "none", settings.contrast);
    setAttr("data-np-guide", settings.guide !== "none", settings.guide);
    setAttr("data-np-cursor", settings.cursor, "large");
    setAttr("data-np-text-only", settings.textOnly, "on");
    if (document.body) { placeGuide(); if (settings.textOnly) describeImages(); }
    sync();
  }

  apply();

  // ---- announcements -------------------------------------------------------------------------------
  function ensureLive() {
    if (!live && document.body) {
      live = document.createElement("div");
      live.className = "visually-hidden";
      live.id = "np-a11y-live";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
    }
    return live;
  }
  function announce(text) {
    var region = ensureLive();
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 60);
  }

  // ---- the toolbar ---------------------------------------------------------------------------------

  // Every "无障碍浏览" link (top bar and footer) opens the toolbar; the top bar's one has the id.
  var OPENERS = "#a11y-toolbar-link, .np-a11y-open";
  function toolbarLink() {
    if (!link) {
      link = document.getElementById("a11y-toolbar-link");
      Array.prototype.forEach.call(document.querySelectorAll(OPENERS), function (el) {
        el.setAttribute("role", "button");
        el.setAttribute("aria-controls", "np-a11y");
        el.setAttribute("aria-expanded", settings.open ? "true" : "false");
      });
    }
    return link;
  }

  function mount() {
    if (bar) return bar;
    var tpl = document.getElementById("np-a11y-template");
    if (!tpl || !tpl.content) return null;
    bar = tpl.content.querySelector(".np-a11y").cloneNode(true);
    tpl.parentNode.insertBefore(bar, tpl.nextSibling);
    bar.addEventListener("click", onBarClick);
    bar.addEventListener("change", onBarChange);
    bar.addEventListener("input", onBarInput);
    if (!speechSupported()) showNote(MSG_UNSUPPORTED);
    sync();
    return bar;
  }

  function openBar(focus) {
    mount();
    if (!bar) return;
    bar.hidden = false;
    if (!settings.open) { settings.open = true; save(); }
    sync();
    if (focus) {
      var first = bar.querySelector("button, select, input");
      (first || bar).focus();
      announce("已打开无障碍工具条");
    }
  }

  function closeBar() {
    if (bar) bar.hidden = true;
    settings.open = false;
    save();
    sync();
    var l = toolbarLink();
    if (l) l.focus();
    announce("已关闭无障碍工具条，按 Alt+A 可以重新打开");
  }

  function sync() {
    toolbarLink();
    var expanded = settings.open && bar && !bar.hidden ? "true" : "false";
    Array.prototype.forEach.call(document.querySelectorAll(OPENERS), function (el) {
      el.setAttribute("aria-expanded", expanded);
    });
    syncCareSwitch();
    if (!bar) return;
    var q = function (sel) { return bar.querySelector(sel); };
    q('[data-np-value="text"]').textContent = settings.text + "%";
    q('[data-np-value="zoom"]').textContent = settings.zoom + "%";
    q('[data-np-setting="contrast"]').value = settings.contrast;
    q('[data-np-setting="guide"]').value = settings.guide;
    setRange(q('[data-np-setting="volume"]'), settings.volume, Math.round(settings.volume * 100) + "%");
    setRange(q('[data-np-setting="rate"]'), settings.rate, settings.rate.toFixed(1) + " 倍");
    pressed(q('[data-np-action="cursor"]'), settings.cursor);
    pressed(q('[data-np-action="text-only"]'), settings.textOnly);
    pressed(q('[data-np-action="point"]'), settings.point);
    pressed(q('[data-np-action="read"]'), speech.mode === "continuous");
    pressed(q('[data-np-action="pause"]'), speech.paused);
  }
  function pressed(el, on) { if (el) el.setAttribute("aria-pressed", on ? "true" : "false"); }
  function setRange(el, value, text) {
    if (!el) return;
    el.value = String(value);
    el.setAttribute("aria-valuetext", text);
  }

  function step(list, current, dir) {
    var i = list.indexOf(current) + dir;
    return list[Math.max(0, Math.min(list.length - 1, i))];
  }

  function change(key, value, message) {
    settings[key] = value;
    save();
    apply();
    if (message) announce(message);
  }

  var actions = {
    "text-up": function () { textZoom(1); },
    "text-down": function () { textZoom(-1); },
    "zoom-in": function () { pageZoom(1); },
    "zoom-out": function () { pageZoom(-1); },
    "cursor": function () { change("cursor", !settings.cursor, settings.cursor ? "已关闭大鼠标" : "已开启大鼠标"); },
    "text-only": function () {
      change("textOnly", !settings.textOnly, settings.textOnly ? "已退出纯文本模式" : "已切换到纯文本模式");
    },
    "point": function () { togglePoint(); },
    "read": function () { if (speech.mode === "continuous") stopSpeech(true); else readPage(); },
    "pause": function () { pauseSpeech(); },
    "stop": function () { stopSpeech(true); },
    "reset": function () { reset(); },
    "help": function (btn) {
      var help = bar.querySelector("#np-a11y-help");
      help.hidden = !help.hidden;
      btn.setAttribute("aria-expanded", help.hidden ? "false" : "true");
    },
    "close": function () { closeBar(); }
  };

  function onBarClick(e) {
    var btn = e.target.closest ? e.target.closest("[data-np-action]") : null;
    if (!btn || !bar.contains(btn)) return;
    var act = actions[btn.getAttribute("data-np-action")];
    if (act) act(btn);
  }

  function onBarChange(e) {
    var key = e.target.getAttribute("data-np-setting");
    if (key === "contrast") setContrast(oneOf(CONTRASTS, e.target.value, "none"));
    else if (key === "guide") setGuide(oneOf(GUIDES, e.target.value, "none"));
    else if (key === "volume" || key === "rate") onBarInput(e);
  }

  function onBarInput(e) {
    var key = e.target.getAttribute("data-np-setting");
    if (key !== "volume" && key !== "rate") return;
    var v = parseFloat(e.target.value);
    settings[key] = key === "volume" ? number(v, 0, 1, 1) : number(v, 0.5, 2, 1);
    save();
    sync();
  }

  function textZoom(dir) {
    var next = step(TEXT_STEPS, settings.text, dir);
    if (next === settings.text) { announce(dir > 0 ? "文字已是最大" : "文字已是默认大小"); return; }
    change("text", next, "文字大小 " + next + "%");
  }
  function pageZoom(dir) {
    var next = step(ZOOM_STEPS, settings.zoom, dir);
    if (next === settings.zoom) { announce(dir > 0 ? "页面已放到最大" : "页面已是原始大小"); return; }
    change("zoom", next, "页面缩放 " + next + "%");
  }
  function setContrast(value) { change("contrast", value, "配色：" + CONTRAST_NAMES[value]); }
  function setGuide(value) {
    change("guide", value, value === "none" ? "已关闭阅读辅助线" : "阅读辅助线：" + GUIDE_NAMES[value]);
  }
  function reset() {
    stopSpeech(false);
    var open = settings.open;
    settings = copy(DEFAULTS);
    settings.open = open;
    save();
    apply();
    announce("已恢复默认设置");
  }

  // ---- reading guide -------------------------------------------------------------------------------

  function placeGuide(x, y) {
    if (settings.guide === "none") { if (guide) guide.hidden = true; return; }
    if (!guide) {
      guide = document.createElement("div");
      guide.className = "np-guide";
      guide.setAttribute("aria-hidden", "true");
      guide.innerHTML = '<div class="np-guide-h"></div><div class="np-guide-v"></div>';
      root.appendChild(guide);  // outside <body>, so the page zoom does not move it off the pointer
    }
    if (typeof x === "number") guideAt = [x, y];
    if (!guideAt) guideAt = [window.innerWidth / 2, window.innerHeight / 3];
    guide.hidden = false;
    guide.firstChild.style.transform = "translateY(" + Math.round(guideAt[1]) + "px)";
    guide.lastChild.style.transform = "translateX(" + Math.round(guideAt[0]) + "px)";
  }

  document.addEventListener("mousemove", function (e) {
    if (settings.guide !== "none") placeGuide(e.clientX, e.clientY);
  }, { passive: true });

  // ---- text-only view: images become their text ---------------------------------------------------
  function describeImages() {
    var imgs = document.querySelectorAll("main img:not([data-np-described])");
    for (var i = 0; i < imgs.length; i++) {
      var img = imgs[i], alt = (img.getAttribute("alt") || "").trim();
      img.setAttribute("data-np-described", "");
      if (!alt) continue;
      var span = document.createElement("span");
      span.className = "np-img-text";
      span.textContent = "［图片：" + alt + "］";
      img.parentNode.insertBefore(span, img.nextSibling);
    }
  }

  // ---- read-aloud ----------------------------------------------------------------------------------

  function speechSupported() {
    return !!(window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function" &&
      typeof window.speechSynthesis.speak === "function");
  }

  function showNote(text) {
    var targets = document.querySelectorAll("[data-np-note]");
    for (var i = 0; i < targets.length; i++) {
      targets[i].textContent = text;
      targets[i].hidden = !text;
    }
  }

  function complain(text) {
    showNote(text);
    announce(text);
  }

  function pickVoice() {
    var voices = [];
    try { voices = window.speechSynthesis.getVoices() || []; } catch (e) { voices = []; }
    var lang = function (v) { return String(v.lang || "").replace("_", "-").toLowerCase(); };
    var best = null;
    for (var i = 0; i < voices.length && !best; i++) if (lang(voices[i]) === "zh-cn") best = voices[i];
    for (var j = 0; j < voices.length && !best; j++) {
      var l = lang(voices[j]);
      if (l.indexOf("zh") === 0 || l.indexOf("cmn") === 0) best = voices[j];
    }
    if (!best && voices.length) showNote(MSG_NO_CHINESE);
    return best;
  }

  /** Split text into pieces short enough for every engine (some stop a long utterance after ~15 s). */
  function pieces(text) {
    var out = [], buf = "";
    var parts = text.replace(/\s+/g, " ").trim().split(/([。！？；!?;\n])/);
    for (var i = 0; i < parts.length; i++) {
      buf += parts[i];
      if (buf.length >= 60 || /[。！？；!?;\n]$/.test(parts[i]) && buf.length >= 20) { out.push(buf); buf = ""; }
    }
    if (buf.trim()) out.push(buf);
    var clean = [];
    for (var k = 0; k < out.length; k++) {
      var p = out[k].trim();
      while (p.length > 160) { clean.push(p.slice(0, 160)); p = p.slice(160); }
      if (p) clean.push(p);
    }
    return clean;
  }

  function mark(el) {
    if (speech.current && speech.current !== el) speech.current.classList.remove("np-reading");
    speech.current = el || null;
    if (el) el.classList.add("np-reading");
  }

  /** Speak [{el, text}] in order; each call cancels what was being read. */
  function speakAll(items, mode, done) {
    if (!speechSupported()) { complain(MSG_UNSUPPORTED); return false; }
    var synth = window.speechSynthesis;
    var gen = ++speech.gen;
    try { synth.cancel(); } catch (e) { /* nothing was playing */ }
    var queue = [];
    for (var i = 0; i < items.length; i++) {
      var ps = pieces(items[i].text);
      for (var j = 0; j < ps.length; j++) queue.push({ el: items[i].el, text: ps[j], follow: mode === "continuous" });
    }
    speech.mode = mode;
    speech.paused = false;
    showNote("");
    var voice = pickVoice();
    var started = false;

    function finish(message) {
      if (gen !== speech.gen) return;
      window.clearTimeout(speech.watchdog);
      speech.mode = null;
      speech.paused = false;
      speech.utterance = null;
      mark(null);
      sync();
      if (message) complain(message);
      if (done) done();
    }

    function next() {
      if (gen !== speech.gen) return;
      var item = queue.shift();
      if (!item) { finish(); return; }
      if (item.el && item.el !== speech.current) {
        mark(item.el);
        if (item.follow && item.el.scrollIntoView) item.el.scrollIntoView({ block: "nearest" });
      }
      var u = new window.SpeechSynthesisUtterance(item.text);
      u.lang = "zh-CN";
      u.volume = settings.volume;
      u.rate = settings.rate;
      if (voice) { try { u.voice = voice; } catch (e) { /* an engine that only takes its own voices */ } }
      u.onstart = function () { started = true; window.clearTimeout(speech.watchdog); };
      u.onend = function () { next(); };
      u.onerror = function (ev) {
        var code = ev && ev.error;
        if (code === "interrupted" || code === "canceled") return;  // our own cancel() or a newer request
        finish(code === "not-allowed" ? "浏览器暂不允许朗读，请先点一下页面再试。" : MSG_FAILED);
      };
      speech.utterance = u;  // keep a reference: some engines drop events of collected utterances
      try { synth.speak(u); } catch (e) { finish(MSG_FAILED); return; }
      if (!started) {
        window.clearTimeout(speech.watchdog);
        speech.watchdog = window.setTimeout(function () {
          if (gen === speech.gen && !started && !speech.paused && !synth.speaking) finish(MSG_NO_ENGINE);
        }, 4000);
      }
    }

    sync();
    next();
    return true;
  }

  function stopSpeech(tell) {
    var was = speech.mode;
    speech.gen++;
    window.clearTimeout(speech.watchdog);
    if (speechSupported()) { try { window.speechSynthesis.cancel(); } catch (e) { /* already quiet */ } }
    speech.mode = null;
    speech.paused = false;
    speech.utterance = null;
    mark(null);
    sync();
    if (tell) announce(was ? "已停止朗读" : "现在没有在朗读");
    return !!was;
  }

  function pauseSpeech() {
    if (!speechSupported()) { complain(MSG_UNSUPPORTED); return; }
    if (!speech.mode) { announce("现在没有在朗读"); return; }
    var synth = window.speechSynthesis;
    if (speech.paused) { synth.resume(); speech.paused = false; announce("继续朗读"); }
    else { synth.pause(); speech.paused = true; announce("已暂停朗读"); }
    sync();
  }

  function visible(el) {
    if (el.closest("[hidden], [aria-hidden='true'], nav, .share, .np-a11y, template, script")) return false;
    return el.getClientRects().length > 0;
  }

  function textOf(el) {
    return (el.innerText || el.textContent || "").replace(/\s+/g, " ").trim();
  }

  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, blockquote, figcaption, caption, th, td";

  /** The page's text blocks in reading order, from the title (the h1) on. */
  function pageBlocks(scope) {
    var main = scope || document.getElementById("main") || document.body;
    var h1 = main.querySelector("h1");
    var all = main.querySelectorAll(BLOCKS), out = [];
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (h1 && el !== h1 && !(h1.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
      if (el.querySelector(BLOCKS)) continue;  // read the innermost blocks only
      if (el !== h1 && !visible(el)) continue;
      var text = textOf(el);
      if (text) out.push({ el: el, text: el === h1 ? "标题：" + text : text });
    }
    return out;
  }

  function readPage() {
    var blocks = pageBlocks();
    if (!blocks.length) { announce("本页没有可以朗读的文字"); return; }
    if (speakAll(blocks, "continuous")) announce("开始连读，按 Esc 键停止");
  }

  // 指读: read what the pointer rests on or what receives keyboard focus.
  var POINTABLE = "a, button, summary, select, input, textarea, label, h1, h2, h3, h4, h5, h6, p, li, dt, dd, " +
    "th, td, figcaption, blockquote, time";
  var pointTimer = null;
  var lastPointed = null;

  function spokenName(el) {
    var tag = el.tagName.toLowerCase();
    var name = el.getAttribute("aria-label") || textOf(el);
    if (tag === "select") {
      var opt = el.options[el.selectedIndex];
      return labelOf(el) + "，当前为" + (opt ? opt.text : "");
    }
    if (tag === "input" && el.type === "range") return labelOf(el) + " " + (el.getAttribute("aria-valuetext") || el.value);
    if (tag === "a") return "链接：" + name;
    if (tag === "button" || tag === "summary" || el.getAttribute("role") === "button") {
      var state = el.getAttribute("aria-pressed") === "true" || el.getAttribute("aria-checked") === "true" ? "，已开启" : "";
      return "按钮：" + name + state;
    }
    if (/^h[1-6]$/.test(tag)) return "标题：" + name;
    return name;
  }
  function labelOf(el) {
    var label = el.id ? document.querySelector('label[for="' + el.id + '"]') : null;
    label = label || el.closest("label");
    return label ? textOf(label).replace(textOf(el), "") : "";
  }

  function pointAt(target, delay) {
    if (!settings.point || !target || !target.closest) return;
    var el = target.closest(POINTABLE);
    if (!el || el === lastPointed || el.closest(".np-guide")) return;
    window.clearTimeout(pointTimer);
    pointTimer = window.setTimeout(function () {
      if (!settings.point) return;
      lastPointed = el;
      var text = spokenName(el);
      if (text) speakAll([{ el: el, text: text }], "point");
    }, delay);
  }

  function togglePoint() {
    var on = !settings.point;
    if (on && !speechSupported()) { complain(MSG_UNSUPPORTED); return; }
    if (!on) { window.clearTimeout(pointTimer); stopSpeech(false); }
    lastPointed = null;
    change("point", on, on ? "已开启指读：鼠标指到或键盘选到的内容会被读出来" : "已关闭指读");
  }

  // Scrolling (a focus that brings a link into view, for one) moves the page under a still pointer, and the
  // browser then reports a mouseover there: that is not the reader pointing, and it must not cancel the
  // reading of what keyboard focus just reached. A pointer that has not moved is therefore ignored.
  var pointerX = null, pointerY = null;
  document.addEventListener("mousemove", function (e) { pointerX = e.clientX; pointerY = e.clientY; });
  document.addEventListener("mouseover", function (e) {
    var still = e.clientX === pointerX && e.clientY === pointerY;
    pointerX = e.clientX; pointerY = e.clientY;
    if (!still) pointAt(e.target, 300);
  });
  document.addEventListener("focusin", function (e) {
    pointAt(e.target, 50);
    if (settings.guide !== "none" && e.target.getBoundingClientRect && e.target !== document.body) {
      var r = e.target.getBoundingClientRect();
      placeGuide(r.left + Math.min(r.width, 40), r.bottom);
    }
  });

  // ---- 关怀版 article pages: a plain on/off switch that reads the article aloud -----------------------

  function mountCareSwitch() {
    var article = document.querySelector("body.care article[data-article-id]");
    if (!article || careSwitch) return;
    var box = document.createElement("div");
    box.className = "np-care-read";
    box.innerHTML = '<button type="button" role="switch" aria-checked="false" class="np-care-read-switch">' +
      '<span>朗读全文</span><span class="np-switch-state" aria-hidden="true">关</span></button>' +
      '<p class="np-care-read-tip">按一下从标题读起，再按一下停止。</p>' +
      '<p class="np-a11y-note" data-np-note hidden></p>';
    var after = article.querySelector(".article-meta") || article.querySelector("h1");
    after.parentNode.insertBefore(box, after.nextSibling);
    careSwitch = box.querySelector("button");
    careSwitch.addEventListener("click", function () {
      if (speech.mode === "article") { stopSpeech(true); return; }
      var scope = article, blocks = [];
      var parts = pageBlocks(scope);
      for (var i = 0; i < parts.length; i++) {
        if (parts[i].el.closest(".related, .tags")) continue;  // the article itself, not the lists after it
        blocks.push(parts[i]);
      }
      if (speakAll(blocks, "article")) announce("开始朗读全文");
      sync();
    });
    if (!speechSupported()) showNote(MSG_UNSUPPORTED);
  }

  function syncCareSwitch() {
    if (!careSwitch) return;
    var on = speech.mode === "article";
    careSwitch.setAttribute("aria-checked", on ? "true" : "false");
    careSwitch.querySelector(".np-switch-state").textContent = on ? "开" : "关";
  }

  // ---- keyboard shortcuts --------------------------------------------------------------------------
  var SHORTCUTS = {
    KeyA: function () { openBar(true); },
    Equal: function () { pageZoom(1); },
    NumpadAdd: function () { pageZoom(1); },
    Minus: function () { pageZoom(-1); },
    NumpadSubtract: function () { pageZoom(-1); },
    KeyC: function () { setContrast(CONTRASTS[(CONTRASTS.indexOf(settings.contrast) + 1) % CONTRASTS.length]); },
    KeyR: function () { setGuide(GUIDES[(GUIDES.indexOf(settings.guide) + 1) % GUIDES.length]); },
    Digit0: function () { reset(); },
    Numpad0: function () { reset(); }
  };
  var KEY_CODES = { "a": "KeyA", "A": "KeyA", "=": "Equal", "+": "Equal", "-": "Minus", "c": "KeyC", "C": "KeyC",
    "r": "KeyR", "R": "KeyR", "0": "Digit0" };

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" || e.key === "Esc") {
      if (speech.mode) { stopSpeech(true); e.preventDefault(); return; }
      var help = bar && bar.querySelector("#np-a11y-help");
      if (help && !help.hidden && bar.contains(document.activeElement)) {
        help.hidden = true;
        var hb = bar.querySelector('[data-np-action="help"]');
        hb.setAttribute("aria-expanded", "false");
        hb.focus();
      }
      return;
    }
    if (!e.altKey || e.ctrlKey || e.metaKey) return;
    var code = SHORTCUTS[e.code] ? e.code : KEY_CODES[e.key];
    if (!code || (e.shiftKey && code !== "Equal")) return;
    e.preventDefault();  // also keeps the footer link's accesskey from following the link
    e.stopPropagation();
    SHORTCUTS[code]();
  }, true);

  // The footer link opens the toolbar; its href (/accessibility) is the no-JavaScript fallback.
  document.addEventListener("click", function (e) {
    var l = e.target.closest ? e.target.closest(OPENERS) : null;
    if (!l || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    if (settings.open && bar && !bar.hidden) closeBar(); else openBar(true);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === " " && e.target && e.target.matches && e.target.matches(OPENERS)) {
      e.preventDefault(); e.target.click();
    }
  });

  if (settings.open) openBar(false);

  function ready() {
    ensureLive();
    toolbarLink();
    mountCareSwitch();
    placeGuide();
    if (settings.textOnly) describeImages();
    if (speechSupported()) {
      try { window.speechSynthesis.getVoices(); } catch (e) { /* asking early only makes some engines load voices */ }
    }
    sync();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  window.addEventListener("pagehide", function () { if (speech.mode) stopSpeech(false); });

  // A read-only view for debugging and tests; changing it changes nothing.
  window.npA11y = {
    settings: function () { return copy(settings); },
    validate: function (raw) { return validate(raw); }
  };
})();
