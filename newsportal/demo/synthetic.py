"""A deterministic generator of large synthetic corpora for load tests (``newsportal demo --articles N``).

Articles are assembled from this module's own templates: per channel, a set of topics, each with its own
keywords; sentences are filled with places, numbers and those keywords. The same seed always gives the same
corpus, with known labels: every article has a topic, and about one in twenty is a reworded copy of an
earlier story from another source (a "syndicated" copy), which later quality benchmarks use as ground truth.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsportal.domain import ArticleDraft
from newsportal.text import paragraphs_to_html

PLACES = [
    "海河市", "江城", "云岭县", "青川区", "北湾新区", "南山镇", "东陵市", "西浦区", "临江县", "石桥镇",
    "凤鸣市", "桃源县", "白沙区", "金港市", "松原镇", "望海区",
]
TOPICS: dict[str, list[tuple[str, list[str]]]] = {
    "domestic": [
        ("城市更新", ["老旧小区", "改造", "加装电梯", "社区"]),
        ("乡村振兴", ["特色农业", "合作社", "农产品", "电商"]),
        ("交通建设", ["地铁", "高铁", "通车", "线路"]),
        ("生态保护", ["湿地", "候鸟", "河道", "治理"]),
    ],
    "world": [
        ("国际贸易", ["出口", "港口", "集装箱", "订单"]),
        ("气候会议", ["减排", "气候", "谈判", "承诺"]),
        ("海外文化", ["博物馆", "展览", "文物", "交流"]),
    ],
    "society": [
        ("社区服务", ["养老", "助餐", "志愿者", "老人"]),
        ("天气出行", ["降雨", "预警", "通勤", "积水"]),
        ("公共安全", ["消防", "演练", "隐患", "排查"]),
        ("医疗健康", ["医院", "门诊", "医保", "挂号"]),
    ],
    "sports": [
        ("职业联赛", ["主场", "进球", "积分榜", "主教练"]),
        ("全民健身", ["马拉松", "跑者", "赛道", "补给"]),
        ("篮球赛事", ["篮板", "三分", "季后赛", "后卫"]),
    ],
    "ent": [
        ("电影票房", ["上映", "票房", "导演", "影院"]),
        ("综艺节目", ["嘉宾", "录制", "收视", "节目组"]),
        ("音乐演出", ["演唱会", "巡演", "歌迷", "舞台"]),
    ],
    "money": [
        ("消费市场", ["消费券", "零售", "商圈", "客流"]),
        ("资本市场", ["股价", "财报", "营收", "投资者"]),
        ("家庭理财", ["存款", "利率", "基金", "理财"]),
    ],
    "tech": [
        ("人工智能", ["大模型", "算力", "训练", "推理"]),
        ("芯片产业", ["芯片", "制程", "晶圆", "封装"]),
        ("航天科技", ["卫星", "发射", "轨道", "火箭"]),
    ],
    "auto": [
        ("新能源车", ["续航", "电池", "充电桩", "补能"]),
        ("汽车消费", ["车展", "新车", "降价", "以旧换新"]),
        ("智能驾驶", ["辅助驾驶", "激光雷达", "路测", "安全员"]),
    ],
    "mobile": [
        ("手机新品", ["影像", "屏幕", "快充", "处理器"]),
        ("系统更新", ["系统", "升级", "隐私", "续航"]),
    ],
    "house": [
        ("楼市政策", ["公积金", "首付", "房贷", "限购"]),
        ("租房市场", ["租金", "保障房", "租客", "房源"]),
    ],
    "edu": [
        ("升学考试", ["中考", "招生", "志愿", "分数线"]),
        ("课后服务", ["课后", "托管", "社团", "家长"]),
    ],
    "homedeco": [
        ("旧房翻新", ["翻新", "水电", "瓷砖", "预算"]),
        ("收纳整理", ["收纳", "衣柜", "空间", "断舍离"]),
    ],
    "war": [
        ("航空展会", ["飞行表演", "展台", "无人机", "机型"]),
        ("航天发射", ["运载火箭", "发射场", "载荷", "入轨"]),
    ],
}
SOURCES = [
    "haihe-daily", "jiangcheng-evening", "zhongyuan-net", "city-radio", "dongfang-finance",
    "xingcheng-sports", "xinchao-tech", "luchang-auto", "anju-house", "jiuzhou-military", "xuefu-edu",
    "shuma-laozhou", "qiumi-laowang", "yule-bayibaba", "licai-xiaoli", "jiaju-riji", "jiaoyu-xiaolin",
]
REPORTERS = ["陈晓岚", "王子轩", "李沐阳", "赵一鸣", "周若溪",
             "吴海峰", "郑可欣", "孙立群", "何嘉怡", "许文博"]
EDITORS = ["刘静", "孙浩", "马丽", "高远", "唐宁", "冯雪"]
TITLE_FORMS = [
    "{place}{topic}迎来新进展：{k0}与{k1}受关注",
    "{place}推进{topic}，{k0}项目{n}个落地",
    "{topic}观察：{place}{k0}{k1}有了新变化",
    "记者探访{place}：{k0}背后的{topic}故事",
    "{place}{k0}数据出炉，{topic}同比增长{p}%",
    "聚焦{topic}：{place}{k1}迎来{n}项新举措",
]
SENTENCES = [
    "{place}有关部门介绍，今年以来围绕{topic}已累计推进{n}个{k0}项目。",
    "在{k1}方面，当地采取了分步实施的办法，首批试点覆盖{m}个街道和乡镇。",
    "一位参与{k0}工作的负责人说，{k2}是下一步的重点，预计年底前完成{p}%的目标。",
    "不少市民表示，{k1}带来的变化看得见，{k3}也比以前方便了许多。",
    "数据显示，{place}{topic}相关投入同比增长{p}%，带动{k2}领域新增就业{n}百人。",
    "业内人士认为，{k0}与{k3}相互配合，将为{topic}提供更稳定的支撑。",
    "记者在现场看到，{k1}相关设施已经基本就位，工作人员正在进行最后的调试。",
    "据了解，{place}还将出台配套措施，重点解决{k2}过程中遇到的实际困难。",
]
REWORD = {"介绍": "表示", "累计": "先后", "不少": "许多",
          "看到": "注意到", "重点": "关键", "据了解": "另据介绍"}


@dataclass(frozen=True, slots=True)
class SyntheticArticle:
    draft: ArticleDraft
    topic: str  # ground-truth topic label, "<channel>/<topic>"
    story: str  # ground-truth story id; syndicated copies share their original's story


def _fill(rng: random.Random, form: str, place: str, topic: str, kws: list[str]) -> str:
    return form.format(
        place=place, topic=topic, k0=kws[0], k1=kws[1], k2=kws[2], k3=kws[3],
        # figures as news reports them: specific counts and one-decimal percentages, so that two reports of
        # one event share figures and two different events rarely do
        n=rng.randint(12, 980), m=rng.randint(3, 300), p=f"{rng.uniform(1, 99):.1f}",
    )


def generate(n: int, *, seed: int = 2026, now: datetime | None = None) -> Iterator[SyntheticArticle]:
    rng = random.Random(seed)
    now = (now or datetime(2026, 11, 25, 12, 0, 0)).replace(microsecond=0)
    channels = list(TOPICS)
    originals: list[tuple[ArticleDraft, list[str], str, str]] = []
    for i in range(n):
        if originals and rng.random() < 0.05:
            base, paras, topic_label, story = rng.choice(originals[-200:])
            source = rng.choice([s for s in SOURCES if s != base.source_key])
            reworded = [_reword(p) for p in paras]
            rng.shuffle(reworded[1:]) if len(reworded) > 2 else None
            title = _reword(base.title).replace("：", "，", 1)
            draft = ArticleDraft(
                title=title, body_html=paragraphs_to_html(reworded), channel_slug=base.channel_slug,
                source_key=source, summary=reworded[0][:60], byline=f"记者 {rng.choice(REPORTERS)}",
                tags=base.tags, reporters=base.reporters[:1], editors=(rng.choice(EDITORS),),
                external_id=f"synthetic-{seed}-{i}",
                published_at=(base.published_at or now) + timedelta(minutes=rng.randint(5, 240)),
            )
            yield SyntheticArticle(draft, topic_label, story)
            continue
        channel = rng.choice(channels)
        topic, kws = rng.choice(TOPICS[channel])
        kws = kws[:]
        rng.shuffle(kws)
        place = rng.choice(PLACES)
        title = _fill(rng, rng.choice(TITLE_FORMS), place, topic, kws)
        paras = []
        for _ in range(rng.randint(2, 8)):
            k = rng.randint(2, 5)
            paras.append("".join(_fill(rng, s, place, topic, kws) for s in rng.sample(SENTENCES, k)))
        reporters = tuple(rng.sample(REPORTERS, rng.randint(1, 2)))
        draft = ArticleDraft(
            title=title, body_html=paragraphs_to_html(paras), channel_slug=channel,
            source_key=rng.choice(SOURCES), summary=paras[0][:60],
            byline=f"本报讯（记者 {' '.join(reporters)}）", tags=(topic, kws[0], kws[1]),
            reporters=reporters, editors=tuple(rng.sample(EDITORS, 2)),
            external_id=f"synthetic-{seed}-{i}",
            published_at=now - timedelta(minutes=rng.randint(1, 60 * 24 * 60)),
        )
        story = f"story-{seed}-{i}"
        originals.append((draft, paras, f"{channel}/{topic}", story))
        yield SyntheticArticle(draft, f"{channel}/{topic}", story)


def _reword(text: str) -> str:
    for a, b in REWORD.items():
        text = text.replace(a, b)
    return text
