"""A migrated database (SQLite and PostgreSQL) with two published articles, a draft, and the comment services.

The clock is injected everywhere (``T0`` plus offsets), argon2 runs with cheap parameters, and the rate
limiter is in memory with limits far above what a test posts unless a test asks for tight ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from newsportal.comments.moderating import ModerationService
from newsportal.comments.ratelimit import LimitSettings, PostLimiter
from newsportal.comments.readers import ReaderService
from newsportal.comments.service import CommentService, CommentStores
from newsportal.domain import ArticleStatus, ChannelKind, SourceKind
from newsportal.geo import NullLocator
from newsportal.store.reader_accounts import ReaderAccount, ReaderAccountStore
from tests.conftest import make_store, sample_draft

T0 = datetime(2026, 12, 1, 8, 0, 0)
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
ROOMY = LimitSettings(per_reader="1000/hour", per_ip="1000/hour", login_per_ip="1000/hour")


@dataclass
class Env:
    store: object
    readers: ReaderService
    comments: CommentService
    moderation: ModerationService
    stores: CommentStores
    article: int
    other_article: int
    draft_article: int
    channel: int
    _n: int = 0

    def reader(self, nickname: str = "读者", *, verified: bool = True, at: datetime = T0) -> ReaderAccount:
        """A new reader, verified by an operator unless asked otherwise."""
        self._n += 1
        login = f"reader{self._n}@example.cn"
        self.readers.sign_up(login, f"{nickname}{self._n}", "海河晨报2026", at)
        if verified:
            return self.readers.approve(login, "cli:test-operator", at)
        account = self.readers.accounts.by_login(login)
        assert account is not None
        return account


def build_env(store, locator=None, limits: LimitSettings = ROOMY) -> Env:
    ch = store.upsert_channel("domestic", "国内", ChannelKind.SUB)
    src = store.upsert_source("haihe-daily", "海河日报", SourceKind.MEDIA)
    made = [
        store.create_article(
            sample_draft(title=title, external_id=f"c-{i}"),
            channel_id=ch.id,
            source_id=src.id,
            status=status,
            actor="t",
            now=T0 - timedelta(hours=1),
        )
        for i, (title, status) in enumerate(
            [
                ("海河新区开通智慧公交", ArticleStatus.PUBLISHED),
                ("滨海图书馆延长开放时间", ArticleStatus.PUBLISHED),
                ("尚未发布的稿件", ArticleStatus.DRAFT),
            ]
        )
    ]
    engine = store.engine
    stores = CommentStores.over(engine)
    limiter = PostLimiter(limits)
    readers = ReaderService(ReaderAccountStore(engine), hasher=CHEAP, limiter=limiter)
    return Env(
        store=store,
        readers=readers,
        comments=CommentService(stores, locator=locator or NullLocator(), limiter=limiter),
        moderation=ModerationService(stores),
        stores=stores,
        article=made[0].id,
        other_article=made[1].id,
        draft_article=made[2].id,
        channel=ch.id,
    )


@pytest.fixture
def env(backend, tmp_path_factory):
    store, dispose = make_store(backend, tmp_path_factory)
    yield build_env(store)
    dispose()


def later(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)
