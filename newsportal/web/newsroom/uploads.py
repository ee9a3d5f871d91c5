"""Image uploads through the media pipeline, and serving the stored files.

Every upload is validated by content (not by name), re-encoded with Pillow (EXIF and GPS dropped) and
kept in several widths as WebP plus a JPEG/PNG fallback (:func:`newsportal.media.process.ingest_image`);
alt text is required. A refused file (a script renamed .jpg, a decompression bomb, a 20000×20000 image,
an oversized file) gets the pipeline's Chinese message and the form keeps the typed alt text.

The upload list is the audit log's ``media.upload`` entries: append-only, with who uploaded what and when,
and no extra table. The editor's image picker reads the newest of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from newsportal.media.pictures import StoredImage
from newsportal.media.process import ingest_image
from newsportal.media.storage import StorageFull, StorageKeyError, check_key
from newsportal.media.validate import ImageRejected
from newsportal.newsroom.roles import Action, can, require
from newsportal.store.audit import AuditFilter
from newsportal.web.newsroom import deps
from newsportal.web.newsroom.common import MAX_UPLOAD, Ctx, endpoint

log = logging.getLogger(__name__)

UPLOAD_ACTION = "media.upload"
TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


@dataclass(frozen=True)
class Upload:
    """An uploaded image as the editor inserts it: the fallback file with its size, and its alt text."""

    image_id: str
    src: str
    width: int
    height: int
    alt: str
    by: str


def _upload_of(detail: dict, by: str) -> Upload | None:
    try:
        image = StoredImage.from_dict(detail["image"])
        best = image.best()
    except (KeyError, TypeError, ValueError, LookupError):
        return None
    return Upload(image.id, best.url, best.width, best.height, image.alt, by)


def recent_uploads(svc: deps.NewsroomServices, limit: int = 20) -> list[Upload]:
    entries = svc.audit.log.query(AuditFilter(action=UPLOAD_ACTION), limit=limit)
    out = []
    for e in entries:
        up = _upload_of(dict(e.detail or {}), e.actor_name)
        if up is not None:
            out.append(up)
    return out


def _may_upload(ctx: Ctx) -> None:
    a = ctx.actor
    if not can(a.role, Action.WRITE, owns=True, active=a.active):
        require(a.role, Action.EDIT_OTHERS, active=a.active)


def _page(
    ctx: Ctx, *, status: int = 200, error: str = "", alt: str = "", added: Upload | None = None
) -> Response:
    return ctx.render(
        "uploads.html", status, uploads=recent_uploads(ctx.svc, 40), error=error, alt=alt, added=added
    )


def _get(ctx: Ctx) -> Response:
    _may_upload(ctx)
    return _page(ctx)


def _post(ctx: Ctx) -> Response:
    _may_upload(ctx)
    alt = ctx.form.get("alt", "")[:300]
    name, data = ctx.files.get("image", ("", b""))
    if not data:
        return _page(ctx, status=400, error="请选择要上传的图片文件", alt=alt)
    if len(data) > MAX_UPLOAD:
        return _page(ctx, status=413, error="图片文件过大，请上传 10 MB 以内的图片", alt=alt)
    try:
        image = ingest_image(data, alt=alt, storage=ctx.svc.media)
    except ImageRejected as exc:
        return _page(ctx, status=400, error=exc.message_zh, alt=alt)
    except StorageFull as exc:
        log.error("upload not stored: %s", exc.cause)
        return _page(ctx, status=507, error=exc.message_zh, alt=alt)
    ctx.svc.audit.record(
        UPLOAD_ACTION,
        actor=ctx.actor,
        target_kind="image",
        target_id=image.id,
        detail={"image": image.to_dict(), "filename": name[:120]},
    )
    return _page(ctx, added=_upload_of({"image": image.to_dict()}, ctx.actor.name))


async def serve_media(request: Request) -> Response:
    """A stored image file; keys are content hashes, so the response may be cached for a year."""
    key = str(request.path_params.get("key", ""))
    svc = deps.services(request)
    try:
        check_key(key)
        ext = key.rsplit(".", 1)[-1].lower()
        if ext not in TYPES or not svc.media.exists(key):
            raise LookupError(key)
        data = svc.media.open(key)
    except (StorageKeyError, LookupError, OSError):
        return Response("图片不存在", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(
        data,
        media_type=TYPES[ext],
        headers={"cache-control": "public, max-age=31536000, immutable", "x-content-type-options": "nosniff"},
    )


uploads_get = endpoint(_get)
uploads_post = endpoint(_post)
