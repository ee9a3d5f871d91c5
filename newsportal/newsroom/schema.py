"""The wire shape of an article submitted from outside (API, JSON-lines import), validated strictly."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, model_validator

from newsportal.domain import ArticleDraft
from newsportal.domain import limits as L
from newsportal.text import paragraphs_to_html
from newsportal.timeutil import to_utc_naive


class ArticleIn(BaseModel):
    """An article as a partner system or editor submits it. Types are strict: no silent coercion."""

    model_config = ConfigDict(extra="forbid")
    title: StrictStr = Field(min_length=1, max_length=L.MAX_TITLE)
    body_html: StrictStr = Field(min_length=1, max_length=L.MAX_BODY_CHARS)
    channel: StrictStr = Field(min_length=1, max_length=L.MAX_CHANNEL_SLUG)
    source: StrictStr = Field(min_length=1, max_length=L.MAX_SOURCE_KEY)
    summary: StrictStr = Field(default="", max_length=L.MAX_SUMMARY)
    byline: StrictStr = Field(default="", max_length=L.MAX_BYLINE)
    tags: list[StrictStr] = Field(default_factory=list, max_length=L.MAX_TAGS)
    reporters: list[StrictStr] = Field(default_factory=list, max_length=L.MAX_PEOPLE)
    editors: list[StrictStr] = Field(default_factory=list, max_length=L.MAX_PEOPLE)
    original: StrictBool = False
    external_id: StrictStr | None = Field(default=None, min_length=1, max_length=L.MAX_EXTERNAL_ID)
    published_at: datetime | None = None
    publish: StrictBool = False
    #: Plain-text paragraphs, an alternative to ``body_html`` for feeds that carry no markup.
    paragraphs: list[StrictStr] | None = Field(default=None, max_length=L.MAX_PARAGRAPHS)

    @model_validator(mode="before")
    @classmethod
    def _body_from_paragraphs(cls, data):
        if isinstance(data, dict) and "body_html" not in data and isinstance(data.get("paragraphs"), list):
            data = dict(data)
            data["body_html"] = paragraphs_to_html([p for p in data["paragraphs"] if isinstance(p, str)])
        return data

    def draft(self) -> ArticleDraft:
        return ArticleDraft(
            title=self.title,
            body_html=self.body_html,
            channel_slug=self.channel,
            source_key=self.source,
            summary=self.summary,
            byline=self.byline,
            tags=tuple(self.tags),
            reporters=tuple(self.reporters),
            editors=tuple(self.editors),
            original=self.original,
            external_id=self.external_id,
            published_at=to_utc_naive(self.published_at) if self.published_at else None,
        )
