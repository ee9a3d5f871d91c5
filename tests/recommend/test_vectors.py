"""Article vectors: the in-memory matrix, nearest neighbours, the side file, and quality at any trust."""

import numpy as np
import pytest

from newsportal.newsroom.sources import base_quality, scale_quality
from newsportal.recommend.quality import assess
from newsportal.recommend.semantic import default_embedder
from newsportal.recommend.vectors import ArticleVectors, Stored, VectorFile


def unit(*xs):
    v = np.array(xs + (0.0,) * (512 - len(xs)), dtype=np.float32)
    return v / np.linalg.norm(v)


def test_nearest_put_drop_and_window():
    vecs = ArticleVectors(default_embedder(), window=3)
    vecs.put(1, unit(1, 0))
    vecs.put(2, unit(0, 1))
    vecs.put(3, unit(1, 1))
    assert [a for a, _ in vecs.nearest(unit(1, 0), 2)] == [1, 3]
    vecs.put(4, unit(0, 1, 1))  # pushes article 1 out of the 3-row window
    assert 1 not in [a for a, _ in vecs.nearest(unit(1, 0), 3)]
    assert vecs.similarities(unit(1, 0), [1, 99])[0] == pytest.approx(1.0)  # still comparable by id
    vecs.drop(3)
    assert 3 not in vecs and 3 not in [a for a, _ in vecs.nearest(unit(1, 1), 4)]
    with pytest.raises(ValueError):
        vecs.put(5, np.zeros(3))


def test_matrix_grows_and_compacts():
    vecs = ArticleVectors(default_embedder())
    for i in range(3000):
        vecs.put(i, unit(1, i % 7))
        if i % 2:
            vecs.drop(i - 1)
    assert len(vecs) == 1500
    assert vecs.get(2999) is not None and vecs.get(0) is None


def test_side_file_round_trip_and_model_guard(tmp_path):
    f = VectorFile(tmp_path / "v.sqlite3", "m1")
    f.save([(7, Stored("d7", 0.4, True, unit(1, 2)))])
    got = dict(f.load())
    assert got[7].clickbait and got[7].base_quality == pytest.approx(0.4)
    assert float(got[7].vector @ unit(1, 2)) == pytest.approx(1.0, abs=1e-3)  # kept as float16
    f.close()
    assert dict(VectorFile(tmp_path / "v.sqlite3", "m2").load()) == {}  # another model's vectors are ignored


def test_add_articles_embeds_once_per_text():
    vecs = ArticleVectors(default_embedder())
    assert vecs.add_articles([(1, "火山喷发", "岩浆涌出", (1.0, False))]) == 1
    assert vecs.add_articles([(1, "火山喷发", "岩浆涌出", (1.0, False))]) == 0
    assert vecs.add_articles([(1, "火山喷发后", "岩浆涌出", (1.0, False))]) == 1


@pytest.mark.parametrize("title,body", [
    ("震惊！这件事99%的人都不知道", "点赞转发，让更多人看到！"),
    ("市政府发布冬季供暖安排", "全市供暖将于十一月十五日开始。"), ("", "")])
@pytest.mark.parametrize("trust", [0.0, 0.3, 0.7, 1.0])
def test_scaled_quality_equals_assess_at_every_trust(title, body, trust):
    base, flag = base_quality(title, body)
    q = assess(title, trust, body)
    assert scale_quality(base, trust) == pytest.approx(q.score, abs=1e-3)
    assert flag == q.clickbait
