"""An article's newsroom page: where it stands, the workflow buttons the viewer may use, corrections,
pins, and its views and shares over time (accessible SVG plus the same numbers as a table).

Times are shown in Beijing time with the zone said; the schedule input is a ``datetime-local`` read as
Beijing time (:mod:`newsportal.newsroom.timefmt`).
"""

from __future__ import annotations

from datetime import timedelta

from starlette.responses import Response

from newsportal.domain import ArticleStatus
from newsportal.newsroom import charts
from newsportal.newsroom.actors import Actor
from newsportal.newsroom.roles import Action, can, require
from newsportal.newsroom.workflow import STATE_LABELS, Command, State, available_commands
from newsportal.web import views
from newsportal.web.newsroom import desk
from newsportal.web.newsroom.articles import load
from newsportal.web.newsroom.common import Ctx, endpoint
from newsportal.web.newsroom.desk import CommandInput, DeskError

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
"""Commands with a button here; scheduled updates of live articles are made through the API for now."""
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
        channels=ctx.svc.portal.channels.navigation(),
        may_pin=_may(a, Action.PIN),
    )


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
    channel = ctx.svc.portal.channels.by_slug(ctx.form.get("channel", "")[:40])
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


view = endpoint(_get)
action = endpoint(_action)
pin = endpoint(_pin)
