"""The store: one narrow interface over the database, with a SQLite and a PostgreSQL implementation.

Everything above this layer speaks in domain objects (:mod:`newsportal.domain`); rows never leave here.
The two implementations share all queries (SQLAlchemy Core/ORM is portable) and differ only where the
databases do: connection set-up (WAL and pragmas for SQLite, a connection pool for PostgreSQL) and the
upsert statement each dialect spells its own way.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from newsportal.domain import (
    ApiToken,
    Article,
    ArticleCard,
    ArticleDraft,
    ArticleStatus,
    Channel,
    ChannelKind,
    Page,
    Revision,
    Source,
    SourceKind,
)
from newsportal.store.tables import (
    ApiTokenRow,
    ArticlePersonRow,
    ArticleRow,
    ArticleStatsRow,
    ArticleTagRow,
    ChannelRow,
    EventRow,
    PersonRow,
    PinRow,
    ReaderHistoryRow,
    RevisionRow,
    SourceRow,
)
from newsportal.timeutil import utcnow

MAX_PER_PAGE = 100


class NotFound(LookupError):
    """An id, slug or key that the store does not hold."""


class Conflict(ValueError):
    """A write that would break a uniqueness rule (e.g. an external id owned by another article)."""


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """The text of one published article, as the recommendation and search layers need it."""

    id: int
    title: str
    text: str
    tags: tuple[str, ...]
    channel_id: int
    source_id: int
    published_at: datetime | None
    story_id: int | None = None


def make_slug(published_or_now: datetime, seed: str | None = None) -> str:
    """A stable slug: publication date plus a short hash, independent of the (editable) title."""
    basis = seed if seed else uuid.uuid4().hex
    digest = hashlib.sha1(basis.encode("utf-8")).hexdigest()[:8]
    return f"{published_or_now:%Y%m%d}{digest}"


def _hash_secret(secret: str) -> str:
    # API tokens are 32 random bytes, so a plain SHA-256 is as strong as a slow hash here and keeps token
    # checks on every API call cheap. Human passwords (newsroom accounts) use argon2 instead.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class Store:
    """Shared implementation; use :func:`open_store` to get the right subclass for a URL."""

    dialect = "generic"

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # -- dialect hooks -------------------------------------------------------------------------------
    def _insert(self, table):  # pragma: no cover - overridden
        raise NotImplementedError

    # -- schema --------------------------------------------------------------------------------------
    def upgrade(self) -> None:
        from newsportal.store.migrate import upgrade

        upgrade(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self._sessions()

    # -- channels and sources ------------------------------------------------------------------------
    def upsert_channel(
        self,
        slug: str,
        name: str,
        kind: ChannelKind,
        parent_slug: str | None = None,
        module_title: str | None = None,
        position: int = 0,
    ) -> Channel:
        with self.session() as s, s.begin():
            parent_id = None
            if parent_slug:
                parent_id = s.scalar(select(ChannelRow.id).where(ChannelRow.slug == parent_slug))
                if parent_id is None:
                    raise NotFound(f"unknown parent channel {parent_slug!r}")
            row = s.scalar(select(ChannelRow).where(ChannelRow.slug == slug))
            if row is None:
                row = ChannelRow(slug=slug)
                s.add(row)
            row.name, row.kind, row.parent_id = name, kind.value, parent_id
            row.module_title, row.position = module_title, position
            s.flush()
            return _channel(row)

    def channels(self) -> list[Channel]:
        with self.session() as s:
            rows = s.scalars(select(ChannelRow).order_by(ChannelRow.position, ChannelRow.id))
            return [_channel(r) for r in rows]

    def upsert_source(
        self, key: str, name: str, kind: SourceKind, trust: float = 0.7, about: str = ""
    ) -> Source:
        with self.session() as s, s.begin():
            row = s.scalar(select(SourceRow).where(SourceRow.key == key))
            if row is None:
                row = SourceRow(key=key)
                s.add(row)
            row.name, row.kind, row.trust, row.about = name, kind.value, float(trust), about
            s.flush()
            return _source(row)

    def sources(self) -> list[Source]:
        with self.session() as s:
            return [_source(r) for r in s.scalars(select(SourceRow).order_by(SourceRow.id))]

    # -- articles: writes ----------------------------------------------------------------------------
    def create_article(
        self,
        draft: ArticleDraft,
        *,
        channel_id: int,
        source_id: int,
        status: ArticleStatus,
        actor: str,
        now: datetime | None = None,
    ) -> Article:
        """Insert an article and its first revision. ``draft.body_html`` must already be sanitized."""
        now = now or utcnow()
        published_at = draft.published_at or (now if status is ArticleStatus.PUBLISHED else None)
        with self.session() as s, s.begin():
            if draft.external_id and s.scalar(
                select(ArticleRow.id).where(ArticleRow.external_id == draft.external_id)
            ):
                raise Conflict(f"external id {draft.external_id!r} already exists")
            row = ArticleRow(
                slug=make_slug(published_at or now, draft.external_id),
                external_id=draft.external_id,
                created_at=now,
                status=status.value,
                revision=1,
            )
            self._apply(row, draft, channel_id, source_id, now, published_at)
            s.add(row)
            s.flush()
            s.add(ArticleStatsRow(article_id=row.id, views=0, shares=0))
            self._write_links(s, row.id, draft)
            self._write_revision(s, row, draft, actor, now)
            return self._load(s, row)

    def update_article(
        self,
        article_id: int,
        draft: ArticleDraft,
        *,
        channel_id: int,
        source_id: int,
        actor: str,
        now: datetime | None = None,
    ) -> Article:
        """Replace an article's content, keeping its id, slug and status, and record a new revision."""
        now = now or utcnow()
        with self.session() as s, s.begin():
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFound(f"article {article_id} not found")
            if draft.external_id and draft.external_id != row.external_id:
                other = s.scalar(select(ArticleRow.id).where(ArticleRow.external_id == draft.external_id))
                if other is not None:
                    raise Conflict(f"external id {draft.external_id!r} belongs to article {other}")
                row.external_id = draft.external_id
            published_at = draft.published_at or row.published_at
            self._apply(row, draft, channel_id, source_id, now, published_at)
            row.revision += 1
            s.execute(delete(ArticleTagRow).where(ArticleTagRow.article_id == row.id))
            s.execute(delete(ArticlePersonRow).where(ArticlePersonRow.article_id == row.id))
            self._write_links(s, row.id, draft)
            self._write_revision(s, row, draft, actor, now)
            return self._load(s, row)

    def set_status(
        self, article_id: int, status: ArticleStatus, now: datetime | None = None
    ) -> Article:
        now = now or utcnow()
        with self.session() as s, s.begin():
            row = s.get(ArticleRow, article_id)
            if row is None:
                raise NotFound(f"article {article_id} not found")
            row.status = status.value
            row.updated_at = now
            if status is ArticleStatus.PUBLISHED and row.published_at is None:
                row.published_at = now
            return self._load(s, row)

    @staticmethod
    def _apply(row, draft, channel_id, source_id, now, published_at) -> None:
        row.title = draft.title
        row.summary = draft.summary
        row.body_html = draft.body_html
        row.byline = draft.byline
        row.channel_id = channel_id
        row.source_id = source_id
        row.original = bool(draft.original)
        row.updated_at = now
        row.published_at = published_at

    def _write_links(self, s: Session, article_id: int, draft: ArticleDraft) -> None:
        seen: set[str] = set()
        for pos, tag in enumerate(draft.tags):
            if tag not in seen:
                seen.add(tag)
                s.add(ArticleTagRow(article_id=article_id, tag=tag, position=pos))
        for role, names in (("reporter", draft.reporters), ("editor", draft.editors)):
            done: set[str] = set()
            for pos, name in enumerate(names):
                if name in done:
                    continue
                done.add(name)
                s.execute(
                    self._insert(PersonRow.__table__)
                    .values(name=name, role=role)
                    .on_conflict_do_nothing(index_elements=["name", "role"])
                )
                pid = s.scalar(select(PersonRow.id).where(PersonRow.name == name, PersonRow.role == role))
                s.add(ArticlePersonRow(article_id=article_id, person_id=pid, role=role, position=pos))
        s.flush()

    @staticmethod
    def _write_revision(s: Session, row: ArticleRow, draft: ArticleDraft, actor: str, now) -> None:
        s.add(
            RevisionRow(
                article_id=row.id,
                number=row.revision,
                title=row.title,
                summary=row.summary,
                body_html=row.body_html,
                byline=row.byline,
                tags="\n".join(draft.tags),
                actor=actor,
                created_at=now,
            )
        )

    # -- articles: reads -----------------------------------------------------------------------------
    def get_article(self, article_id: int) -> Article | None:
        with self.session() as s:
            row = s.get(ArticleRow, article_id)
            return self._load(s, row) if row else None

    def get_article_by_slug(self, slug: str) -> Article | None:
        with self.session() as s:
            row = s.scalar(select(ArticleRow).where(ArticleRow.slug == slug))
            return self._load(s, row) if row else None

    def get_article_by_external_id(self, external_id: str) -> Article | None:
        with self.session() as s:
            row = s.scalar(select(ArticleRow).where(ArticleRow.external_id == external_id))
            return self._load(s, row) if row else None

    def _load(self, s: Session, row: ArticleRow) -> Article:
        tags = tuple(
            s.scalars(
                select(ArticleTagRow.tag)
                .where(ArticleTagRow.article_id == row.id)
                .order_by(ArticleTagRow.position)
            )
        )
        people = s.execute(
            select(PersonRow.name, ArticlePersonRow.role)
            .join(PersonRow, PersonRow.id == ArticlePersonRow.person_id)
            .where(ArticlePersonRow.article_id == row.id)
            .order_by(ArticlePersonRow.position)
        ).all()
        stats = s.get(ArticleStatsRow, row.id)
        return Article(
            id=row.id,
            slug=row.slug,
            title=row.title,
            summary=row.summary,
            body_html=row.body_html,
            byline=row.byline,
            channel_id=row.channel_id,
            source_id=row.source_id,
            status=ArticleStatus(row.status),
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
            external_id=row.external_id,
            original=row.original,
            tags=tags,
            reporters=tuple(n for n, r in people if r == "reporter"),
            editors=tuple(n for n, r in people if r == "editor"),
            view_count=stats.views if stats else 0,
            share_count=stats.shares if stats else 0,
            revision=row.revision,
            story_id=row.story_id,
        )

    def _card_query(self):
        return select(
            ArticleRow.id,
            ArticleRow.slug,
            ArticleRow.title,
            ArticleRow.channel_id,
            ArticleRow.source_id,
            SourceRow.name,
            ArticleRow.published_at,
            ArticleRow.original,
            ArticleRow.summary,
            ArticleRow.story_id,
        ).join(SourceRow, SourceRow.id == ArticleRow.source_id)

    def list_cards(
        self,
        *,
        channel_ids: Sequence[int] | None = None,
        source_id: int | None = None,
        original: bool | None = None,
        one_per_story: bool = True,
        page: int = 1,
        per_page: int = 20,
    ) -> Page[ArticleCard]:
        """Published articles, newest first, one page of them plus the total.

        With ``one_per_story`` a story carried by several sources appears once, as its first article.
        """
        page = max(1, int(page))
        per_page = max(1, min(MAX_PER_PAGE, int(per_page)))
        conds = [ArticleRow.status == ArticleStatus.PUBLISHED.value]
        if channel_ids is not None:
            conds.append(ArticleRow.channel_id.in_(list(channel_ids)))
        if source_id is not None:
            conds.append(ArticleRow.source_id == source_id)
        if original is not None:
            conds.append(ArticleRow.original == original)
        if one_per_story:
            conds.append(or_(ArticleRow.story_id.is_(None), ArticleRow.story_id == ArticleRow.id))
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(ArticleRow).where(*conds)) or 0
            rows = s.execute(
                self._card_query()
                .where(*conds)
                .order_by(ArticleRow.published_at.desc(), ArticleRow.id.desc())
                .limit(per_page)
                .offset((page - 1) * per_page)
            ).all()
        return Page(items=[ArticleCard(*r) for r in rows], total=total, page=page, per_page=per_page)

    def cards_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleCard]:
        ids = list(ids)
        if not ids:
            return {}
        # Filter on status in Python: with it in SQL, SQLite prefers the (status, published_at) index and
        # scans every published article (20 ms at 100k) instead of looking the ids up (0.05 ms).
        with self.session() as s:
            rows = s.execute(
                self._card_query().add_columns(ArticleRow.status).where(ArticleRow.id.in_(ids))
            ).all()
        published = ArticleStatus.PUBLISHED.value
        return {r[0]: ArticleCard(*r[:-1]) for r in rows if r[-1] == published}

    def catalog_rows(self) -> list[tuple[int, int, int | None, datetime | None, int, str]]:
        """(id, channel, story, published, source, title) of every published article, oldest first."""
        with self.session() as s:
            return [
                tuple(r) for r in s.execute(
                    select(ArticleRow.id, ArticleRow.channel_id, ArticleRow.story_id, ArticleRow.published_at,
                           ArticleRow.source_id, ArticleRow.title)
                    .where(ArticleRow.status == ArticleStatus.PUBLISHED.value)
                    .order_by(ArticleRow.published_at, ArticleRow.id)
                )
            ]

    def changed_since(self, since: datetime) -> list[tuple]:
        """(id, status, channel, story, published, source, title, updated) of articles written since ``since``."""
        with self.session() as s:
            return [
                tuple(r) for r in s.execute(
                    select(ArticleRow.id, ArticleRow.status, ArticleRow.channel_id, ArticleRow.story_id,
                           ArticleRow.published_at, ArticleRow.source_id, ArticleRow.title, ArticleRow.updated_at)
                    .where(ArticleRow.updated_at >= since)
                    .order_by(ArticleRow.updated_at)
                )
            ]

    def catalog_rows_without_story(self) -> list[tuple[int]]:
        """Published articles not yet clustered (bulk loads, articles from before clustering), oldest first."""
        with self.session() as s:
            return [
                tuple(r) for r in s.execute(
                    select(ArticleRow.id)
                    .where(ArticleRow.status == ArticleStatus.PUBLISHED.value, ArticleRow.story_id.is_(None))
                    .order_by(ArticleRow.published_at, ArticleRow.id)
                )
            ]

    def index_docs_by_ids(self, ids: Sequence[int]) -> list[IndexDoc]:
        from newsportal.text import html_to_text

        out = []
        with self.session() as s:
            for start in range(0, len(ids), 500):
                chunk = list(ids[start:start + 500])
                rows = {r.id: r for r in s.scalars(select(ArticleRow).where(ArticleRow.id.in_(chunk)))}
                tags = _tags_of(s, chunk)
                for aid in chunk:
                    r = rows.get(aid)
                    if r is not None:
                        out.append(IndexDoc(r.id, r.title, html_to_text(r.body_html), tuple(tags.get(aid, ())),
                                            r.channel_id, r.source_id, r.published_at, r.story_id))
        return out

    def set_source_trust(self, key: str, trust: float) -> Source:
        with self.session() as s, s.begin():
            row = s.scalar(select(SourceRow).where(SourceRow.key == key))
            if row is None:
                raise NotFound(f"source {key!r} not found")
            row.trust = float(trust)
            return _source(row)

    def count_articles(self, status: ArticleStatus | None = None) -> int:
        with self.session() as s:
            q = select(func.count()).select_from(ArticleRow)
            if status is not None:
                q = q.where(ArticleRow.status == status.value)
            return s.scalar(q) or 0

    def iter_index_docs(self, batch: int = 2000) -> Iterator[IndexDoc]:
        """Every published article's text, streamed in id order for index building."""
        from newsportal.text import html_to_text

        last = 0
        while True:
            with self.session() as s:
                rows = s.execute(
                    select(
                        ArticleRow.id,
                        ArticleRow.title,
                        ArticleRow.body_html,
                        ArticleRow.channel_id,
                        ArticleRow.source_id,
                        ArticleRow.published_at,
                        ArticleRow.story_id,
                    )
                    .where(ArticleRow.status == ArticleStatus.PUBLISHED.value, ArticleRow.id > last)
                    .order_by(ArticleRow.id)
                    .limit(batch)
                ).all()
                if not rows:
                    return
                ids = [r[0] for r in rows]
                tags = _tags_of(s, ids)
            for aid, title, body, channel_id, source_id, published_at, story_id in rows:
                yield IndexDoc(
                    aid, title, html_to_text(body), tuple(tags.get(aid, ())), channel_id, source_id, published_at,
                    story_id,
                )
            last = ids[-1]

    def index_doc(self, article: Article) -> IndexDoc:
        from newsportal.text import html_to_text

        return IndexDoc(
            article.id,
            article.title,
            html_to_text(article.body_html),
            article.tags,
            article.channel_id,
            article.source_id,
            article.published_at,
            article.story_id,
        )

    def revisions(self, article_id: int) -> list[Revision]:
        with self.session() as s:
            rows = s.scalars(
                select(RevisionRow).where(RevisionRow.article_id == article_id).order_by(RevisionRow.number)
            )
            return [
                Revision(
                    r.id, r.article_id, r.number, r.title, r.summary, r.body_html, r.byline, r.actor, r.created_at
                )
                for r in rows
            ]

    # -- story clusters --------------------------------------------------------------------------------
    def set_story(self, article_id: int, story_id: int) -> None:
        with self.session() as s, s.begin():
            s.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(story_id=story_id))

    def story_cards(self, story_id: int) -> list[ArticleCard]:
        """Every published article of a story, oldest first (the first is the one lists show)."""
        with self.session() as s:
            rows = s.execute(
                self._card_query()
                .where(ArticleRow.story_id == story_id, ArticleRow.status == ArticleStatus.PUBLISHED.value)
                .order_by(ArticleRow.published_at, ArticleRow.id)
            ).all()
        return [ArticleCard(*r) for r in rows]

    def relead_story(self, story_id: int) -> int | None:
        """After the story's first article is withdrawn, the earliest published member leads it."""
        with self.session() as s, s.begin():
            members = s.execute(
                select(ArticleRow.id)
                .where(ArticleRow.story_id == story_id, ArticleRow.status == ArticleStatus.PUBLISHED.value)
                .order_by(ArticleRow.published_at, ArticleRow.id)
            ).scalars().all()
            if not members:
                return None
            lead = members[0]
            s.execute(update(ArticleRow).where(ArticleRow.story_id == story_id).values(story_id=lead))
            return lead

    def recent_index_docs(self, since: datetime) -> Iterator[IndexDoc]:
        from newsportal.text import html_to_text

        with self.session() as s:
            rows = s.execute(
                select(ArticleRow)
                .where(ArticleRow.status == ArticleStatus.PUBLISHED.value, ArticleRow.published_at >= since)
                .order_by(ArticleRow.published_at)
            ).scalars().all()
            for r in rows:
                yield IndexDoc(r.id, r.title, html_to_text(r.body_html), (), r.channel_id, r.source_id,
                               r.published_at, r.story_id)

    # -- editor pins -----------------------------------------------------------------------------------
    def pin(self, channel_id: int, article_id: int, *, actor: str, position: int = 0,
            expires_at: datetime | None = None) -> None:
        with self.session() as s, s.begin():
            if s.get(ArticleRow, article_id) is None:
                raise NotFound(f"article {article_id} not found")
            if s.get(ChannelRow, channel_id) is None:
                raise NotFound(f"channel {channel_id} not found")
            row = s.get(PinRow, (channel_id, article_id))
            if row is None:
                row = PinRow(channel_id=channel_id, article_id=article_id)
                s.add(row)
            row.position, row.pinned_by, row.pinned_at, row.expires_at = position, actor, utcnow(), expires_at

    def unpin(self, channel_id: int, article_id: int) -> bool:
        with self.session() as s, s.begin():
            res = s.execute(delete(PinRow).where(PinRow.channel_id == channel_id, PinRow.article_id == article_id))
            return bool(res.rowcount)

    def pins(self, now: datetime | None = None) -> dict[int, list[int]]:
        """Live pins: channel id -> article ids in pin order (published articles only)."""
        now = now or utcnow()
        with self.session() as s:
            rows = s.execute(
                select(PinRow.channel_id, PinRow.article_id)
                .join(ArticleRow, ArticleRow.id == PinRow.article_id)
                .where(ArticleRow.status == ArticleStatus.PUBLISHED.value,
                       or_(PinRow.expires_at.is_(None), PinRow.expires_at > now))
                .order_by(PinRow.channel_id, PinRow.position, PinRow.pinned_at.desc())
            ).all()
        out: dict[int, list[int]] = {}
        for channel_id, article_id in rows:
            out.setdefault(channel_id, []).append(article_id)
        return out

    # -- reader history (为你推荐) ------------------------------------------------------------------------
    def add_history(self, reads: Sequence[tuple[str, int, datetime]]) -> None:
        if not reads:
            return
        latest: dict[tuple[str, int], datetime] = {}
        for reader, article_id, at in reads:
            key = (reader, article_id)
            if key not in latest or at > latest[key]:
                latest[key] = at
        table = ReaderHistoryRow.__table__
        with self.session() as s, s.begin():
            for (reader, article_id), at in latest.items():
                stmt = self._insert(table).values(reader_id=reader, article_id=article_id, read_at=at)
                s.execute(stmt.on_conflict_do_update(index_elements=["reader_id", "article_id"],
                                                     set_={"read_at": at}))

    def history(self, reader: str, limit: int = 200) -> list[tuple[int, datetime]]:
        with self.session() as s:
            return [
                (a, t) for a, t in s.execute(
                    select(ReaderHistoryRow.article_id, ReaderHistoryRow.read_at)
                    .where(ReaderHistoryRow.reader_id == reader)
                    .order_by(ReaderHistoryRow.read_at.desc())
                    .limit(limit)
                )
            ]

    def clear_history(self, reader: str) -> int:
        with self.session() as s, s.begin():
            return s.execute(delete(ReaderHistoryRow).where(ReaderHistoryRow.reader_id == reader)).rowcount or 0

    def prune_history(self, before: datetime) -> int:
        with self.session() as s, s.begin():
            return s.execute(delete(ReaderHistoryRow).where(ReaderHistoryRow.read_at < before)).rowcount or 0

    # -- engagement ------------------------------------------------------------------------------------
    def add_events(self, events: Sequence[tuple[int, str, datetime]]) -> None:
        """Persist counted events and fold them into the per-article totals, in one transaction."""
        if not events:
            return
        deltas: dict[int, list[int]] = {}
        for article_id, kind, _ in events:
            d = deltas.setdefault(article_id, [0, 0])
            d[0 if kind == "view" else 1] += 1
        table = ArticleStatsRow.__table__
        stmt = self._insert(table)
        stmt = stmt.on_conflict_do_update(
            index_elements=["article_id"],
            set_={"views": table.c.views + stmt.excluded.views, "shares": table.c.shares + stmt.excluded.shares},
        )
        with self.session() as s, s.begin():
            s.execute(
                EventRow.__table__.insert(),
                [{"article_id": a, "kind": k, "at": t} for a, k, t in events],
            )
            s.execute(stmt, [{"article_id": a, "views": v, "shares": sh} for a, (v, sh) in deltas.items()])

    def prune_events(self, before: datetime) -> int:
        """Drop event rows too old to move a decayed score; the totals stay in ``article_stats``."""
        with self.session() as s, s.begin():
            return s.execute(delete(EventRow).where(EventRow.at < before)).rowcount or 0

    def events_since(self, since: datetime) -> list[tuple[int, str, datetime]]:
        with self.session() as s:
            return [
                tuple(r)
                for r in s.execute(
                    select(EventRow.article_id, EventRow.kind, EventRow.at)
                    .where(EventRow.at >= since)
                    .order_by(EventRow.at)
                )
            ]

    def stats(self, article_id: int) -> tuple[int, int]:
        with self.session() as s:
            row = s.get(ArticleStatsRow, article_id)
            return (row.views, row.shares) if row else (0, 0)

    # -- API tokens ----------------------------------------------------------------------------------
    def create_token(self, name: str) -> tuple[ApiToken, str]:
        """Create a token; the secret is returned once and only its hash is kept."""
        prefix = secrets.token_hex(4)
        secret = f"np_{prefix}_{secrets.token_urlsafe(32)}"
        now = utcnow()
        with self.session() as s, s.begin():
            row = ApiTokenRow(name=name, prefix=prefix, secret_hash=_hash_secret(secret), created_at=now)
            s.add(row)
            s.flush()
            return ApiToken(row.id, row.name, row.prefix, row.created_at), secret

    def verify_token(self, secret: str) -> ApiToken | None:
        parts = secret.split("_", 2)
        if len(parts) != 3 or parts[0] != "np":
            return None
        with self.session() as s, s.begin():
            row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.prefix == parts[1]))
            if row is None or row.revoked:
                return None
            if not secrets.compare_digest(row.secret_hash, _hash_secret(secret)):
                return None
            s.execute(update(ApiTokenRow).where(ApiTokenRow.id == row.id).values(last_used_at=utcnow()))
            return ApiToken(row.id, row.name, row.prefix, row.created_at)

    def revoke_token(self, prefix: str) -> bool:
        with self.session() as s, s.begin():
            res = s.execute(update(ApiTokenRow).where(ApiTokenRow.prefix == prefix).values(revoked=True))
            return bool(res.rowcount)

    def tokens(self) -> list[ApiToken]:
        with self.session() as s:
            return [
                ApiToken(r.id, r.name, r.prefix, r.created_at, r.revoked)
                for r in s.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
            ]


def _tags_of(s: Session, ids: Sequence[int]) -> dict[int, list[str]]:
    """Tags of many articles in one query, each article's in its own order."""
    tags: dict[int, list[str]] = {}
    for aid, tag in s.execute(
        select(ArticleTagRow.article_id, ArticleTagRow.tag)
        .where(ArticleTagRow.article_id.in_(list(ids)))
        .order_by(ArticleTagRow.article_id, ArticleTagRow.position)
    ):
        tags.setdefault(aid, []).append(tag)
    return tags


def _channel(row: ChannelRow) -> Channel:
    return Channel(
        id=row.id,
        slug=row.slug,
        name=row.name,
        kind=ChannelKind(row.kind),
        parent_id=row.parent_id,
        module_title=row.module_title,
        position=row.position,
    )


def _source(row: SourceRow) -> Source:
    return Source(
        id=row.id, key=row.key, name=row.name, kind=SourceKind(row.kind), trust=row.trust, about=row.about
    )


def bulk_create(
    store: Store,
    items: Sequence[tuple[ArticleDraft, int, int]],
    *,
    actor: str,
    now: datetime | None = None,
) -> int:
    """Insert many new, already-sanitized, published articles in one transaction (load tests, bulk imports).

    The per-article path (:meth:`Store.create_article`) does several round trips per article; this one does a
    fixed number per batch, which is what makes a 100,000-article synthetic corpus load in minutes.
    """
    if not items:
        return 0
    now = now or utcnow()
    with store.session() as s, s.begin():
        people: dict[tuple[str, str], int] = {}
        needed = {(n, "reporter") for d, _, _ in items for n in d.reporters}
        needed |= {(n, "editor") for d, _, _ in items for n in d.editors}
        for name, role in needed:
            s.execute(
                store._insert(PersonRow.__table__)
                .values(name=name, role=role)
                .on_conflict_do_nothing(index_elements=["name", "role"])
            )
        for pid, name, role in s.execute(select(PersonRow.id, PersonRow.name, PersonRow.role)):
            people[(name, role)] = pid
        rows = []
        for draft, channel_id, source_id in items:
            published_at = draft.published_at or now
            rows.append(
                ArticleRow(
                    slug=make_slug(published_at, draft.external_id),
                    external_id=draft.external_id,
                    title=draft.title,
                    summary=draft.summary,
                    body_html=draft.body_html,
                    byline=draft.byline,
                    channel_id=channel_id,
                    source_id=source_id,
                    original=draft.original,
                    status=ArticleStatus.PUBLISHED.value,
                    revision=1,
                    created_at=published_at,
                    updated_at=published_at,
                    published_at=published_at,
                )
            )
        s.add_all(rows)
        s.flush()
        tag_rows, person_rows, rev_rows, stat_rows = [], [], [], []
        for row, (draft, _, _) in zip(rows, items):
            tag_rows += [
                {"article_id": row.id, "tag": t, "position": i} for i, t in enumerate(dict.fromkeys(draft.tags))
            ]
            for role, names in (("reporter", draft.reporters), ("editor", draft.editors)):
                person_rows += [
                    {"article_id": row.id, "person_id": people[(n, role)], "role": role, "position": i}
                    for i, n in enumerate(dict.fromkeys(names))
                ]
            rev_rows.append(
                {
                    "article_id": row.id, "number": 1, "title": row.title, "summary": row.summary,
                    "body_html": row.body_html, "byline": row.byline, "tags": "\n".join(draft.tags),
                    "actor": actor, "created_at": row.created_at,
                }
            )
            stat_rows.append({"article_id": row.id, "views": 0, "shares": 0})
        for table, data in (
            (ArticleTagRow.__table__, tag_rows),
            (ArticlePersonRow.__table__, person_rows),
            (RevisionRow.__table__, rev_rows),
            (ArticleStatsRow.__table__, stat_rows),
        ):
            if data:
                s.execute(table.insert(), data)
    return len(rows)
