"""Another process's 跟贴 changes are announced here once each, from the audit lines in the store.

The events carry the clock of whoever wrote them (``T0`` plus minutes here); the sync's own clock is
injected too, so the overlap window is exercised without sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from newsportal.comments.signals import CommentsChangedElsewhere, CommentSignals
from newsportal.comments.sync import OVERLAP, CommentSync
from tests.comments.conftest import T0, later


def sync_of(env, now: list[datetime]) -> tuple[CommentSync, list[CommentsChangedElsewhere]]:
    signals = CommentSignals()
    heard: list[CommentsChangedElsewhere] = []
    signals.changed_elsewhere.connect(heard.append)
    return CommentSync(env.stores.comments, signals, clock=lambda: now[0]), heard


def test_an_approval_elsewhere_is_announced_once(env):
    now = [T0]
    sync, heard = sync_of(env, now)
    c = env.comments.post(env.reader(), env.article, "新开的公交线路很方便。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    now[0] = later(3)
    assert sync.refresh() == (env.article,)
    assert heard == [CommentsChangedElsewhere((env.article,))]
    now[0] = later(3) + timedelta(seconds=3)  # the next look overlaps the last: nothing new
    assert sync.refresh() == () and len(heard) == 1


def test_each_article_once_per_look_and_only_what_is_new(env):
    now = [T0]
    sync, heard = sync_of(env, now)
    first = env.comments.post(env.reader(), env.article, "站台的遮阳棚很实用。", "1.2.3.4", later(1))
    env.moderation.approve(first.id, 101, later(1))
    second = env.comments.post(env.reader(), env.other_article, "图书馆周末也开门吗？", "1.2.3.5", later(1))
    env.moderation.approve(second.id, 101, later(1))
    now[0] = later(2)
    assert set(sync.refresh()) == {env.article, env.other_article}
    env.moderation.reject(second.id, 101, "off_topic", later(2))  # taken down: its count drops
    now[0] = later(3)
    assert sync.refresh() == (env.other_article,)


def test_a_line_stamped_before_the_last_look_but_written_after_it_is_not_missed(env):
    """A slow transaction (or a host whose clock is a little behind) stamps its line before the last look
    and commits after it: the overlap asks for it again."""
    now = [later(5)]
    sync, heard = sync_of(env, now)
    assert sync.refresh() == ()
    c = env.comments.post(env.reader(), env.article, "末班车能再晚一点吗？", "1.2.3.4",
                          later(5) - OVERLAP / 2)
    env.moderation.approve(c.id, 101, later(5) - OVERLAP / 2)
    now[0] = later(5) + timedelta(seconds=1)
    assert sync.refresh() == (env.article,)


def test_lines_from_before_the_sync_started_are_not_announced(env):
    c = env.comments.post(env.reader(), env.article, "早高峰的车次够用了。", "1.2.3.4", later(1))
    env.moderation.approve(c.id, 101, later(2))
    now = [later(60)]
    sync, heard = sync_of(env, now)
    now[0] = later(61)
    assert sync.refresh() == () and heard == []
