"""What readers do with comments: post, reply, like, report, appeal, delete, and read their own record.

Each call checks in the order that gives the reader the most useful answer and stores nothing until every
check has passed: the reader (signed in, verified, not banned), the rate limit, the article and the thread
(published, open), the reply target, the text, then the pre-checks and the reader's grade, which decide
whether the comment is shown before review. The IP属地 is resolved once, here, and only the label is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from newsportal.comments.bans import Ban, is_active
from newsportal.comments.credit import CreditThresholds, ReaderRecord, SkipPolicy, grade_reader
from newsportal.comments.credit import Grade as Grade
from newsportal.comments.errors import BadInput
from newsportal.comments.moderation import (
    Comment,
    CommentState,
    delete_by_author,
    ensure_open,
    file_appeal,
    is_visible,
    status_for_author,
)
from newsportal.comments.posting import prepare_post
from newsportal.comments.prechecks import BannedWords, PrecheckConfig
from newsportal.comments.ranking import BadPage, Page, ReplyTarget, Thread, reply_target
from newsportal.comments.ratelimit import PostLimiter
from newsportal.comments.readers import ensure_may_post
from newsportal.comments.reports import TargetKind, file_report
from newsportal.comments.signals import CommentSignals
from newsportal.comments.text import DEFAULT_RULES, TextRules
from newsportal.geo import IpLocator, NullLocator
from newsportal.store.bans import BanStore
from newsportal.store.comment_posting import ParentInfo, PostContext
from newsportal.store.comment_settings import ArticleInfo, CommentSettingsStore
from newsportal.store.comments import CommentRecord, CommentStore, NewComment
from newsportal.store.comments_common import RowMissing
from newsportal.store.reader_accounts import ReaderAccount
from newsportal.store.reports import ReportRecord, ReportStore

__all__ = [
    "CommentStores", "CommentPolicy", "CommentService", "ArticleComments", "MyComment", "transition_announced"
]


@dataclass(frozen=True)
class CommentStores:
    """The stores the services need; the facade builds them once over its session factory."""

    comments: CommentStore
    settings: CommentSettingsStore
    reports: ReportStore
    bans: BanStore

    @classmethod
    def over(cls, source) -> CommentStores:  # type: ignore[no-untyped-def]
        return cls(CommentStore(source), CommentSettingsStore(source), ReportStore(source), BanStore(source))


@dataclass(frozen=True)
class CommentPolicy:
    text_rules: TextRules = DEFAULT_RULES
    prechecks: PrecheckConfig | None = None
    thresholds: CreditThresholds | None = None
    skip_policy: SkipPolicy | None = None
    hot_half_life: timedelta = timedelta(hours=6)
    section_size: int = 5


@dataclass(frozen=True)
class ArticleComments:
    """The 跟贴 section of an article page: the count, 热门跟贴 and 最新跟贴, and whether it is closed."""

    article_id: int
    count: int
    hot: tuple[CommentRecord, ...]
    latest: tuple[CommentRecord, ...]
    closed: bool


@dataclass(frozen=True)
class MyComment:
    comment: CommentRecord
    #: The status line the author reads beside it (审核中, 已发布, 未通过审核（原因：…），可申诉一次, …).
    status_zh: str


class CommentService:
    def __init__(
        self,
        stores: CommentStores,
        *,
        locator: IpLocator | None = None,
        limiter: PostLimiter | None = None,
        policy: CommentPolicy | None = None,
        signals: CommentSignals | None = None,
    ) -> None:
        """``signals`` hears every committed change of what readers see (the component shares one)."""
        self.stores = stores
        self._locator = locator or NullLocator()
        self._limiter = limiter or PostLimiter()
        self.policy = policy or CommentPolicy()
        self.signals = signals or CommentSignals()

    # -- reading -------------------------------------------------------------------------------------
    def section(self, article_id: int, now: datetime) -> ArticleComments:
        c, n = self.stores.comments, self.policy.section_size
        return ArticleComments(
            article_id,
            c.count_visible(article_id),
            tuple(c.hot(article_id, now, limit=n, half_life=self.policy.hot_half_life)),
            tuple(c.latest(article_id, limit=n)),
            self.stores.settings.thread(article_id).closed,
        )

    def thread_page(
        self, article_id: int, now: datetime, *, page: int = 1, per_page: int = 20, order: str = "latest"
    ) -> Page[Thread[CommentRecord]]:
        """The full-thread page (``/comments/<article id>``); page below 1 or an unknown order is a 400."""
        if page < 1:
            raise BadPage("bad_page", "页码须为正整数。")
        if order not in ("latest", "hot"):
            raise BadInput("bad_order", "排序只能是「最新」或「最热」。")
        self._article(article_id)
        return self.stores.comments.thread_page(
            article_id,
            page=page,
            per_page=per_page,
            order=order,
            now=now,
            half_life=self.policy.hot_half_life,
        )

    def record(
        self, account: ReaderAccount, now: datetime, bans: Sequence[Ban] | None = None
    ) -> ReaderRecord:
        """The reader's record for credit grading (``bans`` when the caller already has them)."""
        approved, rejected = self.stores.comments.decided_counts(account.id)
        if bans is None:
            bans = [b.ban for b in self.stores.bans.for_reader(account.id)]
        upheld = self.stores.reports.upheld_against(account.id)
        return _reader_record(account, now, approved, rejected, upheld, bans)

    def grade(self, account: ReaderAccount, now: datetime) -> Grade:
        return grade_reader(self.record(account, now), now, self.policy.thresholds)

    def my_comments(
        self, account: ReaderAccount, *, page: int = 1, per_page: int = 20
    ) -> tuple[list[MyComment], int]:
        rows, total = self.stores.comments.by_reader(account.id, page=page, per_page=per_page)
        return [MyComment(r, status_for_author(r.to_comment())) for r in rows], total

    def my_reports(
        self, account: ReaderAccount, *, page: int = 1, per_page: int = 20
    ) -> tuple[list[ReportRecord], int]:
        return self.stores.reports.by_reporter(account.id, page=page, per_page=per_page)

    # -- posting -------------------------------------------------------------------------------------
    def _article(self, article_id: int) -> ArticleInfo:
        info = self.stores.settings.article(article_id)
        if info is None or not info.published:
            raise RowMissing("no_article", "文章不存在或尚未发布。")
        return info

    def post(
        self,
        account: ReaderAccount,
        article_id: int,
        text: object,
        ip: str,
        now: datetime,
        *,
        reply_to: int | None = None,
    ) -> CommentRecord:
        """Post a comment or a reply; raises a refusal with a Chinese message, or returns what was saved.

        The store reads everything the rules need in one snapshot (:mod:`newsportal.store.comment_posting`)
        and calls ``decide`` on it inside the posting transaction, so a refusal writes nothing and a post
        costs six statements instead of twelve.
        """
        ensure_may_post(account)
        p = self.policy
        cfg = p.prechecks or PrecheckConfig()

        def decide(ctx: PostContext) -> NewComment:
            if ctx.article is None or not ctx.article.published:
                raise RowMissing("no_article", "文章不存在或尚未发布。")
            ensure_open(ctx.thread)
            target = _reply_target(account, article_id, ctx.parent) if reply_to is not None else None
            record = _reader_record(account, now, ctx.approved, ctx.rejected, ctx.upheld_reports, ctx.bans)
            prepared = prepare_post(
                text,
                reader_id=account.id,
                thread=ctx.thread,
                channel_mode=ctx.channel_mode,
                record=record,
                history=ctx.history,
                bans=ctx.bans,
                banned_words=BannedWords(ctx.banned_words),
                now=now,
                text_rules=p.text_rules,
                precheck_config=cfg,
                thresholds=p.thresholds,
                skip_policy=p.skip_policy,
            )
            self._limiter.hit_post(account.id, ip)
            return NewComment(
                article_id=article_id,
                author_id=account.id,
                text=prepared.text,
                ip_label=self._locator.locate(ip),
                mode=prepared.mode,
                show_now=prepared.show_now,
                flags=prepared.checks.flags,
                root_id=target.root_id if target else None,
                quoted_id=target.quoted_id if target else None,
            )

        saved = self.stores.comments.post(
            account.id,
            article_id,
            now,
            decide,
            since=now - cfg.repeat_window,
            lookback=cfg.record_lookback,
            reply_to=reply_to,
        )
        if saved.visible:  # shown at once (发后审, a trusted reader): the article's count went up
            self.signals.announce(article_id)
        return saved

    # -- reader actions ------------------------------------------------------------------------------
    def like(self, account: ReaderAccount, comment_id: int, now: datetime) -> int:
        """Like a shown comment once; the second time is refused with 你已经赞过这条跟贴了。"""
        ensure_may_post(account)
        return self.stores.comments.like(comment_id, account.id, now)

    def delete_own(self, account: ReaderAccount, comment_id: int, now: datetime) -> CommentRecord:
        return transition_announced(
            self.stores, self.signals, comment_id, lambda c: delete_by_author(c, account.id, now)
        )

    def appeal(self, account: ReaderAccount, comment_id: int, text: object, now: datetime) -> CommentRecord:
        return self.stores.comments.transition(
            comment_id,
            lambda c: file_appeal(c, account.id, text, now),  # type: ignore[arg-type]
        )

    def report(
        self, account: ReaderAccount, kind: str, target_id: int, reason: str, now: datetime, note: object = ""
    ) -> ReportRecord:
        """举报 a comment or an article; the outcome later shows in the reporter's 我的举报."""
        ensure_may_post(account)
        author_id: int | None = None
        if kind == TargetKind.COMMENT.value:
            try:
                target = self.stores.comments.get(target_id)
            except RowMissing:
                raise RowMissing("no_target", "要举报的跟贴不存在。") from None
            if not target.visible and target.author_id != account.id:
                raise RowMissing("no_target", "要举报的跟贴不存在。")
            author_id = target.author_id
        elif kind == TargetKind.ARTICLE.value:
            if self.stores.settings.article(target_id) is None:
                raise RowMissing("no_target", "要举报的文章不存在。")
        report = file_report(
            0,
            account.id,
            kind,
            target_id,
            reason,
            now,
            note=note,  # type: ignore[arg-type]
            target_author_id=author_id,
            existing=self.stores.reports.existing(account.id),
        )
        return self.stores.reports.add(report)


def transition_announced(
    stores: CommentStores, signals: CommentSignals, comment_id: int, rule: Callable[[Comment], Comment]
) -> CommentRecord:
    """Apply ``rule`` to the comment (:meth:`CommentStore.transition`) and, once committed, announce its
    article when the comment was shown before and is not now, or the other way round."""
    before: list[bool] = []

    def step(comment: Comment) -> Comment:
        before.append(is_visible(comment))
        return rule(comment)

    record = stores.comments.transition(comment_id, step)
    if before and before[-1] != record.visible:
        signals.announce(record.article_id)
    return record


def _reader_record(
    account: ReaderAccount, now: datetime, approved: int, rejected: int, upheld: int, bans: Sequence[Ban]
) -> ReaderRecord:
    return ReaderRecord(
        account_created_at=account.created_at,
        approved=approved,
        rejected=rejected,
        upheld_reports=upheld,
        bans_total=len(bans),
        banned_now=any(is_active(b, now) for b in bans),
    )


def _reply_target(account: ReaderAccount, article_id: int, parent: ParentInfo | None) -> ReplyTarget:
    """The reply's root and quote; a missing parent, or another reader's unshown one, does not exist."""
    if parent is None:
        raise RowMissing("no_parent", "你要回复的跟贴不存在。")
    removed = parent.state in (CommentState.REJECTED, CommentState.DELETED)
    if not removed and not parent.visible and parent.author_id != account.id:
        raise RowMissing("no_parent", "你要回复的跟贴不存在。")
    return reply_target(article_id, parent.id, parent.article_id, parent.root_id, removed)
