"""Comment moderation in the newsroom (``/newsroom/moderation``): see :mod:`.pages` and :mod:`.settings`."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from newsportal.web.moderation import pages, settings

__all__ = ["moderation_routes"]


def moderation_routes() -> list[BaseRoute]:
    b = pages.BASE
    post = ["POST"]
    return [
        Route(b, pages.queue, name="moderation_queue"),
        Route(b + "/c/{comment_id:int}/approve", pages.approve, methods=post),
        Route(b + "/c/{comment_id:int}/reject", pages.reject, methods=post),
        Route(b + "/c/{comment_id:int}/appeal", pages.decide_appeal, methods=post),
        Route(b + "/reports", pages.reports, name="moderation_reports"),
        Route(b + "/reports/{report_id:int}", pages.decide_report, methods=post),
        Route(b + "/bans", pages.bans, name="moderation_bans"),
        Route(b + "/bans", pages.add_ban, methods=post),
        Route(b + "/bans/{ban_id:int}/lift", pages.lift_ban, methods=post),
        Route(b + "/settings", settings.settings_page, name="moderation_settings"),
        Route(b + "/settings/thread", settings.save_thread, methods=post),
        Route(b + "/settings/channel", settings.save_channel, methods=post),
        Route(b + "/settings/words", settings.add_word, methods=post),
        Route(b + "/settings/words/remove", settings.remove_word, methods=post),
        Route(b + "/readers", settings.readers_page, name="moderation_readers"),
        Route(b + "/readers/{reader_id:int}", settings.decide_reader, methods=post),
    ]
