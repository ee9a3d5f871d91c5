"""Self-media: the owner's account page fields, the moderation queue (待审核) and suspension.

The owner edits 名称, 简介, 运营主体, 内容类别 and 联系方式 of their own account; editors see every
submitted self-media article in one queue and approve (publish) or return it with a reason through the
same workflow commands as any article; the chief editor suspends or restores an account, which ends the
owner's sessions and refuses everything they try until restored.
"""

from __future__ import annotations

from starlette.responses import Response

from newsportal.newsroom.accounts import AccountError
from newsportal.newsroom.roles import Action, Role, can, require
from newsportal.newsroom.self_media import FIELDS, FieldErrors
from newsportal.newsroom.workflow import State
from newsportal.web.newsroom.common import Ctx, endpoint
from newsportal.web.newsroom.desk import visible


def _account_page(
    ctx: Ctx,
    source_id: int,
    *,
    status: int = 200,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    page = ctx.svc.self_media.page(source_id)
    source = ctx.svc.portal.sources.get(source_id)
    if source is None:
        raise LookupError(source_id)
    if values is None:
        values = {k: getattr(page, k) for k in FIELDS} if page else {"name": source.name}
    return ctx.render(
        "account.html",
        status,
        page=page,
        source=source,
        values=values,
        fields=FIELDS,
        errors=errors or {},
        saved=saved,
        may_suspend=can(ctx.actor.role, Action.MANAGE_SOURCES, active=ctx.actor.active),
    )


def _source_for(ctx: Ctx) -> int:
    """The owner's own source, or (chief editor) the one named in the query or form."""
    a = ctx.actor
    if a.role is Role.SELF_MEDIA:
        require(a.role, Action.MANAGE_OWN_ACCOUNT, owns=a.source_id is not None, active=a.active)
        assert a.source_id is not None
        return a.source_id
    require(a.role, Action.MANAGE_SOURCES, active=a.active)
    raw = ctx.form.get("source_id") or ctx.request.query_params.get("source_id", "")
    if not raw.isdigit() or len(raw) > 9:
        raise LookupError(raw)
    return int(raw)


def _get(ctx: Ctx) -> Response:
    return _account_page(ctx, _source_for(ctx), saved=ctx.request.query_params.get("saved") == "1")


def _post(ctx: Ctx) -> Response:
    source_id = _source_for(ctx)
    values = {k: ctx.form.get(k, "") for k in FIELDS}
    try:
        ctx.svc.self_media.update(ctx.actor, source_id, values)
    except (FieldErrors, AccountError) as exc:
        errors = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
        # Re-display without the invisible characters the message complains about: the user cannot see
        # them to delete them, and they must not reorder the form's text. Everything visible is kept.
        shown = {k: visible(v) for k, v in values.items()}
        return _account_page(ctx, source_id, status=400, values=shown, errors=errors)
    suffix = f"&source_id={source_id}" if ctx.actor.role is not Role.SELF_MEDIA else ""
    return ctx.redirect(f"/newsroom/account?saved=1{suffix}")


def _suspend(ctx: Ctx) -> Response:
    source_id = _source_for(ctx)
    suspend = ctx.form.get("op") != "restore"
    try:
        ctx.svc.self_media.set_suspended(ctx.actor, source_id, suspend, reason=ctx.form.get("reason", ""))
    except AccountError as exc:
        return _account_page(ctx, source_id, status=400, errors={"reason": exc.message})
    return ctx.redirect(f"/newsroom/account?source_id={source_id}&saved=1")


def _queue(ctx: Ctx) -> Response:
    a = ctx.actor
    require(a.role, Action.APPROVE, active=a.active)
    accounts = ctx.svc.accounts_store.self_media_accounts()
    ids = tuple(p.source_id for p in accounts)
    rows = ctx.svc.stats.desk(state=State.SUBMITTED.value, source_ids=ids, limit=100) if ids else []
    return ctx.render(
        "queue.html",
        rows=rows,
        accounts={p.source_id: p for p in accounts},
        done=ctx.request.query_params.get("done") == "1",
    )


account_get = endpoint(_get)
account_post = endpoint(_post)
suspend = endpoint(_suspend)
queue = endpoint(_queue)
