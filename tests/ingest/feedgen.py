"""Synthetic partner feeds of any length, from templates written for the project (for tests and benchmarks).

``parse_generated_feed(500)`` is the benchmark-able unit: it builds a 500-item RSS 2.0 feed in GBK and runs
it through decoding and parsing exactly as a fetched feed would be. Tests check its output, never its time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from newsportal.ingest.feeds import ParsedFeed, parse_feed

PLACES = ["滨江新区", "老城区", "江北街道", "高新园区", "南湖社区", "东站片区", "西山镇", "临江村"]
SUBJECTS = [
    "社区食堂", "公交线路", "口袋公园", "夜间图书馆", "旧楼加装电梯", "菜市场改造", "学校操场", "河道步道",
]
ACTIONS = ["正式启用", "完成改造", "开始试运行", "征集居民意见", "延长开放时间", "新增服务项目"]
PARAGRAPHS = [
    "{place}的{subject}{action}，附近居民在第一天就排起了队。",
    "负责人介绍，这次调整前后用了{n}个月，期间收集了{m}条居民建议。",
    "有居民表示，以前要绕远路，现在步行十分钟就能到，“方便多了”。",
    "街道办事处表示，接下来会根据使用情况继续调整开放时间和服务内容。",
]
START = datetime(2026, 11, 28, 8, 0, 0)


def build_feed(count: int) -> str:
    """An RSS 2.0 document with ``count`` distinct items, newest first."""
    items = []
    for i in range(count):
        place, subject = PLACES[i % len(PLACES)], SUBJECTS[(i // len(PLACES)) % len(SUBJECTS)]
        action = ACTIONS[i % len(ACTIONS)]
        body = "".join(
            "<p>" + p.format(place=place, subject=subject, action=action, n=i % 11 + 1, m=i * 3 + 20) + "</p>"
            for p in PARAGRAPHS)
        when = (START - timedelta(minutes=17 * i)).strftime("%a, %d %b %Y %H:%M:%S +0800")
        items.append(
            f"<item><title>{place}{subject}{action}（第{i + 1}期）</title>"
            f"<link>http://partner.test/gen/{i}.html</link><guid isPermaLink=\"false\">gen-{i}</guid>"
            f"<pubDate>{when}</pubDate><category>{subject}</category>"
            f"<description><![CDATA[{body}]]></description></item>"
        )
    return ('<?xml version="1.0" encoding="gbk"?>\n<rss version="2.0"><channel><title>江州社区报</title>'
            "<link>http://partner.test/gen/</link>" + "".join(items) + "</channel></rss>")


def parse_generated_feed(count: int = 500) -> ParsedFeed:
    """Build, encode in GBK and parse a feed of ``count`` items: the ingest benchmark's unit of work."""
    return parse_feed(build_feed(count).encode("gbk"), content_type="application/rss+xml")
