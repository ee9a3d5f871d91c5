from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsportal.comments.prechecks import (
    BannedWords,
    Flag,
    PrecheckConfig,
    PriorComment,
    Routing,
    find_contacts,
    find_links,
    fold,
    precheck,
    shingle_similarity,
)

NOW = datetime(2026, 12, 2, 12, 0, 0)
BANNED = BannedWords(["刷单", "代开发票", "casino", "赌博网站"])


def run(text, history=(), banned=BANNED, config=None):
    return precheck(text, history=list(history), now=NOW, banned=banned, config=config)


def ago(**kw):
    return NOW - timedelta(**kw)


def test_clean_comment_is_ok_with_no_flags():
    result = run("这篇报道写得很清楚，数据也很详实。")
    assert result.flags == ()
    assert result.routing is Routing.OK


@pytest.mark.parametrize(
    "text",
    [
        "有人找我刷单",
        "有人找我刷 单",
        "有人找我刷\u200b单",
        "有人找我刷.单",
        "有人找我刷、单",
        "有人找我刷\u3000单",
        "代-开-发-票",
        "CASINO",
        "ｃａｓｉｎｏ",
        "C a S i N o",
        "cаsinо",  # Cyrillic а and о
        "ⓒⓐⓢⓘⓝⓞ",
        "推荐一个賭博網站",
        "推荐一个赌 博 網 站",
    ],
)
def test_banned_words_matched_through_evasions(text):
    result = run(text)
    assert "banned_word" in result.codes
    assert result.routing is Routing.HOLD_FOR_REVIEW
    flag = next(f for f in result.flags if f.code == "banned_word")
    assert "「" in flag.detail_zh


def test_banned_word_flag_names_the_word():
    result = run("收 代开发票 业务")
    assert Flag("banned_word", "含违禁词「代开发票」") in result.flags


def test_banned_list_is_editable_and_round_trips_as_text():
    words = BannedWords.from_text("# 广告类\n刷单\n\n  兼职日结  \n")
    assert words.words == ("兼职日结", "刷单")
    words.add("返利")
    assert "返利" in words and len(words) == 3
    words.remove("刷单")
    assert "刷单" not in words
    assert words.find("兼 职 日 结，返利多") == ["兼职日结", "返利"]
    assert BannedWords.from_text(words.to_text()).words == words.words
    with pytest.raises(KeyError):
        words.remove("不存在")
    with pytest.raises(ValueError):
        words.add(" ，。 ")


def test_fold_handles_width_case_and_separators():
    assert fold("ＡＢＣ　１２３") == "abc123"
    assert fold("a\u200bb\u202ec") == "abc"


@pytest.mark.parametrize(
    "text",
    [
        "详情看 https://example.com/path?x=1",
        "http://例子.cn",
        "www.example.org",
        "访问example.com了解",
        "访问 example点com 了解",
        "去 abc。cn 看看",
        "shop.vip/abc",
        "ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ",
    ],
)
def test_links_flagged(text):
    result = run(text)
    assert "link" in result.codes
    assert find_links(text)


@pytest.mark.parametrize(
    "text",
    [
        "我喜欢它。Top story 很好",
        "I like it. Top story",
        "版本号 3.5 发布",
        "user@example.com",
        "example.community",
    ],
)
def test_prose_and_emails_are_not_links(text):
    assert find_links(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("电话13812345678", "contact_phone"),
        ("电话 138 1234 5678", "contact_phone"),
        ("电话 138-1234-5678", "contact_phone"),
        ("电话 +86 13812345678", "contact_phone"),
        ("座机 010-12345678", "contact_phone"),
        ("１３８１２３４５６７８", "contact_phone"),
        ("加微信 abc_123456", "contact_wechat"),
        ("vx：hello-world9", "contact_wechat"),
        ("+V abcdef1", "contact_wechat"),
        ("QQ 123456789", "contact_qq"),
        ("扣扣:10001", "contact_qq"),
        ("q群 87654321", "contact_qq"),
        ("联系 someone@example.com", "contact_email"),
        ("联系 someone 艾特 example.com", "contact_email"),
    ],
)
def test_contacts_flagged(text, code):
    assert code in [f.code for f in find_contacts(text)]
    assert code in run(text).codes


@pytest.mark.parametrize("text", ["2026年12月2日发布", "GDP 增长 5.2%", "第 12345 号文件", "比分 3-1"])
def test_ordinary_numbers_are_not_contacts(text):
    assert find_contacts(text) == []


def test_exact_repeat_within_window():
    history = [PriorComment("同样的内容！！", ago(minutes=30), "approved")]
    result = run("同样的内容", history)
    assert result.codes == ("repeat_exact",)
    assert "30 分钟前" in result.flags[0].detail_zh


def test_exact_repeat_outside_window_is_not_flagged():
    history = [PriorComment("同样的内容", ago(hours=25), "approved")]
    assert run("同样的内容", history).flags == ()


def test_near_duplicate_by_shingles():
    history = [PriorComment("这家店的东西真的很好用大家快去买吧", ago(hours=2), "approved")]
    result = run("这家店的东西真的很好用大家快去买", history)
    assert result.codes == ("repeat_near",)
    assert "%" in result.flags[0].detail_zh


def test_different_text_is_not_a_near_duplicate():
    history = [PriorComment("今天的比赛真精彩，主队发挥出色", ago(hours=2), "approved")]
    assert run("政策解读部分很有帮助，希望多写一些", history).flags == ()


def test_short_texts_only_checked_for_exact_repeats():
    history = [PriorComment("顶一下", ago(hours=2), "approved")]
    assert run("顶一个", history).flags == ()


def test_shingle_similarity_bounds():
    assert shingle_similarity("abcdef", "abcdef") == 1.0
    assert shingle_similarity("abcdef", "uvwxyz") == 0.0
    assert shingle_similarity("", "") == 1.0
    assert shingle_similarity("", "abc") == 0.0


def test_posting_too_fast_by_interval():
    history = [PriorComment("第一条评论内容", ago(seconds=4), "pending")]
    result = run("第二条完全不同的话", history)
    assert result.codes == ("too_fast",)
    assert "4 秒" in result.flags[0].detail_zh


def test_posting_too_fast_by_burst():
    history = [
        PriorComment(f"第{i}条不一样的评论内容", ago(seconds=15 + i * 12), "pending") for i in range(3)
    ]
    result = run("又一条新的不同评论", history)
    assert result.codes == ("too_fast",)
    assert "4 条" in result.flags[0].detail_zh


def test_normal_pace_is_fine():
    history = [PriorComment("早上的一条评论", ago(minutes=5), "approved")]
    assert run("下午再说几句别的", history).flags == ()


def test_future_history_ignored_for_rate():
    history = [PriorComment("时钟偏差的评论", NOW + timedelta(seconds=5), "pending")]
    assert run("完全无关的内容写在这里", history).flags == ()


def test_reader_with_mostly_rejected_record():
    history = [
        PriorComment(
            f"历史评论第{i}条，各不相同{i * 7}", ago(days=1, minutes=i), "rejected" if i < 4 else "approved"
        )
        for i in range(6)
    ]
    result = run("一条全新的评论", history)
    assert result.codes == ("poor_record",)
    assert "6 条" in result.flags[0].detail_zh and "4 条" in result.flags[0].detail_zh


def test_record_needs_enough_decided_comments():
    history = [PriorComment(f"评论{i}号内容各异{i}", ago(days=2, minutes=i), "rejected") for i in range(3)]
    history.append(PriorComment("还在等待审核的评论", ago(days=2), "pending"))
    assert run("一条全新的评论", history).flags == ()


def test_record_looks_only_at_recent_decisions():
    old = [PriorComment(f"很久以前被拒{i}号内容", ago(days=30, minutes=i), "rejected") for i in range(10)]
    recent = [PriorComment(f"最近通过的{i}号内容不同", ago(days=1, minutes=i), "approved") for i in range(10)]
    assert run("一条全新的评论", old + recent).flags == ()


def test_several_flags_all_reported():
    history = [PriorComment("加微信 abc_123456 刷单", ago(seconds=3), "rejected")]
    result = run("加微信 abc_123456 刷单", history)
    assert result.codes == ("banned_word", "contact_wechat", "repeat_exact", "too_fast")


def test_config_thresholds_are_used_and_validated():
    history = [PriorComment("一条普通的评论内容", ago(seconds=20), "approved")]
    cfg = PrecheckConfig(min_interval=timedelta(seconds=30))
    assert run("完全不同的第二条", history, config=cfg).codes == ("too_fast",)
    with pytest.raises(ValueError):
        PrecheckConfig(near_duplicate_threshold=0)
    with pytest.raises(ValueError):
        PrecheckConfig(burst_max=0)
    with pytest.raises(ValueError):
        PrecheckConfig(record_reject_ratio=1.0)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_prechecks_never_crash_and_always_name_their_reasons(text):
    history = [PriorComment(text, ago(minutes=1), "rejected")] * 5
    result = run(text, history)
    assert all(f.code and f.detail_zh for f in result.flags)
    assert (result.routing is Routing.OK) == (result.flags == ())


def test_default_variant_table_is_well_formed():
    from newsportal.comments.prechecks import DEFAULT_VARIANTS

    assert all(len(k) == 1 and len(v) == 1 and k != v for k, v in DEFAULT_VARIANTS.items())
