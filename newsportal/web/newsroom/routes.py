"""Every route of the newsroom UI, in one table (walked by the role-matrix test)."""

from __future__ import annotations

from starlette.routing import Route

from newsportal.web.newsroom import (
    admin,
    article_page,
    articles,
    auth,
    dashboard,
    history,
    selfmedia,
    uploads,
)

PREFIX = "/newsroom"
ROUTES: tuple[tuple[str, str, object], ...] = (
    ("GET", "/login", auth.login_get),
    ("POST", "/login", auth.login_post),
    ("POST", "/logout", auth.logout),
    ("GET", "", dashboard.dashboard),
    ("GET", "/articles", articles.list_articles),
    ("GET", "/articles/new", articles.new_get),
    ("POST", "/articles/new", articles.new_post),
    ("POST", "/preview", articles.preview),
    ("GET", "/articles/{article_id}", article_page.view),
    ("POST", "/articles/{article_id}/action", article_page.action),
    ("POST", "/articles/{article_id}/pin", article_page.pin),
    ("POST", "/articles/{article_id}/schedule-update", article_page.schedule_update),
    ("POST", "/articles/{article_id}/cancel-update", article_page.cancel_update),
    ("GET", "/articles/{article_id}/edit", articles.edit_get),
    ("POST", "/articles/{article_id}/edit", articles.edit_post),
    ("GET", "/articles/{article_id}/history", history.history),
    ("POST", "/articles/{article_id}/restore", history.restore),
    ("GET", "/uploads", uploads.uploads_get),
    ("POST", "/uploads", uploads.uploads_post),
    ("GET", "/media/{key:path}", uploads.serve_media),
    ("GET", "/account", selfmedia.account_get),
    ("POST", "/account", selfmedia.account_post),
    ("POST", "/account/suspend", selfmedia.suspend),
    ("GET", "/self-media/queue", selfmedia.queue),
    ("GET", "/audit", admin.audit),
    ("GET", "/users", admin.users),
    ("POST", "/users", admin.create_user),
    ("POST", "/users/manage", admin.manage_user),
)
"""(method, path under /newsroom, endpoint): the whole UI, also walked by the role-matrix test."""


def newsroom_routes() -> list[Route]:
    """Flat routes (not a Mount), so ``/newsroom`` itself matches without a trailing-slash redirect."""
    return [Route(PREFIX + path, handler, methods=[method]) for method, path, handler in ROUTES]  # type: ignore[arg-type]
