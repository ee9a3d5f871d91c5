"""Reader accounts and 跟贴 on the site: thread pages, the section fragment, form posts, account pages.

:func:`install` adds everything to an app in one call: these routes at ``/`` and under ``/care``, the
comments API router, the API's refusal handlers, the moderation pages, and the ``comment_count`` template
global the article page's placeholder uses (so the page shows the count with JavaScript off).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import BaseRoute, Mount, Route, Router

from newsportal.web.context import WebContext
from newsportal.web.pages import CareMode
from newsportal.web.readers import accounts, pages
from newsportal.web.views import CARE_PREFIX

__all__ = ["ROUTES", "install"]

ROUTES: list[BaseRoute] = [
    Route("/comments/{article_id:int}", pages.thread, name="comments_thread"),
    Route("/comments/{article_id:int}/section", pages.section, name="comments_section"),
    Route("/comments/{article_id:int}/post", pages.post_comment, methods=["POST"], name="comments_post"),
    Route("/comments/c/{comment_id:int}/like", pages.like, methods=["POST"], name="comments_like"),
    Route("/comments/c/{comment_id:int}/report", pages.report, methods=["POST"], name="comments_report"),
    Route("/readers/signup", accounts.signup_page, name="readers_signup"),
    Route("/readers/signup", accounts.signup, methods=["POST"]),
    Route("/readers/login", accounts.login_page, name="readers_login"),
    Route("/readers/login", accounts.login, methods=["POST"]),
    Route("/readers/logout", accounts.logout, methods=["POST"], name="readers_logout"),
    Route("/readers/account", accounts.account, name="readers_account"),
    Route("/readers/account/delete", accounts.delete_account, methods=["POST"]),
    Route("/readers/comments/{comment_id:int}/appeal", accounts.appeal, methods=["POST"]),
    Route("/readers/comments/{comment_id:int}/delete", accounts.delete_comment, methods=["POST"]),
]


def install(app: FastAPI, context: WebContext) -> None:
    """Mount 跟贴 on ``app``: its routes go first so the ``/care`` mount does not swallow them."""
    from newsportal.web.api import PREFIX
    from newsportal.web.api import comments as comments_api
    from newsportal.web.moderation import moderation_routes

    care = Mount(CARE_PREFIX + "/comments", app=CareMode(Router([
        Route("/{article_id:int}", pages.thread),
        Route("/{article_id:int}/section", pages.section),
        Route("/{article_id:int}/post", pages.post_comment, methods=["POST"]),
    ])))
    care_readers = Mount(CARE_PREFIX + "/readers", app=CareMode(Router([
        Route(r.path.removeprefix("/readers"), r.endpoint, methods=r.methods)  # type: ignore[attr-defined]
        for r in ROUTES if r.path.startswith("/readers")  # type: ignore[attr-defined]
    ])))
    app.router.routes[0:0] = [*ROUTES, care, care_readers, *moderation_routes()]
    app.include_router(comments_api.router, prefix=PREFIX)
    for exc, handler in comments_api.EXCEPTION_HANDLERS.items():
        app.add_exception_handler(exc, handler)
    context.templates.globals["comment_count"] = _counter(context)


def _counter(context: WebContext):  # type: ignore[no-untyped-def]
    def comment_count(article_id: int) -> int:
        return context.portal.comments.stores.comments.count_visible(article_id)

    return comment_count
