"""View models of the reader portal's newer pages: tag listings and the 违法和不良信息举报 form.

Kept beside :mod:`newsportal.web.views` (which holds the article, channel and shared modules) so each module
stays small. The report form's checks live here, as plain functions of the submitted fields, so they are
tested without a request: bad input gets a Chinese message naming the field, and the page keeps what the
reader typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from newsportal.domain import Page
from newsportal.portal import Portal
from newsportal.store.reader_content import ReaderContent
from newsportal.web.views import CHANNEL_PAGE_SIZE, MAX_ARTICLE_ID, ListingView

MAX_TAG = 40
#: what a reader may report, as the national reporting centre groups it
REPORT_CATEGORIES = {
    "rumor": "谣言、虚假信息",
    "porn": "色情低俗",
    "violence": "暴力恐怖",
    "fraud": "诈骗、违法广告",
    "privacy": "侵犯个人隐私或名誉",
    "minor": "危害未成年人",
    "other": "其他违法和不良信息",
}
MAX_DESCRIPTION = 1000
MAX_CONTACT = 100


def tag_listing(
    portal: Portal, content: ReaderContent, tag: str, page: int, prefix: str = ""
) -> ListingView | None:
    """Articles tagged ``tag``, newest first, one per story; None for an unknown tag or past the last page."""
    if not tag or len(tag) > MAX_TAG:
        return None
    ids, total = content.tagged(tag, page=page, per_page=CHANNEL_PAGE_SIZE)
    listing: Page = Page(items=[], total=total, page=page, per_page=CHANNEL_PAGE_SIZE)
    if total == 0 or page > listing.pages:
        return None
    cards = portal.store.cards_by_ids(ids)
    items = [cards[i] for i in ids if i in cards]
    return ListingView(
        heading=f"标签：{tag}",
        description=f"标签为“{tag}”的文章",
        canonical=f"{portal.settings.site_url}/tag/{quote(tag)}" + (f"?page={page}" if page > 1 else ""),
        listing=Page(items=items, total=total, page=page, per_page=CHANNEL_PAGE_SIZE),
        base_path=f"{prefix}/tag/{quote(tag)}",
        intro=f"共 {total} 篇，多家媒体对同一事件的报道合并为一条",
    )


@dataclass(slots=True)
class ReportForm:
    """The report form's fields as typed, and the messages to show beside them."""

    article: str = ""
    category: str = ""
    description: str = ""
    contact: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def article_id(self) -> int | None:
        return int(self.article) if self.article.strip().isdigit() else None


def check_report(form: ReportForm, content: ReaderContent) -> ReportForm:
    """Fill ``form.errors`` (field → Chinese message); an empty dict means the report can be stored."""
    form.article = form.article.strip()
    form.description = form.description.strip()
    form.contact = form.contact.strip()
    errors: dict[str, str] = {}
    if form.category not in REPORT_CATEGORIES:
        errors["category"] = "请选择举报类型。"
    if not form.description:
        errors["description"] = "请填写举报内容，说明哪里违法或不良。"
    elif len(form.description) > MAX_DESCRIPTION:
        errors["description"] = (f"举报内容太长（{len(form.description)} 字），"
                                 f"请控制在 {MAX_DESCRIPTION} 字以内。")
    if len(form.contact) > MAX_CONTACT:
        errors["contact"] = f"联系方式太长，请控制在 {MAX_CONTACT} 字以内。"
    if form.article:
        if not form.article.isdigit() or not 1 <= int(form.article) <= MAX_ARTICLE_ID:
            errors["article"] = "文章编号应为数字，可在文章页“举报”链接中自动带出；不清楚可以留空。"
        elif not content.article_exists(int(form.article)):
            errors["article"] = f"没有编号为 {form.article} 的文章，请核对；不清楚可以留空。"
    form.errors = errors
    return form
