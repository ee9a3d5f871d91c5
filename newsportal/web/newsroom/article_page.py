"""An article's newsroom page: where it stands, the workflow buttons the viewer may use, corrections,
pins, and its views and shares over time (accessible SVG plus the same numbers as a table).

Times are shown in Beijing time with the zone said; the schedule input is a ``datetime-local`` read as
Beijing time (:mod:`newsportal.newsroom.timefmt`).

A published article can have its next text scheduled (定时更新): readers keep the live text until the time,
then the scheduler swaps it in place through the publish flow (no unpublished moment, no second
"published"); the form takes title, summary and body, and the time in Beijing time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from starlette.responses import Response

from newsportal.domain import Article, ArticleDraft, ArticleStatus
from newsportal.newsroom import charts
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.operations import EditConflict
from newsportal.newsroom.publish import ValidationError
from newsportal.newsroom.roles import Action, can, require
from newsportal.newsroom.timefmt import InvalidDateTime, parse_local
from newsportal.newsroom.workflow import STATE_LABELS, Command, State, WorkflowError, available_commands
from newsportal.web import views
from newsportal.web.newsroom import desk
from newsportal.web.newsroom.articles import load
from newsportal.web.newsroom.common import Ctx, endpoint
from newsportal.web.newsroom.desk import ArticleForm, CommandInput, DeskError

OFFERED = (
    Command.SUBMIT,
    Command.PUBLISH,
    Command.SCHEDULE,
    Command.RETURN,
    Command.UNSCHEDULE,
    Command.WITHDRAW,
    Command.CORRECT,
    Command.REOPEN,
)
"""Commands with a one-button form here. A scheduled update of a live article needs the new text too, so it
has its own form and routes (:func:`schedule_update`, :func:`cancel_update`)."""
RANGES = {
    "48h": (timedelta(hours=48), "hour", "最近 48 小时（每小时）"),
    "30d": (timedelta(days=30), "day", "最近 30 天（每天）"),
}


def analytics(ctx: Ctx, article_id: int, span: str) -> tuple[charts.Chart, str]:
    length, by, label = RANGES.get(span, RANGES["48h"])
    now = ctx.svc.clock().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    buckets = ctx.svc.stats.article_series(article_id, since=now - length, until=now, by=by)
    points = [charts.Point(b.at, b.views, b.shares) for b in buckets]
    return charts.render(points, chart_id=f"chart-{article_id}", title=f"阅读量与分享数：{label}"), label


def page(
    ctx: Ctx, article_id: int, *, status: int = 200, errors: dict[str, str] | None = None, done: str = ""
) -> Response:
    article, record = load(ctx, article_id)
    a = ctx.actor
    st = desk.status_of(record)
    mine = desk.owns(a, record)
    commands = [c for c in available_commands(st, role=a.role, owns=mine, active=a.active) if c in OFFERED]
    span = ctx.request.query_params.get("span", "48h")
    chart, span_label = analytics(ctx, article_id, span)
    channel = ctx.svc.portal.channels.get(article.channel_id)
    source = ctx.svc.portal.sources.get(article.source_id)
    reader_url = views.article_url("", article) if record.state == State.PUBLISHED.value else None
    return ctx.render(
        "article.html",
        status,
        article=article,
        record=record,
        state_label=STATE_LABELS[State(record.state)],
        commands=commands,
        Command=Command,
        errors=errors or {},
        form=ctx.form,
        done=done,
        corrections=ctx.svc.workflow.corrections(article_id),
        chart=chart,
        span=span,
        span_label=span_label,
        channel=channel,
        source=source,
        reader_url=reader_url,
        pins=ctx.svc.portal.store.pins(),
        channels=_pin_channels(ctx),
        may_pin=_may(a, Action.PIN),
        may_update=record.state == State.PUBLISHED.value and _may(a, Action.SCHEDULE),
        update=_update_fields(ctx, article, record.pending_revision),
    )


def _update_fields(ctx: Ctx, article: Article, pending: Mapping[str, Any] | None) -> dict[str, str]:
    """What the 定时更新 form shows: the user's input after a refusal, else the pending text, else the
    live text (the editor changes what readers see now)."""
    if ctx.form.get("update_at") is not None:  # shown back without bidi/zero-width controls, as saved
        return {k: desk.visible(ctx.form.get(k, "")) for k in ("title", "summary", "body_html", "update_at")}
    source = pending or {}
    return {
        "title": str(source.get("title", article.title)),
        "summary": str(source.get("summary", article.summary)),
        "body_html": str(source.get("body_html", article.body_html)),
        "update_at": "",
    }


def _pin_channels(ctx: Ctx) -> list:
    """Every channel an article can be pinned in (any section, not only the first-level ones: 国内 and
    体育 each have their own top-story module)."""
    tree = ctx.svc.portal.channels
    return [c for c in tree if tree.is_section(c)]


def _may(actor: Actor, action: Action) -> bool:
    return can(actor.role, action, active=actor.active)


def _get(ctx: Ctx) -> Response:
    return page(ctx, ctx.path_int("article_id"), done=ctx.request.query_params.get("done", "")[:20])


def _action(ctx: Ctx) -> Response:
    article_id = ctx.path_int("article_id")
    load(ctx, article_id)
    try:
        command = Command(ctx.form.get("command", ""))
    except ValueError:
        return page(ctx, article_id, status=400, errors={"command": "未知的操作"})
    given = CommandInput(
        command,
        reason=ctx.form.get("reason", ""),
        when=ctx.form.get("when", ""),
        embargo=ctx.form.get("embargo") == "1",
    )
    try:
        desk.run_command(ctx.svc, ctx.actor, article_id, given)
    except DeskError as exc:
        return page(ctx, article_id, status=400, errors=exc.errors)
    back = ctx.form.get("back", "")
    if back == "queue":
        return ctx.redirect("/newsroom/self-media/queue?done=1")
    return ctx.redirect(f"/newsroom/articles/{article_id}?done={command.value}")


def _pin(ctx: Ctx) -> Response:
    article_id = ctx.path_int("article_id")
    article, _ = load(ctx, article_id)
    require(ctx.actor.role, Action.PIN, active=ctx.actor.active)
    channel = ctx.svc.portal.channels.section_by_slug(ctx.form.get("channel", "")[:40])
    if channel is None:
        return page(ctx, article_id, status=400, errors={"pin": "请选择要置顶的频道"})
    if article.status is not ArticleStatus.PUBLISHED:
        return page(ctx, article_id, status=400, errors={"pin": "只有已发布的稿件可以置顶"})
    if ctx.form.get("op") == "unpin":
        ctx.svc.portal.unpin(channel.id, article_id)
    else:
        hours_raw = ctx.form.get("hours", "")
        hours = int(hours_raw) if hours_raw.isdigit() and 0 < int(hours_raw) <= 720 else None
        ctx.svc.portal.pin(channel.id, article_id, actor=ctx.actor.name, hours=hours)
    ctx.svc.audit.record(
        "article.pin",
        actor=ctx.actor,
        target_kind="article",
        target_id=article_id,
        detail={"channel": channel.slug, "op": ctx.form.get("op", "pin")},
    )
    return ctx.redirect(f"/newsroom/articles/{article_id}?done=pin")


def _when(raw: str) -> datetime:
    if not raw.strip():
        raise DeskError({"update_at": "请填写定时更新的时间（北京时间）"})
    try:
        return parse_local(raw)
    except InvalidDateTime as exc:
        raise DeskError({"update_at": exc.message}) from exc


def _schedule_update(ctx: Ctx) -> Response:
    """Keep the typed text as the live article's pending revision, to go live at a Beijing time."""
    article_id = ctx.path_int("article_id")
    article, _ = load(ctx, article_id)
    a = ctx.actor
    require(a.role, Action.SCHEDULE, active=a.active)
    f = ctx.form
    rev = f.get("revision", "")
    form = replace(
        ArticleForm.from_article(ctx.svc.portal.sources, article, desk.channel_slug(ctx.svc, article)),
        title=f.get("title", ""), summary=f.get("summary", ""), body_html=f.get("body_html", ""),
        revision=int(rev) if rev.isdigit() and len(rev) < 9 else 0,
    )
    errors: dict[str, str] = {}
    when: datetime | None = None
    draft: ArticleDraft | None = None
    try:
        when = _when(f.get("update_at", ""))
    except DeskError as exc:
        errors.update(exc.errors)
    try:  # checked even when the time is bad, so every problem is listed at once
        draft = desk.draft_of(ctx.svc, a, form, editors=article.editors)
    except DeskError as exc:
        errors.update(exc.errors)
    if when is None or draft is None:
        return page(ctx, article_id, status=400, errors=errors)
    try:
        ctx.svc.portal.newsroom.schedule_update(a, article_id, draft, when, expected_revision=form.revision,
                                                now=ctx.svc.clock())
    except ValidationError as exc:
        errors[exc.field] = desk.MESSAGES.get(exc.field, "输入无效")
    except EditConflict as exc:
        errors["revision"] = (f"稿件已被{exc.by or '他人'}修改（当前为第 {exc.current} 版），"
                              "您的定时更新没有保存；请对照当前版本后重新提交（您填写的内容仍在表单中）")
    except WorkflowError as exc:
        errors["update_at"] = exc.message
    if errors:
        return page(ctx, article_id, status=409 if "revision" in errors else 400, errors=errors)
    return ctx.redirect(f"/newsroom/articles/{article_id}?done=schedule_update")


def _cancel_update(ctx: Ctx) -> Response:
    article_id = ctx.path_int("article_id")
    load(ctx, article_id)
    require(ctx.actor.role, Action.SCHEDULE, active=ctx.actor.active)
    try:
        ctx.svc.portal.newsroom.cancel_update(ctx.actor, article_id, now=ctx.svc.clock())
    except WorkflowError as exc:
        return page(ctx, article_id, status=400, errors={"cancel_update": exc.message})
    return ctx.redirect(f"/newsroom/articles/{article_id}?done=cancel_update")


view = endpoint(_get)
schedule_update = endpoint(_schedule_update)
cancel_update = endpoint(_cancel_update)
action = endpoint(_action)
pin = endpoint(_pin)
