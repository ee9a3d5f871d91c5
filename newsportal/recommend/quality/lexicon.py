"""The named sensational devices of Chinese clickbait, each a set of patterns with a prior weight.

Why a lexicon next to a classifier: an editor must read *why* a title was demoted ("夸张渲染：“炸裂”"),
and a device seen twice in the training titles still deserves weight when it is a known hook. The prior
weights here (log-odds units) are the starting point the classifier is pulled towards while training, so
the data can lower a device that misfires on sober titles without erasing the editor's knowledge.

Patterns avoid the factual uses portals print every day: 曝光 after a government body or before 一批/典型
案例 (an agency publishing cases), 紧急通知, a percentage of things rather than of people, and 知情人士
(the anonymous source of a financial report, unlike self-media's 知情人).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Device:
    code: str  # English code used in data files and reason codes
    label: str  # Chinese name shown to editors
    prior: float  # prior log-odds weight of one hit
    pattern: re.Pattern


def _p(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(alternatives))


_NUM = "[0-9０-９一二三四五六七八九十几两百千万]"
_PEOPLE = "(人|家长|父母|妈妈|宝妈|女人|男人|女性|男性|车主|网友|中国人|年轻人|老人|上班族|打工人|司机|学生)"

DEVICES: tuple[Device, ...] = (
    Device("hyperbole", "夸张渲染", 1.4, _p(
        "震惊", "惊呆", "吓傻", "傻眼", "炸裂", "锤爆", "崩溃", "炸锅", "沸腾", "疯了", "逆天", "封神",
        "王炸", "血赚", "血亏", "亏大了", "绝了", "离大?谱", "太狠", "狠人", "吵翻", "吵成一片", "打起来",
        "不敢相信", "不敢信", "大跌眼镜", "看呆", "惊魂", "惊人", "吓人", "笑喷", "笑翻", "笑不活", "爆了",
        "火了", "刷屏", "全网", "窒息", "直呼", "坐不住", "慌了", "服了", "服气", "气炸", "天呐", "不得了",
        "大瓜", "猛料", "出大事", "头皮发麻", "太燃", "太绝", "神器", "神剧", "神仙", "要变天", "跳水",
        "要崩", "惊天", "一夜之间", "美哭", "太香了", "杀疯", "秒杀", "碾压", "吊打", "暴涨", "暴跌",
        "天价", "奇葩",
    )),
    Device("teaser", "揭秘吊胃口", 1.0, _p(
        "揭秘", "内幕", "知情人(?!士)", "圈内人透露", "隐情", "爆料", "真相", "大实话", "秘密", "秘诀",
        "不为人知", "背后的故事", "原因找到了", "信息量巨大", "懂的都懂",
        "(?<![局部委会台厅院署办心关])曝光(?![0-9一二三四五六七八九十百]+[起批家个条]|一批|典型|台|名单)",
    )),
    Device("withheld", "隐藏关键信息", 1.3, _p(
        "竟", "居然", "原来是", "没想到", "谁能想到", "下一秒", "接下来的一幕", "这一幕", "那一刻",
        "的瞬间", "让人意外", "令人意外", "意想不到", "猜不到", "说出来你", "后面的事", "反转", "愣住",
        "沉默了", "让人沉默", "大家都", "所有人都", "一句话", "一件事", "一个习惯", "一个动作", "一招",
        "元凶", "原因令人", "理由让人", "…", r"\.\.\.", "是它", "竟是", "看完(?!整)", "看到最后",
    )),
    Device("sexual", "色情暗示", 1.6, _p(
        "尺度", "香艳", "走光", "湿身", "暧昧", "私密", "露骨", "不堪入目", "密会", "衣衫", "内裤", "写真",
        "性感", "开房", "夜店", "酒局", "私生活", "换装", "受不了",
    )),
    Device("violent", "暴力猎奇", 1.2, _p(
        "血案", "鲜血", "血腥", "惨死", "当场身亡", "惨不忍睹", "暴打", "一刀", "砍下", "虐待", "尸体",
        "大打出手", "踢翻", "触目惊心", "不寒而栗", "离奇死亡",
    )),
    Device("arrow", "箭头引导", 1.8, _p("[→↓👇⬇]")),
    Device("marks", "连用感叹号或问号", 1.5, _p("[!！?？]{2,}", "[!！][?？]", "[?？][!！]")),
    Device("number_bait", "数字诱饵", 1.6, _p(
        f"(99|9[0-9]|百分之九十九?)[%％]的{_PEOPLE}", "只有1[%％]", f"{_NUM}秒(看懂|学会)",
        "一分钟(看懂|带你|学会)", "一图看懂你",
    )),
    Device("imperative", "命令催促", 1.3, _p(
        "赶紧", "别乱", "千万(别|不要|不能)", "一定要(看|收藏|知道|远离)", "必看", "速看", "速转", "快看",
        "快转", "转给", "扩散", "收藏", "别再", "建议马上", "马上删除", "快告诉", "不看后悔", "务必",
        "注意了", "^[^，,：:]{0,4}注意[!！]", "警惕[!！]", "(妈妈|家长|父母)们.{0,3}(看|收藏|注意)",
        "先收好",
    )),
    Device("urgency", "制造紧迫", 1.0, _p(
        "^(刚刚|突发|重磅|速看|最新消息|出大事了|出事了|一觉醒来|又出新规|紧急(?!通知))",
        "刚刚(官宣|发布|宣布)", "就在今天", "最后一天", "连夜", "仅限", "错过再等", "马上要",
    )),
    Device("emotional", "情绪煽动", 1.2, _p(
        "泪目", "心疼", "气愤", "哭了", "暖哭", "看哭", "破防", "寒心", "怒了", "愤怒", "心酸", "心碎",
        "扎心", "唏嘘", "痛心", "气人", "红了眼", "泪流满面", "太暖", "虐心", "凄凉", "无言", "笑出了眼泪",
        "羡慕不已", "感动了", "凭什么", "看不下去", "什么仇什么怨",
    )),
    Device("listicle", "清单诱饵", 0.8, _p(
        f"这{_NUM}+(种|个|件|样|类|招|条|大)", f"第{_NUM}+(种|个|件|条)", "这几(种|个|件|类|点|样|条)",
        "这些(东西|食物|人|行为|零食|水果|药)",
    )),
    Device("question_bait", "设问钓鱼", 1.2, _p(
        "你知道吗", "你敢信", "中招了吗", "是你吗", "谁的错", "谁背", "咋回事", "怎么回事",
        "到底(发生了|说了|在)", "值吗", "你是哪", "会是谁", "凭什么", "能答对",
    )),
    Device("vague_subject", "含糊主语", 0.9, _p(
        "^(这个|这种|这位|这条|这段|这届|这一|这才是|他|她|它|一女子|一男子|有人)",
        "某(知名|顶流|明星|网红|女星|男星|主播|歌手|选秀|球队|楼盘|地|985|老牌|品牌)",
    )),
    Device("fear", "恐吓", 1.2, _p(
        "致癌", "癌症", "猝死", "要命", "出人命", "后悔", "有毒", "伤肝", "伤肾", "伤胃", "伤身", "伤腰",
        "伤脊柱", "慢性自杀", "养毒", "后怕", "吓出", "中招", "被监听", "细思极恐", "进了医院", "太危险",
        "分分钟", "找上门",
    )),
    Device("second_person", "第二人称喊话", 0.6, _p("你(?!们)")),
    Device("gossip", "八卦猎奇", 1.0, _p(
        "恋情", "离婚", "出轨", "劈腿", "塌房", "前男友", "前夫", "复合", "CP", "私生活", "婆婆", "闺蜜",
        "彩礼", "聊天记录", "净身出户",
    )),
    Device("superlative", "极限用语", 1.0, _p(
        "史上最", "全网最", "最全", "最狠", "最美", "最严", "天花板", "顶级",
    )),
    Device("exclusive", "独家内幕", 1.0, _p("独家", "内部消息", "圈内人")),
)

BY_CODE: dict[str, Device] = {d.code: d for d in DEVICES}

# Body-only signals: no labelled bodies exist, so these keep their prior weights (see quality.assess).
BODY_ENGAGEMENT = _p(
    "点赞(关注|转发|支持)", "关注我", "记得关注", "点个关注", "转发给(身边|家人|朋友)", "点击下方",
    "点击关注", "扫码(关注|领取|进群)", "评论区留言", "点个在看", "私信(我|小编)", "领取资料", "欢迎留言",
)


def hits(text: str) -> list[tuple[Device, str]]:
    """Every device found in the text with the first matching words, in lexicon order."""
    found = []
    for device in DEVICES:
        m = device.pattern.search(text)
        if m:
            found.append((device, m.group(0)))
    return found
