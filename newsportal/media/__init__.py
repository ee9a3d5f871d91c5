"""Images for newsportal: upload validation, re-encoding into responsive variants, storage, and
illustrations drawn by code for demo articles.

Self-contained: imports nothing from the rest of newsportal, so any layer may use it.
"""

from newsportal.media.backends.filesystem import FilesystemStorage
from newsportal.media.drawn import DrawnImage, draw_article_image
from newsportal.media.pictures import (
    ImageVariant,
    PictureData,
    PictureSource,
    StoredImage,
    require_alt,
)
from newsportal.media.process import (
    DEFAULT_WIDTHS,
    ProcessedImage,
    ingest_image,
    process_image,
    store_processed,
    target_widths,
)
from newsportal.media.storage import ImageStorage, StorageKeyError
from newsportal.media.validate import ImageLimits, ImageRejected, ValidatedImage, validate_image

__all__ = [
    "DEFAULT_WIDTHS",
    "DrawnImage",
    "FilesystemStorage",
    "ImageLimits",
    "ImageRejected",
    "ImageStorage",
    "ImageVariant",
    "PictureData",
    "PictureSource",
    "ProcessedImage",
    "StorageKeyError",
    "StoredImage",
    "ValidatedImage",
    "draw_article_image",
    "ingest_image",
    "process_image",
    "require_alt",
    "store_processed",
    "target_widths",
    "validate_image",
]
