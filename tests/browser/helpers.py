"""What the browser tests share: page states, axe, screenshots and in-page measurements."""

from __future__ import annotations

import json

from tests.browser.pages import SCREENSHOTS

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "rules": {"target-size": {"enabled": True}},
    "resultTypes": ["violations"],
}
SETTINGS_KEY = "np-a11y"
MOBILE = {"width": 390, "height": 844}
SCHEMES = ["black-yellow", "black-white", "white-black", "blue-yellow"]

_axe = None


def axe():
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


def run_axe(page, options=None) -> dict:
    """axe-core's raw results for the page as it is now."""
    return axe().run(page, options=options or AXE_OPTIONS).response


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {node['target']}: {node.get('failureSummary', '').replace(chr(10), ' | ')[:300]}"
            )
    return "\n".join(lines)


def preset(context, **settings) -> None:
    """Store toolbar settings before any page script runs, as a returning reader's browser would have them."""
    context.add_init_script(
        f"try {{ localStorage.setItem({json.dumps(SETTINGS_KEY)}, {json.dumps(json.dumps(settings))}); }}"
        " catch (e) {}"
    )


def shoot(page, name: str, full_page: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page, animations="disabled")


def open_toolbar(page) -> None:
    page.click("#a11y-toolbar-link")
    page.wait_for_selector("section.np-a11y:not([hidden])")


def expect_status(page, text: str, timeout: float = 3000) -> None:
    """Wait until the toolbar's status region announces ``text`` (announcements are written just after
    the region is cleared, so screen readers notice a repeat)."""
    page.wait_for_function(
        "t => (document.getElementById('np-a11y-live') || {}).textContent?.includes(t)",
        arg=text,
        timeout=timeout,
    )


def expect_spoken(page, text: str, timeout: float = 3000) -> None:
    """Wait until the recording speech stand-in's last utterance is ``text``."""
    page.wait_for_function(
        "t => { const l = window.__speech.log; return l.length && l[l.length - 1].text === t; }",
        arg=text,
        timeout=timeout,
    )


def has_horizontal_scroll(page) -> bool:
    return page.evaluate(
        "() => { const e = document.scrollingElement; return e.scrollWidth > e.clientWidth + 1; }"
    )


# In-page measurement of what a person sees: every visible text element's size, line height and contrast,
# and every visible control's box. Contrast uses the nearest opaque background (the pages have no text on
# images).
MEASURE_JS = r"""
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const bgOf = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.99) return c;
    }
    return [255, 255, 255, 1];
  };
  const ratio = (a, b) => {
    const x = lum(a), y = lum(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
  const shown = (el) => {
    if (el.closest('template, [hidden]')) return false;
    // the content of a closed <details> keeps a layout box but is not rendered: no one sees it
    if (el.checkVisibility && !el.checkVisibility()) return false;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    if (s.visibility === 'hidden' || s.clip === 'rect(0px, 0px, 0px, 0px)' || s.opacity === '0') return false;
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.clip === 'rect(0px, 0px, 0px, 0px)' && cs.position === 'absolute') return false;
    }
    return r.bottom > -5000;
  };
  const label = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    const text = (el.innerText || el.value || '').trim().slice(0, 24);
    return el.tagName.toLowerCase() + id + cls + ' "' + text + '"';
  };
  const texts = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'svg', 'SVG', 'TITLE', 'OPTION'].includes(el.tagName)) continue;
    if (el.closest('svg')) continue;
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !shown(el)) continue;
    const s = getComputedStyle(el);
    const size = parseFloat(s.fontSize);
    const lh = s.lineHeight === 'normal' ? null : parseFloat(s.lineHeight);
    texts.push({
      el: label(el), size, lineHeight: lh, ratioLH: lh ? lh / size : null,
      contrast: ratio(parse(s.color), bgOf(el)), bold: parseInt(s.fontWeight, 10) >= 700,
    });
  }
  const controls = [];
  const sel = 'a[href], button, summary, select, input, textarea, '
    + '[role="button"], [role="switch"], [tabindex="0"]';
  for (const el of document.body.querySelectorAll(sel)) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    const words = el.labels && el.labels.length ? Array.from(el.labels).map((l) => l.innerText).join(' ')
                                                : (el.innerText || '');
    controls.push({ el: label(el), width: r.width, height: r.height, text: words.trim(),
                    name: el.getAttribute('aria-label') || '' });
  }
  const positioned = [];
  for (const el of document.body.querySelectorAll('*')) {
    const p = getComputedStyle(el).position;
    if ((p === 'fixed' || p === 'sticky') && shown(el)) positioned.push(label(el));
  }
  return { texts, controls, positioned };
}
"""

PARAGRAPHS_JS = r"""
(sel) => {
  const out = [];
  for (const box of document.querySelectorAll(sel)) {
    const ps = Array.from(box.children)
      .filter((e) => e.tagName === 'P' && e.getBoundingClientRect().height > 0);
    for (let i = 0; i + 1 < ps.length; i++) {
      const a = ps[i].getBoundingClientRect(), b = ps[i + 1].getBoundingClientRect();
      const lh = parseFloat(getComputedStyle(ps[i]).lineHeight);
      const size = parseFloat(getComputedStyle(ps[i]).fontSize);
      out.push({ gap: b.top - a.bottom, lineHeight: lh, fontSize: size });
    }
  }
  return out;
}
"""

# A stand-in for speechSynthesis that records every utterance; the test ends them one by one.
FAKE_SPEECH_JS = r"""
(() => {
  const log = [];
  let current = null;
  const fake = {
    speaking: false, paused: false, pending: false, cancelled: 0,
    getVoices() {
      return [{ name: '测试普通话', lang: 'zh-CN', voiceURI: 'test-zh', localService: true, default: true }];
    },
    speak(u) {
      log.push({ text: u.text, lang: u.lang, rate: u.rate, volume: u.volume });
      current = u; this.speaking = true;
      setTimeout(() => { if (current === u && u.onstart) u.onstart({}); }, 0);
    },
    cancel() {
      this.cancelled++;
      const u = current;
      current = null; this.speaking = false; this.paused = false;
      if (u && u.onerror) u.onerror({ error: 'interrupted' });
    },
    pause() { this.paused = true; },
    resume() { this.paused = false; },
    addEventListener() {}, removeEventListener() {},
  };
  class FakeUtterance {
    constructor(text) { this.text = text; this.lang = ''; this.rate = 1; this.volume = 1; this.voice = null; }
  }
  Object.defineProperty(window, 'speechSynthesis', { value: fake, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: FakeUtterance, configurable: true });
  window.__speech = {
    log, fake,
    end() { const u = current; current = null; fake.speaking = false; if (u && u.onend) u.onend({}); },
    fail(code) {
      const u = current;
      current = null; fake.speaking = false;
      if (u && u.onerror) u.onerror({ error: code });
    },
  };
})();
"""

NO_SPEECH_JS = """
Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: undefined, configurable: true });
"""
