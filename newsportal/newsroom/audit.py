"""The audit service: record what happened, and let chief editors and admins search it.

Recording never asks for permission (a failed login must be logged precisely because nobody is logged
in); reading needs :attr:`~newsportal.newsroom.roles.Action.READ_AUDIT`. Filters from the admin page's query
string are parsed here with Chinese messages, dates read as Beijing days, so the web layer stays thin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newsportal.newsroom.actors import SYSTEM_NAME, Actor
from newsportal.newsroom.roles import Action, require
from newsportal.store.audit import AuditEntry, AuditFilter, AuditLog
from newsportal.timeutil import BEIJING, to_utc_naive, utcnow

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200

ACTION_LABELS: Mapping[str, str] = {
    "login.success": "登录成功",
    "login.failure": "登录失败",
    "logout": "退出登录",
    "user.create": "创建用户",
    "user.disable": "停用用户",
    "user.enable": "启用用户",
    "user.role_change": "更改角色",
    "user.password_reset": "重置密码",
    "user.update": "修改用户资料",
    "session.revoke": "注销会话",
    "source.trust_change": "更改来源可信度",
    "source.suspend": "暂停自媒体账号",
    "source.unsuspend": "恢复自媒体账号",
    "source.update": "修改自媒体账号主页",
    "article.submit": "提交审核",
    "article.return": "退回",
    "article.publish": "发布",
    "article.publish_scheduled": "定时发布",
    "article.schedule": "设置定时发布",
    "article.reschedule": "修改定时发布",
    "article.unschedule": "取消定时发布",
    "article.withdraw": "撤稿",
    "article.correct": "更正",
    "article.reopen": "恢复为草稿",
    "article.save": "保存稿件",
    "article.update_live": "修改已发布稿件",
    "article.schedule_update": "设置定时更新",
    "article.cancel_update": "取消定时更新",
    "article.update_scheduled": "定时更新生效",
    "article.schedule_late": "定时任务延迟执行",
    "article.schedule_failed": "定时任务失败",
}
"""Chinese names of the actions the newsroom writes, for the audit page's table and filter menu."""


class AuditQueryError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class AuditPage:
    entries: tuple[AuditEntry, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _day_start(text: str, field: str) -> datetime:
    try:
        day = datetime.strptime(text.strip(), "%Y-%m-%d")
    except ValueError as exc:
        raise AuditQueryError(field, f"日期格式应为 2026-12-02（北京时间），收到：{text[:20]!r}") from exc
    return to_utc_naive(day.replace(tzinfo=BEIJING))


def parse_filter(params: Mapping[str, str]) -> AuditFilter:
    """An :class:`AuditFilter` from query parameters ``actor action target from to ip``.

    ``action`` ending in ``.`` or naming a family (``login``) selects every action of it; ``target`` is
    ``kind:id`` or just ``kind``; ``from``/``to`` are Beijing calendar days, both inclusive.
    """

    def get(key: str) -> str:
        return (params.get(key) or "").strip()[:100]

    actor, action, target, ip = get("actor"), get("action"), get("target"), get("ip")
    since = _day_start(get("from"), "from") if get("from") else None
    until = _day_start(get("to"), "to") + timedelta(days=1) if get("to") else None
    if since and until and since >= until:
        raise AuditQueryError("to", "结束日期不能早于开始日期")
    action_exact = action_prefix = None
    if action:
        if action in ACTION_LABELS:
            action_exact = action
        else:
            action_prefix = action if action.endswith(".") else action + "."
    kind = target_id = None
    if target:
        kind, _, rest = target.partition(":")
        target_id = rest or None
    return AuditFilter(
        actor_user_id=int(actor) if actor.isdigit() else None,
        actor_name=actor if actor and not actor.isdigit() else None,
        action=action_exact,
        action_prefix=action_prefix,
        target_kind=kind or None,
        target_id=target_id,
        ip=ip or None,
        since=since,
        until=until,
    )


class AuditService:
    def __init__(self, log: AuditLog, *, clock: Callable[[], datetime] = utcnow):
        self.log = log
        self.clock = clock

    def record(
        self,
        action: str,
        *,
        actor: Actor | None = None,
        actor_name: str | None = None,
        ip: str | None = None,
        target_kind: str | None = None,
        target_id: str | int | None = None,
        detail: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Append one entry. Without ``actor``, ``actor_name`` (else 系统) names who acted."""
        return self.log.append(
            action,
            at=to_utc_naive(at) if at else self.clock(),
            actor_user_id=actor.user_id if actor else None,
            actor_name=actor.name if actor else (actor_name or SYSTEM_NAME),
            ip=ip if ip is not None else (actor.ip if actor else None),
            target_kind=target_kind,
            target_id=target_id,
            detail=detail,
        )

    def search(
        self,
        viewer: Actor,
        where: AuditFilter | None = None,
        *,
        page: int = 1,
        per_page: int = DEFAULT_PER_PAGE,
    ) -> AuditPage:
        """One page of matching entries, newest first; :class:`~newsportal.newsroom.roles.Forbidden` if the
        viewer may not read the log."""
        require(viewer.role, Action.READ_AUDIT, active=viewer.active)
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        page = max(1, page)
        total = self.log.count(where)
        entries = self.log.query(where, limit=per_page, offset=(page - 1) * per_page)
        return AuditPage(tuple(entries), total, page, per_page)
