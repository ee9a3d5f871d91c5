"""The article list, the editor (new and edit, with the version check) and the live preview.

The editor posts the form as typed; on any refusal the same form is shown again with Chinese messages
beside the fields and every typed character kept. A save made from an older revision is refused and the
page shows both versions (the user's and the stored one) so nothing is silently overwritten.
"""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup
from starlette.responses import HTMLResponse, Response

from newsportal.domain import Article, ArticleStatus
from newsportal.newsroom import diff
from newsportal.newsroom.publish import ValidationError, prepare
from newsportal.newsroom.roles import Action, Role, can, require
from newsportal.newsroom.workflow import STATE_LABELS, State
from newsportal.store.workflow import WorkflowRecord
from newsportal.web import views
from newsportal.web.newsroom import desk
from newsportal.web.newsroom.common import HEADERS, Ctx, endpoint
from newsportal.web.newsroom.desk import ArticleForm, DeskError, StaleEdit
from newsportal.web.newsroom.uploads import recent_uploads
from newsportal.web.pages.common import render as reader_render
from newsportal.web.parts import PageParts, SharedFragments

PER_PAGE = 50


def form_of(ctx: Ctx) -> ArticleForm:
    f = ctx.form
    rev = f.get("revision", "0")
    return ArticleForm(
        title=f.get("title", ""),
        summary=f.get("summary", ""),
        body_html=f.get("body_html", ""),
        channel=f.get("channel", ""),
        source=f.get("source", ""),
        byline=f.get("byline", ""),
        tags=f.get("tags", ""),
        reporters=f.get("reporters", ""),
        original=f.get("original") == "1",
        revision=int(rev) if rev.isdigit() and len(rev) < 9 else 0,
    )


def may_open(ctx: Ctx, record: WorkflowRecord) -> None:
    """Reading an article in the newsroom needs the right to edit it (own or others')."""
    a = ctx.actor
    if desk.owns(a, record):
        require(a.role, Action.WRITE, owns=True, active=a.active)
    else:
        require(a.role, Action.EDIT_OTHERS, active=a.active)


def load(ctx: Ctx, article_id: int) -> tuple[Article, WorkflowRecord]:
    article = ctx.svc.portal.store.get_article(article_id)
    if article is None:
        raise LookupError(article_id)
    record = ctx.svc.workflow.ensure(article_id, now=ctx.svc.clock())
    may_open(ctx, record)
    return article, record


def editor(
    ctx: Ctx,
    form: ArticleForm,
    *,
    article: Article | None = None,
    status: int = 200,
    errors: dict[str, str] | None = None,
    conflict: Article | None = None,
    saved: bool = False,
) -> Response:
    portal = ctx.svc.portal
    if errors:
        # typed text comes back as it would be saved: without bidi/zero-width controls (see desk.visible)
        v = desk.visible
        form = replace(form, title=v(form.title), summary=v(form.summary), body_html=v(form.body_html),
                       byline=v(form.byline), tags=v(form.tags), reporters=v(form.reporters))
    conflict_form = None
    conflict_diff = Markup("")
    if conflict is not None:
        # the diff module escapes every piece of text, so the markup is safe to insert
        changes = diff.diff_bodies(conflict.body_html, desk.visible(form.body_html))
        conflict_diff = Markup(diff.render_html(changes, context=1))
        conflict_form = ArticleForm.from_article(
            portal.sources, conflict, desk.channel_slug(ctx.svc, conflict)
        )
    return ctx.render(
        "editor.html",
        status,
        form=form,
        article=article,
        errors=errors or {},
        conflict=conflict_form,
        conflict_diff=conflict_diff,
        channels=portal.channels.navigation(),
        sections=_sections(ctx),
        sources=_sources(ctx),
        uploads=recent_uploads(ctx.svc, 20),
        saved=saved,
        action=f"/newsroom/articles/{article.id}/edit" if article else "/newsroom/articles/new",
    )


def _sections(ctx: Ctx) -> list:
    tree = ctx.svc.portal.channels
    return [c for c in tree if tree.is_section(c)]


def _sources(ctx: Ctx) -> list:
    if ctx.actor.role is Role.SELF_MEDIA:
        own = ctx.svc.portal.sources.get(ctx.actor.source_id or -1)
        return [own] if own else []
    return sorted(ctx.svc.portal.sources_by_key.values(), key=lambda s: s.key)


def _list(ctx: Ctx) -> Response:
    a = ctx.actor
    if not (can(a.role, Action.WRITE, owns=True, active=a.active)):
        require(a.role, Action.EDIT_OTHERS, active=a.active)
    q = ctx.request.query_params
    state = q.get("state", "")
    state = state if state in {s.value for s in State} else ""
    channel = ctx.svc.portal.channels.section_by_slug(q.get("channel", "")[:40])
    mine = q.get("mine") == "1" or not can(a.role, Action.EDIT_OTHERS, active=a.active)
    ids = tuple(ctx.svc.portal.channels.subtree_ids(channel)) if channel else None
    rows = ctx.svc.stats.desk(
        state=state or None, channel_ids=ids, author_user_id=a.user_id if mine else None, limit=PER_PAGE
    )
    return ctx.render(
        "articles.html",
        rows=rows,
        state=state,
        channel=channel,
        mine=mine,
        labels=STATE_LABELS,
        states=list(State),
        channels=ctx.svc.portal.channels.navigation(),
        channel_of=ctx.svc.portal.channels.get,
    )


def _new_get(ctx: Ctx) -> Response:
    require(ctx.actor.role, Action.WRITE, owns=True, active=ctx.actor.active)
    byline = ctx.actor.name if ctx.actor.role is not Role.SELF_MEDIA else ""
    own = next((s.key for s in _sources(ctx) if s.kind.value == "portal"), "")
    return editor(ctx, ArticleForm(reporters=byline, source=own))


def _new_post(ctx: Ctx) -> Response:
    require(ctx.actor.role, Action.WRITE, owns=True, active=ctx.actor.active)
    form = form_of(ctx)
    try:
        article = desk.create(ctx.svc, ctx.actor, form)
    except DeskError as exc:
        return editor(ctx, form, status=400, errors=exc.errors)
    return ctx.redirect(f"/newsroom/articles/{article.id}/edit?saved=1")


def _edit_get(ctx: Ctx) -> Response:
    article, _ = load(ctx, ctx.path_int("article_id"))
    form = ArticleForm.from_article(ctx.svc.portal.sources, article, desk.channel_slug(ctx.svc, article))
    return editor(ctx, form, article=article, saved=ctx.request.query_params.get("saved") == "1")


def _edit_post(ctx: Ctx) -> Response:
    article, _ = load(ctx, ctx.path_int("article_id"))
    form = form_of(ctx)
    try:
        desk.save(ctx.svc, ctx.actor, article.id, form)
    except DeskError as exc:
        return editor(ctx, form, article=article, status=400, errors=exc.errors)
    except StaleEdit as exc:
        return editor(
            ctx,
            replace(form, revision=exc.current.revision),
            article=exc.current,
            status=409,
            errors={"revision": str(exc)},
            conflict=exc.current,
        )
    return ctx.redirect(f"/newsroom/articles/{article.id}/edit?saved=1")


def _preview(ctx: Ctx) -> Response:
    """Render the reader's own article template over the unsaved form (nothing is stored)."""
    a = ctx.actor
    if not can(a.role, Action.WRITE, owns=True, active=a.active):
        require(a.role, Action.EDIT_OTHERS, active=a.active)
    form = form_of(ctx)
    portal = ctx.svc.portal
    try:
        draft, channel_id, source_id = prepare(portal, desk.draft_of(ctx.svc, a, form))
    except (DeskError, ValidationError) as exc:
        errors = (
            exc.errors if isinstance(exc, DeskError) else {exc.field: desk.MESSAGES.get(exc.field, "无效")}
        )
        return ctx.render("error.html", 400, heading="无法预览", message="；".join(errors.values()))
    now = ctx.svc.clock()
    article = Article(
        id=0,
        slug="preview",
        title=draft.title,
        summary=draft.summary,
        body_html=draft.body_html,
        byline=draft.byline,
        channel_id=channel_id,
        source_id=source_id,
        status=ArticleStatus.DRAFT,
        created_at=now,
        updated_at=now,
        published_at=now,
        original=draft.original,
        tags=draft.tags,
        reporters=draft.reporters,
        editors=draft.editors or (a.name,),
    )
    view = views.article_view(portal, article)
    text = reader_render(
        ctx.request,
        "article.html",
        kind="article",
        canonical=None,
        current_top=portal.channels.top_of(view.channel),
        v=view,
    )
    body = PageParts.from_render(text).join(SharedFragments(hot=b"", modules=b""))
    return HTMLResponse(body, headers={**HEADERS, "x-robots-tag": "noindex"})


list_articles = endpoint(_list)
new_get = endpoint(_new_get)
new_post = endpoint(_new_post)
edit_get = endpoint(_edit_get)
edit_post = endpoint(_edit_post)
preview = endpoint(_preview)
