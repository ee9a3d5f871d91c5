"""The newsroom: the one publish flow every way in (editors, partner feeds, the API, imports) goes through."""

from newsportal.newsroom.publish import (
    ValidationError,
    publish,
    save_article,
    withdraw,
)

__all__ = ["ValidationError", "publish", "save_article", "withdraw"]
