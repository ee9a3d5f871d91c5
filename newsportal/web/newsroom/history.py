"""Revision history: every save is a numbered revision with its author and time; any two can be compared
word by word (jieba tokens, :mod:`newsportal.newsroom.diff`), and any old one restored as a new revision.

The diff HTML is built by the diff module, which escapes every piece of text, so a revision containing
markup shows it as text and never runs it.
"""

from __future__ import annotations

from markupsafe import Markup
from starlette.responses import Response

from newsportal.newsroom import diff
from newsportal.web.newsroom import desk
from newsportal.web.newsroom.articles import load
from newsportal.web.newsroom.common import Ctx, endpoint
from newsportal.web.newsroom.desk import DeskError, StaleEdit


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() and len(raw) < 7 else default


def _get(ctx: Ctx) -> Response:
    article_id = ctx.path_int("article_id")
    article, _ = load(ctx, article_id)
    revisions = ctx.svc.portal.store.revisions(article_id)
    by_number = {r.number: r for r in revisions}
    latest = max(by_number) if by_number else 0
    q = ctx.request.query_params
    b = _number(q.get("b"), latest)
    a = _number(q.get("a"), max(1, b - 1))
    if (q.get("a") or q.get("b")) and (a not in by_number or b not in by_number):
        raise LookupError((a, b))
    old, new = by_number.get(a), by_number.get(b)
    fields_html = body_html = Markup("")
    if old is not None and new is not None:
        keys = ("title", "summary", "byline")
        changes = diff.diff_fields(
            {k: getattr(old, k) for k in keys}, {k: getattr(new, k) for k in keys}, keys
        )
        fields_html = Markup(diff.render_fields_html(changes))  # escaped by the diff module
        body_html = Markup(diff.render_html(diff.diff_bodies(old.body_html, new.body_html), context=2))
    return ctx.render(
        "history.html",
        article=article,
        revisions=sorted(revisions, key=lambda r: -r.number),
        a=a,
        b=b,
        fields_html=fields_html,
        body_html=body_html,
        error=ctx.form.get("error", ""),
    )


def _restore(ctx: Ctx) -> Response:
    article_id = ctx.path_int("article_id")
    load(ctx, article_id)
    number = _number(ctx.form.get("number"), 0)
    try:
        desk.restore(ctx.svc, ctx.actor, article_id, number)
    except (DeskError, StaleEdit) as exc:
        message = exc.message if isinstance(exc, DeskError) else str(exc)
        return ctx.render("error.html", 400, heading="无法恢复该版本", message=message)
    return ctx.redirect(f"/newsroom/articles/{article_id}/history")


history = endpoint(_get)
restore = endpoint(_restore)
