"""Admin pages: the audit log with filters (actor, action, target, dates) and user management (create,
disable/enable, set role, revoke sessions). The services do the permission checks and the auditing; a
refused change re-displays the page with the Chinese message and the form as typed."""

from __future__ import annotations

from starlette.responses import Response

from newsportal.newsroom.accounts import AccountError
from newsportal.newsroom.audit import ACTION_LABELS, AuditQueryError, parse_filter
from newsportal.newsroom.roles import ROLE_LABELS, Action, Role, UnknownRole, require
from newsportal.web.newsroom.common import Ctx, endpoint

FILTER_KEYS = ("actor", "action", "target", "from", "to", "ip")


def _audit(ctx: Ctx) -> Response:
    a = ctx.actor
    require(a.role, Action.READ_AUDIT, active=a.active)
    q = {k: ctx.request.query_params.get(k, "")[:100] for k in FILTER_KEYS}
    raw_page = ctx.request.query_params.get("page", "1")
    page_no = int(raw_page) if raw_page.isdigit() and len(raw_page) < 6 else 1
    error = ""
    result = None
    try:
        result = ctx.svc.audit.search(a, parse_filter(q), page=page_no)
    except AuditQueryError as exc:
        error = exc.message
    return ctx.render(
        "audit.html", 400 if error else 200, q=q, result=result, error=error, labels=ACTION_LABELS
    )


def _users_page(
    ctx: Ctx,
    *,
    status: int = 200,
    error: str = "",
    created: tuple[str, str] | None = None,
    values: dict[str, str] | None = None,
    done: str = "",
) -> Response:
    users = ctx.svc.accounts.list_users(ctx.actor)
    sessions = {u.id: len(ctx.svc.sessions.active_for(u.id)) for u in users}
    sources = sorted(ctx.svc.portal.sources_by_key.values(), key=lambda s: s.key)
    return ctx.render(
        "users.html",
        status,
        users=users,
        sessions=sessions,
        roles=list(Role),
        role_labels=ROLE_LABELS,
        error=error,
        created=created,
        values=values or {},
        sources=sources,
        done=done,
    )


def _users(ctx: Ctx) -> Response:
    require(ctx.actor.role, Action.MANAGE_USERS, active=ctx.actor.active)
    return _users_page(ctx, done=ctx.request.query_params.get("done", "")[:20])


def _create(ctx: Ctx) -> Response:
    require(ctx.actor.role, Action.MANAGE_USERS, active=ctx.actor.active)
    f = ctx.form
    values = {k: f.get(k, "") for k in ("username", "display_name", "role", "source")}
    source_id = None
    if values["source"]:
        source = ctx.svc.portal.sources_by_key.get(values["source"])
        if source is None:
            return _users_page(ctx, status=400, error="关联的来源不存在", values=values)
        source_id = source.id
    try:
        made = ctx.svc.accounts.create_user(
            ctx.actor,
            values["username"],
            values["role"],
            display_name=values["display_name"] or None,
            source_id=source_id,
            ip=ctx.actor.ip,
        )
    except (AccountError, UnknownRole) as exc:
        message = exc.message if isinstance(exc, AccountError) else str(exc)
        return _users_page(ctx, status=400, error=message, values=values)
    except ValueError:  # the username is taken (store-level refusal)
        return _users_page(ctx, status=400, error="该用户名已被使用", values=values)
    return _users_page(ctx, created=(made.user.username, made.password or ""))


def _manage(ctx: Ctx) -> Response:
    require(ctx.actor.role, Action.MANAGE_USERS, active=ctx.actor.active)
    op, username = ctx.form.get("op", ""), ctx.form.get("username", "")
    accounts, actor, ip = ctx.svc.accounts, ctx.actor, ctx.actor.ip
    try:
        if op == "disable":
            accounts.disable_user(actor, username, ip=ip)
        elif op == "enable":
            accounts.enable_user(actor, username, ip=ip)
        elif op == "role":
            accounts.set_role(actor, username, ctx.form.get("role", ""), ip=ip)
        elif op == "revoke":
            accounts.revoke_sessions(actor, username, ip=ip)
        else:
            return _users_page(ctx, status=400, error="未知的操作")
    except (AccountError, UnknownRole) as exc:
        message = exc.message if isinstance(exc, AccountError) else str(exc)
        return _users_page(ctx, status=400, error=message)
    return ctx.redirect(f"/newsroom/users?done={op}")


audit = endpoint(_audit)
users = endpoint(_users)
create_user = endpoint(_create)
manage_user = endpoint(_manage)
