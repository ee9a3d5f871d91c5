"""Who is acting: the logged-in user as the role checks and the audit log need them.

One small value object shared by the account, audit and scheduler services, so none of them imports the
others just to name the actor. ``active`` is false for a disabled user and for the owner of a suspended
self-media account: :func:`newsportal.newsroom.roles.require` then refuses everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsportal.newsroom.roles import Role


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    name: str
    role: Role
    active: bool = True
    source_id: int | None = None
    ip: str | None = None


SYSTEM_NAME = "系统"
"""The actor name written for the scheduler and other work nobody triggered by hand."""

CLI_NAME = "命令行"
"""The actor name for ``newsportal user …``: whoever has a shell on the server is trusted as an admin."""
