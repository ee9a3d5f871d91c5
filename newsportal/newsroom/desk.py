"""The newsroom component: accounts, sessions, audit, workflow, self-media and the scheduler, wired once.

:class:`~newsportal.portal.Portal` builds one :class:`Newsroom` (``portal.newsroom``) from its store and
settings; the web UI, the API and the CLI use it instead of constructing services themselves, so every way
in shares one audit log, one session secret and one set of role checks. Article operations live in
:class:`~newsportal.newsroom.operations.ArticleOperations` (inherited); pins, source trust, self-media
pages, reader-page notes and the dashboard's scheduling lists are here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsportal.domain import ApiToken, Article, Source, SourceKind
from newsportal.geo import UNKNOWN, IpLocator, NullLocator, make_locator
from newsportal.newsroom.accounts import AccountService
from newsportal.newsroom.actors import CLI_NAME, Actor
from newsportal.newsroom.audit import AuditService
from newsportal.newsroom.operations import ArticleOperations
from newsportal.newsroom.publish import Desk
from newsportal.newsroom.roles import Action, Role, parse_role, require
from newsportal.newsroom.scheduler import Scheduler, SchedulerLoop
from newsportal.newsroom.self_media import SelfMediaService
from newsportal.newsroom.sessions import Sessions
from newsportal.newsroom.workflow import LATE_GRACE
from newsportal.store.accounts import AccountStore, SelfMediaAccount
from newsportal.store.audit import AuditLog
from newsportal.store.newsroom_sessions import NewsroomSessionStore
from newsportal.store.workflow import Correction, WorkflowRecord, WorkflowStore
from newsportal.timeutil import utcnow

log = logging.getLogger(__name__)

SELF_MEDIA_STATEMENT = (
    "声明：本文由自媒体作者撰写并发布，内容仅代表作者本人观点。本站仅提供信息发布平台，"
    "不代表本站立场，也不对文中信息的准确性作任何保证。"
)
"""Shown under every self-media article: the view is the author's, the portal only hosts it."""


class NewsroomHost(Desk, Protocol):
    """What the newsroom needs from the portal beyond the publish desk (a Portal is one)."""

    @property
    def sources(self) -> Mapping[int, Source]: ...
    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            hours: float | None = None) -> None: ...
    def unpin(self, channel_id: int, article_id: int) -> bool: ...
    def set_source_trust(self, key: str, trust: float) -> Source: ...


@dataclass(frozen=True, slots=True)
class ArticleNotes:
    """What the article page adds from the newsroom: 责编 credit, 更正 notes, the self-media statement."""

    editors: tuple[str, ...]
    corrections: tuple[Correction, ...]
    statement: str | None


@dataclass(frozen=True, slots=True)
class SourceProfile:
    """A self-media account page as readers see it; ``ip_region`` is from the owner's last login."""

    account: SelfMediaAccount
    ip_region: str


class Newsroom(ArticleOperations):
    def __init__(self, host: NewsroomHost, secret: bytes, *, token_role: str | Role = Role.EDITOR,
                 clock: Callable[[], datetime] = utcnow, locator: IpLocator | None = None):
        engine = host.store.engine
        self.host = host
        self.audit = AuditService(AuditLog(engine), clock=clock)
        self.session_store = NewsroomSessionStore(engine)
        self.sessions = Sessions(self.session_store, secret, clock=clock)
        self.account_store = AccountStore(engine)
        self.accounts = AccountService(self.account_store, self.audit, sessions=self.sessions, clock=clock)
        self.self_media = SelfMediaService(self.account_store, self.audit, session_store=self.session_store,
                                           clock=clock)
        super().__init__(host, WorkflowStore(engine), self.audit, clock)
        self.scheduler = Scheduler(self.workflow, self.audit, self.fire)
        self.token_role = parse_role(token_role) if isinstance(token_role, str) else token_role
        self._locator = locator
        self._locator_lock = threading.Lock()

    # -- who is acting -------------------------------------------------------------------------------
    def actor_for_token(self, token: ApiToken, *, ip: str | None = None) -> Actor:
        """A partner's API token acts with its own role (``token create --role``); a token without one
        (made before tokens had roles) acts with :attr:`token_role` (``NEWSPORTAL_TOKEN_ROLE``, default
        主编), as it always did. A stored code that is no role raises :class:`UnknownRole`."""
        role = parse_role(token.role) if token.role else self.token_role
        return Actor(0, f"api:{token.name}"[:80], role, True, None, ip)

    # -- pins, trust, self-media pages ---------------------------------------------------------------
    def pin(self, actor: Actor, channel_id: int, article_id: int, *, position: int = 0,
            hours: float | None = None) -> None:
        require(actor.role, Action.PIN, active=actor.active)
        self.host.pin(channel_id, article_id, actor=actor.name, position=position, hours=hours)
        self.audit.record("article.pin", actor=actor, target_kind="article", target_id=article_id,
                          detail={"channel_id": channel_id, "position": position, "hours": hours})

    def unpin(self, actor: Actor, channel_id: int, article_id: int) -> bool:
        require(actor.role, Action.PIN, active=actor.active)
        removed = self.host.unpin(channel_id, article_id)
        if removed:
            self.audit.record("article.unpin", actor=actor, target_kind="article", target_id=article_id,
                              detail={"channel_id": channel_id})
        return removed

    def set_source_trust(self, actor: Actor | None, key: str, trust: float) -> Source:
        """Change a source's trust (主编 only): it scales every article's quality score from that source.

        ``actor=None`` is the operator's shell (``newsportal source-trust``): trusted like the other CLI
        commands, and audited as 命令行, so every trust change is in the log whichever way it was made.
        """
        if actor is not None:
            require(actor.role, Action.MANAGE_SOURCES, active=actor.active)
        before = self.host.sources_by_key.get(key)
        source = self.host.set_source_trust(key, trust)
        self.audit.record("source.trust", actor=actor, actor_name=None if actor else CLI_NAME,
                          target_kind="source", target_id=source.id,
                          detail={"key": key, "before": before.trust if before else None, "after": trust})
        return source

    def update_self_media(self, actor: Actor, source_id: int, fields: Mapping[str, str]) -> SelfMediaAccount:
        """名称, 简介, 运营主体, 内容类别, 联系方式: the owner edits their own page, 主编 any page."""
        return self.self_media.update(actor, source_id, fields, ip=actor.ip)

    def suspend_self_media(self, actor: Actor, source_id: int, suspended: bool, *,
                           reason: str | None = None) -> SelfMediaAccount:
        return self.self_media.set_suspended(actor, source_id, suspended, reason=reason, ip=actor.ip)

    # -- reader pages --------------------------------------------------------------------------------
    def article_notes(self, article: Article) -> ArticleNotes:
        """责编 = whoever approved publication; imported articles without a workflow keep their editors."""
        approver, corrections = self.workflow.page_notes(article.id)
        editors = (approver,) if approver else article.editors
        source = self.host.sources.get(article.source_id)
        statement = SELF_MEDIA_STATEMENT if source and source.kind is SourceKind.SELF_MEDIA else None
        return ArticleNotes(tuple(editors), tuple(corrections), statement)

    def locator(self) -> IpLocator:
        """The IP属地 database, opened on first use (a broken one degrades to 未知, with a log line)."""
        with self._locator_lock:
            if self._locator is None:
                try:
                    self._locator = make_locator()
                except Exception:
                    log.exception("IP database unavailable; IP属地 shows 未知")
                    self._locator = NullLocator()
            return self._locator

    def source_profile(self, source: Source) -> SourceProfile | None:
        """The self-media page fields and IP属地 (owner's last login), or None for other sources."""
        if source.kind is not SourceKind.SELF_MEDIA:
            return None
        account = self.account_store.self_media(source.id)
        if account is None:
            return None
        owners = [u for u in self.account_store.users(source_id=source.id) if u.last_login_at is not None]
        last = max(owners, key=lambda u: u.last_login_at or datetime.min, default=None)
        region = UNKNOWN
        if last is not None and last.last_login_ip:
            region = self.locator().locate(last.last_login_ip) or UNKNOWN
        return SourceProfile(account, region)

    # -- scheduling ----------------------------------------------------------------------------------
    def scheduler_loop(self, *, interval: float, clock: Callable[[], datetime] = utcnow) -> SchedulerLoop:
        """The in-server scheduler (the app's lifespan starts it); its first pass runs at once."""
        return SchedulerLoop(self.scheduler, interval=interval, clock=clock)

    def overdue(self, now: datetime | None = None, *, limit: int = 50) -> list[WorkflowRecord]:
        """Missed publications for the dashboard alert: due more than the grace period ago, not fired."""
        return self.workflow.overdue((now or self.clock()) - LATE_GRACE, limit=limit)

    def upcoming(self, *, limit: int = 50) -> list[WorkflowRecord]:
        return self.workflow.upcoming(limit=limit)

    def queue_counts(self) -> dict[str, int]:
        """Articles per workflow state (``submitted`` is the review queue length)."""
        return self.workflow.count_by_state()
