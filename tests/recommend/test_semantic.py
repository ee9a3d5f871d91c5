"""The packaged sentence embedder: shapes, unit length, meaning over shared words, and bad input."""

import numpy as np
import pytest

from newsportal.recommend.semantic import Embedder, EmbeddingError, UseEmbedder, default_embedder, normalise

# (anchor, same subject in other words, different subject); the pairs share almost no words
TRIPLES = [
    ("火山喷发导致附近航班取消，居民紧急疏散", "岩浆喷涌，机场关闭，村民撤离家园", "足球场草皮更换工程完工"),
    ("央行宣布下调存款准备金率0.5个百分点", "货币政策放松，银行准备金要求降低", "社区食堂开门迎客，老人助餐"),
    ("男篮主教练公布亚洲杯十二人名单", "篮球国家队确定参加洲际比赛的阵容", "暴雨致城区多处道路积水"),
    ("新能源汽车销量同比增长三成", "电动车卖得越来越好，市场份额扩大", "博物馆推出夜间开放活动"),
]


@pytest.fixture(scope="module")
def embedder() -> UseEmbedder:
    return default_embedder()


def test_rows_are_unit_length_and_typed(embedder):
    v = embedder.embed(["江城地铁五号线开通", "暴雨致城区积水"])
    assert isinstance(embedder, Embedder)
    assert v.shape == (2, embedder.dim) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_same_subject_is_closer_than_other_subject(embedder):
    for anchor, same, other in TRIPLES:
        a, s, o = embedder.embed([anchor, same, other])
        assert a @ s > a @ o + 0.2, (anchor, float(a @ s), float(a @ o))


def test_batch_and_single_agree(embedder):
    texts = [t for triple in TRIPLES for t in triple]
    batch = embedder.embed(texts)
    one = embedder.embed([texts[3]])[0]
    assert float(batch[3] @ one) > 0.999


@pytest.mark.parametrize("texts", [[""], ["！！！……"], ["😀😀🔥"], ["breaking news only latin"], ["中"],
                                   ["   "], ["长" * 5000]])
def test_odd_text_gives_a_unit_vector(embedder, texts):
    v = embedder.embed(texts)
    assert v.shape == (1, embedder.dim) and np.isfinite(v).all()
    assert abs(float(np.linalg.norm(v[0])) - 1.0) < 1e-4


def test_empty_batch_and_bad_input(embedder):
    assert embedder.embed([]).shape == (0, embedder.dim)
    with pytest.raises(EmbeddingError):
        embedder.embed("一个字符串")
    with pytest.raises(EmbeddingError):
        embedder.embed(["标题", None])  # type: ignore[list-item]


def test_normalise_keeps_zero_rows_zero():
    v = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(v, [[0.6, 0.8], [0.0, 0.0]])
