"""Errors the comment services raise, and the HTTP status each kind of refusal maps to.

Every refusal a reader or moderator can meet carries a stable ``code`` and a Chinese ``message_zh``:
the pure rules' :class:`~.text.CommentRejected`, :class:`~.moderation.ModerationError` and
:class:`~.ranking.ReplyRejected`, the store's ``RowMissing`` and ``Duplicate``, and the services' own
:class:`ServiceError` subclasses below. :func:`http_status` lets the web layer answer any of them with the
right 4xx without a table of its own.
"""

from __future__ import annotations

from newsportal.comments.moderation import ModerationError
from newsportal.comments.ranking import ReplyRejected
from newsportal.comments.text import CommentRejected
from newsportal.store.comments_common import Duplicate, RowMissing

__all__ = [
    "ServiceError",
    "NotSignedIn",
    "NotVerified",
    "Forbidden",
    "RateLimited",
    "BadInput",
    "http_status",
    "message_zh",
    "CommentsRefusal",
]


class ServiceError(ValueError):
    status = 400

    def __init__(self, code: str, message_zh: str) -> None:
        super().__init__(f"{code}: {message_zh}")
        self.code = code
        self.message_zh = message_zh


class NotSignedIn(ServiceError):
    status = 401


class NotVerified(ServiceError):
    status = 403


class Forbidden(ServiceError):
    status = 403


class RateLimited(ServiceError):
    status = 429

    def __init__(self, code: str, message_zh: str, retry_after: int) -> None:
        super().__init__(code, message_zh)
        self.retry_after = retry_after


class BadInput(ServiceError):
    status = 400


CommentsRefusal = (ServiceError, CommentRejected, ModerationError, ReplyRejected, RowMissing, Duplicate)

_CONFLICT_CODES = {
    "not_pending",
    "cannot_reject",
    "already_deleted",
    "appeal_used",
    "report_decided",
    "no_pending_appeal",
    "not_removed",
    "ban_not_active",
}
_FORBIDDEN_CODES = {"not_author", "same_moderator", "banned", "thread_closed", "own_comment"}


def http_status(exc: BaseException) -> int:
    """400 bad input, 401/403 who you are, 404 missing, 409 wrong state or duplicate, 429 too fast."""
    if isinstance(exc, ServiceError):
        return exc.status
    if isinstance(exc, RowMissing):
        return 404
    if isinstance(exc, Duplicate):
        return 409
    code = getattr(exc, "code", "")
    if code in _FORBIDDEN_CODES:
        return 403
    if code in _CONFLICT_CODES or code == "duplicate_report":
        return 409
    return 400


def message_zh(exc: BaseException) -> str:
    return getattr(exc, "message_zh", "请求无法处理。")
