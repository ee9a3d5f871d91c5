"""Pure parts of the reader portal: story de-duplication at join time, the care switch, list times, the report
form's checks, the sanitizer's picture markup."""

from datetime import datetime, timedelta

from newsportal.text import sanitize_html
from newsportal.web.parts import END_ITEM, SLOTS, PageParts, SharedFragments, fragment, item
from newsportal.web.reader_views import ReportForm, check_report
from newsportal.web.reltime import relative_time
from newsportal.web.views import care_switch


def li(key, group, cap, text, pinned=False):
    return f"{item(key, group, cap, pinned)}<li>{text}</li>{END_ITEM}"


def test_a_story_shown_higher_up_is_dropped_and_spares_keep_the_list_full():
    page = ("<main>" + f"{item(1, 'self', 1)}{END_ITEM}" + li(2, "rel", 2, "R2") + li(1, "rel", 2, "R1")
            + li(3, "rel", 2, "R3"))
    page += li(4, "rel", 2, "R4") + "</main>{{HOT}}"
    hot = fragment("<ol>" + li(2, "hot", 2, "H2") + li(5, "hot", 2, "H5") + li(6, "hot", 2, "H6") + "</ol>")
    parts = PageParts.from_render(page.replace("{{HOT}}", str(SLOTS.hot)))
    out = parts.join(SharedFragments(hot=hot, modules=b"")).decode()
    # the article's own story (1) is never related; R3 fills the place; the cap keeps two; hot skips 2
    assert out == "<main><li>R2</li><li>R3</li></main><ol><li>H5</li><li>H6</li></ol>"


def test_an_editors_pin_claims_its_story_for_its_module():
    parts = PageParts.from_render("<ol>" + li(7, "lead", 5, "L7") + li(8, "lead", 5, "L8") + "</ol>"
                                  + str(SLOTS.modules))
    mods = fragment("<ol>" + li(7, "mod-top-1", 5, "M7", pinned=True) + li(9, "mod-top-1", 5, "M9") + "</ol>")
    out = parts.join(SharedFragments(hot=b"", modules=mods)).decode()
    assert out == "<ol><li>L8</li></ol><ol><li>M7</li><li>M9</li></ol>"


def test_fragments_without_items_stay_plain_bytes():
    assert fragment("<p>只有文字</p>") == "<p>只有文字</p>".encode()


def test_care_switch_keeps_the_query_and_never_leaves_the_site():
    assert care_switch("/search", False, "q=%E5%AD%A6%E6%A0%A1") == "/care/search?q=%E5%AD%A6%E6%A0%A1"
    assert care_switch("/care/channel/news", True, "page=2") == "/channel/news?page=2"
    assert care_switch("/", False) == "/care/" and care_switch("/care/", True) == "/"
    assert care_switch("/care", True) == "/"
    for path in ("/care//evil.example/x", "/care///evil.example", "/care/\\evil.example"):
        target = care_switch(path, True)
        assert target.startswith("/") and not target.startswith("//") and "\\" not in target, target
    assert care_switch("//evil.example/x", False) == "/care/evil.example/x"


def test_relative_times():
    now = datetime(2026, 12, 2, 12, 0, 0)
    assert relative_time(now - timedelta(seconds=20), now) == "刚刚"
    assert relative_time(now - timedelta(minutes=5, seconds=30), now) == "5分钟前"
    assert relative_time(now - timedelta(hours=3, minutes=59), now) == "3小时前"
    assert relative_time(now - timedelta(days=2), now) == "11-30 20:00"  # Beijing time
    assert relative_time(datetime(2025, 6, 1, 0, 0), now) == "2025-06-01"
    assert relative_time(now + timedelta(minutes=1), now) == "12-02 20:01" and relative_time(None, now) == ""


class Articles:
    def __init__(self, live):
        self.live = live

    def article_exists(self, article_id):
        return article_id in self.live


def test_report_form_messages_keep_what_was_typed():
    form = check_report(ReportForm(article="12x", category="", description="  ", contact="c" * 101),
                        Articles({1}))
    assert set(form.errors) == {"article", "category", "description", "contact"}
    assert form.article == "12x" and "数字" in form.errors["article"] and "请选择" in form.errors["category"]
    form = check_report(ReportForm(article="99", category="rumor", description="字" * 1001), Articles({1}))
    assert "没有编号为 99" in form.errors["article"] and "1001" in form.errors["description"]
    ok = check_report(ReportForm(article=" 1 ", category="rumor", description="标题与事实不符"),
                      Articles({1}))
    assert ok.errors == {} and ok.article_id == 1
    assert check_report(ReportForm(category="other", description="说明"), Articles(set())).errors == {}


def test_sanitizer_keeps_figures_with_pictures_and_drops_handlers():
    raw = ('<figure><picture><source type="image/webp" srcset="/media/a-320.webp 320w" sizes="100vw" '
           'onerror="x()"><img src="/media/a-320.jpg" srcset="/media/a-320.jpg 320w" sizes="100vw" alt="图" '
           'width="320" height="180" loading="lazy" onload="y()"></picture>'
           '<figcaption>说明</figcaption></figure>')
    clean = sanitize_html(raw)
    assert "<picture>" in clean and 'type="image/webp"' in clean and 'loading="lazy"' in clean
    assert "<figcaption>说明</figcaption>" in clean and "onerror" not in clean and "onload" not in clean
