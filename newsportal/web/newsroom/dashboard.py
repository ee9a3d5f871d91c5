"""The newsroom's front page: today's most read articles per channel, the review queue, what is scheduled,
and a red alert for scheduled publications whose time has passed without them firing."""

from __future__ import annotations

from datetime import datetime, timedelta

from starlette.responses import Response

from newsportal.domain import ArticleCard, Channel
from newsportal.newsroom.roles import Action, Role, can
from newsportal.newsroom.workflow import LATE_GRACE, STATE_LABELS, State
from newsportal.timeutil import to_beijing, to_utc_naive
from newsportal.web.newsroom.common import Ctx, endpoint


def beijing_midnight(now_utc: datetime) -> datetime:
    """Start of the current Beijing calendar day, as naive UTC (what "today" means to the newsroom)."""
    return to_utc_naive(to_beijing(now_utc).replace(hour=0, minute=0, second=0, microsecond=0))


def _get(ctx: Ctx) -> Response:
    a = ctx.actor
    svc = ctx.svc
    now = svc.clock()
    editorial = can(a.role, Action.EDIT_OTHERS, active=a.active)
    counts = svc.workflow.count_by_state()
    top: list[tuple[Channel, list[tuple[ArticleCard, int]]]] = []
    upcoming = overdue = []
    if editorial:
        by_channel = svc.stats.top_today(since=beijing_midnight(now))
        cards = svc.portal.cards
        for ch in svc.portal.channels.navigation():
            ids = [
                (aid, n) for cid in svc.portal.channels.subtree_ids(ch) for aid, n in by_channel.get(cid, [])
            ]
            ids.sort(key=lambda x: -x[1])
            found = {c.id: c for c in cards.by_ids(aid for aid, _ in ids[:5])}
            rows = [(found[aid], n) for aid, n in ids[:5] if aid in found]
            if rows:
                top.append((ch, rows))
        upcoming = svc.workflow.upcoming(limit=20)
        overdue = svc.workflow.overdue(now - LATE_GRACE, limit=20)
    mine = (
        svc.stats.desk(author_user_id=a.user_id, limit=10)
        if a.role in (Role.REPORTER, Role.SELF_MEDIA)
        else []
    )
    titles = {r.article_id: r.title for r in svc.stats.desk(limit=500)} if editorial else {}
    return ctx.render(
        "dashboard.html",
        top=top,
        queue=counts.get(State.SUBMITTED.value, 0),
        scheduled=counts.get(State.SCHEDULED.value, 0),
        upcoming=upcoming,
        overdue=overdue,
        editorial=editorial,
        mine=mine,
        labels=STATE_LABELS,
        State=State,
        titles=titles,
        now=now,
        timedelta=timedelta,
    )


dashboard = endpoint(_get)
