import json

from newsportal.ingest import import_jsonl

LINE = {
    "external_id": "jc-0001",
    "title": "江城晚报：老街改造完成迎客",
    "paragraphs": ["本报讯（记者 周若溪）经过半年施工，老街改造昨天完工。", "街区保留了十二栋老建筑。"],
    "channel": "society",
    "source": "jiangcheng-evening",
    "tags": ["老街", "城市更新"],
    "publish": True,
}


def lines(*items):
    return [json.dumps(i, ensure_ascii=False) if not isinstance(i, str) else i for i in items]


def test_import_creates_then_is_idempotent_then_updates(portal):
    r1 = import_jsonl(portal, lines(LINE, {**LINE, "external_id": "jc-0002",
                                           "title": "第二篇文章的标题内容"}))
    assert (r1.created, r1.updated, r1.unchanged, r1.errors) == (2, 0, 0, [])
    a = portal.store.get_article_by_external_id("jc-0001")
    assert a.body_html.startswith("<p>本报讯") and a.id in portal.published
    r2 = import_jsonl(portal, lines(LINE))
    assert (r2.created, r2.updated, r2.unchanged) == (0, 0, 1)
    r3 = import_jsonl(portal, lines({**LINE, "title": "江城晚报：老街改造完成，今起迎客"}))
    assert (r3.created, r3.updated) == (0, 1)
    assert portal.store.count_articles() == 2 and len(portal.store.revisions(a.id)) == 2


def test_bad_lines_are_reported_and_skipped(portal):
    report = import_jsonl(
        portal,
        lines(
            "{broken json",
            "[1, 2]",
            {**LINE, "title": 5},
            {**LINE, "channel": "nowhere", "external_id": "x1"},
            {**LINE, "body_html": "<script>x()</script>", "external_id": "x2"},
            "",
            {**LINE, "external_id": "good-1"},
        ),
    )
    assert report.created == 1
    assert [n for n, _ in report.errors] == [1, 2, 3, 4, 5]
    assert "not valid JSON" in report.errors[0][1] and "title" in report.errors[2][1]
    assert portal.store.count_articles() == 1


def test_publish_override(portal):
    import_jsonl(portal, lines({**LINE, "publish": True}), publish=False)
    assert portal.store.get_article_by_external_id("jc-0001").status.value == "draft"
