"""Reader-portal pages: tag listings (``/tag/<tag>``), the 违法和不良信息举报 form (``/report``)
and the footer's documents (关于我们, 联系我们, 用户协议, 无障碍浏览), each in both modes."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from newsportal.web import reader_views, views
from newsportal.web.context import PageKey, web_context
from newsportal.web.pages.common import (
    PRIVATE_HEADERS,
    is_care,
    not_found,
    page_number,
    render,
    serve,
)
from newsportal.web.pages.listing import listing_parts
from newsportal.web.parts import PageParts

#: the footer's documents: path → (template, title)
DOCS = {
    "about": ("doc_about.html", "关于我们"),
    "contact": ("doc_contact.html", "联系我们"),
    "terms": ("doc_terms.html", "用户协议"),
}


async def tag(request: Request) -> Response:
    ctx = web_context(request)
    portal = ctx.portal
    care = is_care(request)
    name: str = request.path_params["tag"]
    page = page_number(request)
    if page is None or not name or len(name) > reader_views.MAX_TAG or ctx.reader_content is None:
        return not_found(request)
    content = ctx.reader_content

    def build() -> PageParts:
        view = reader_views.tag_listing(portal, content, name, page, views.mode_prefix(care))
        return listing_parts(request, "tag", view)

    return await serve(request, PageKey(care, "tag", (name, page)), build)


def _doc(name: str):
    template, _title = DOCS[name]

    async def handler(request: Request) -> Response:
        portal = web_context(request).portal

        def build() -> PageParts:
            text = render(request, template, kind="doc", canonical=f"{portal.settings.site_url}/{name}")
            return PageParts.from_render(text)

        return await serve(request, PageKey(is_care(request), "doc", (name,)), build)

    handler.__name__ = f"doc_{name}"
    return handler


about, contact, terms = _doc("about"), _doc("contact"), _doc("terms")


async def accessibility(request: Request) -> Response:
    """无障碍说明, in both modes (it links to the care-mode home)."""
    portal = web_context(request).portal

    def build() -> PageParts:
        text = render(request, "accessibility.html", kind="doc",
                      canonical=f"{portal.settings.site_url}/accessibility",
                      care_switch_home=views.CARE_PREFIX + "/")
        return PageParts.from_render(text)

    return await serve(request, PageKey(is_care(request), "accessibility"), build)


def _report_page(request: Request, form: reader_views.ReportForm, status: int = 200,
                 done: bool = False) -> Response:
    text = render(request, "report.html", kind="report",
                  canonical=f"{web_context(request).portal.settings.site_url}/report",
                  form=form, categories=reader_views.REPORT_CATEGORIES, done=done,
                  max_description=reader_views.MAX_DESCRIPTION, max_contact=reader_views.MAX_CONTACT)
    return HTMLResponse(text, status_code=status, headers=PRIVATE_HEADERS)


async def report(request: Request) -> Response:
    """违法和不良信息举报: the form (GET, ``?article=<id>`` fills the article in)
    and its submission (POST)."""
    ctx = web_context(request)
    content = ctx.reader_content
    if content is None:
        return not_found(request)
    if request.method == "GET":
        done = request.query_params.get("done") == "1"
        article = request.query_params.get("article", "")[:12]
        return _report_page(request, reader_views.ReportForm(article=article), done=done)
    data = await request.form()
    form = reader_views.ReportForm(
        article=str(data.get("article", ""))[:40],
        category=str(data.get("category", ""))[:20],
        description=str(data.get("description", ""))[:reader_views.MAX_DESCRIPTION * 4],
        contact=str(data.get("contact", ""))[:reader_views.MAX_CONTACT * 4],
    )
    reader_views.check_report(form, content)
    if form.errors:
        return _report_page(request, form, status=400)
    await ctx.run(lambda: content.add_report(article_id=form.article_id, category=form.category,
                                             description=form.description, contact=form.contact))
    return RedirectResponse(f"{views.mode_prefix(is_care(request))}/report?done=1", status_code=303)
