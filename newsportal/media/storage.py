"""Where image files live: a narrow interface, so a production backend (object storage) can be added.

Keys are relative, slash-separated names made only of ``[A-Za-z0-9._-]`` segments (for example
``3f/3fa9c0…-640.webp``).  The processing pipeline chooses them from content hashes, so a key is written
once and never changes meaning; backends may therefore serve them with long cache lifetimes.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}")
MAX_KEY_LENGTH = 512


class StorageFull(OSError):
    """An image could not be written (no space left, quota, read-only disk); nothing of it was kept.

    ``message_zh`` is what the editor is shown; the operator finds the OS error in the log."""

    def __init__(self, cause: OSError) -> None:
        super().__init__(cause.errno, f"image storage could not write: {cause}")
        self.cause = cause
        self.message_zh = "服务器存储空间不足，图片未能保存。您填写的内容已保留，请稍后再试或联系管理员。"


class StorageKeyError(ValueError):
    """A key that could escape the storage area or is not a plain name; never reaches a reader."""

    def __init__(self, key: object) -> None:
        super().__init__(f"invalid storage key: {key!r}")
        self.key = key
        self.message_zh = "图片存储路径无效。"


def check_key(key: str) -> str:
    """Return ``key`` if it is a safe relative name, else raise StorageKeyError.

    Refused: absolute paths, ``..`` or ``.`` segments, empty segments, backslashes, NUL and any character
    outside the small allowed set (which also rules out drive letters and URL tricks).
    """
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise StorageKeyError(key)
    parts = key.split("/")
    for part in parts:
        if part in ("", ".", "..") or not _SEGMENT.fullmatch(part) or part.startswith(".."):
            raise StorageKeyError(key)
    return key


@runtime_checkable
class ImageStorage(Protocol):
    """Save, read and address image variant files by key."""

    def save(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` so that a reader sees either the old file or the whole new one."""
        ...

    def open(self, key: str) -> bytes:
        """Return the stored bytes; raise FileNotFoundError when the key is absent."""
        ...

    def exists(self, key: str) -> bool:
        """Say whether ``key`` is stored."""
        ...

    def delete(self, key: str) -> None:
        """Remove ``key``; a missing key is not an error (deletes are retried by callers)."""
        ...

    def url_for(self, key: str) -> str:
        """The URL path (or absolute URL) a page uses to fetch ``key``."""
        ...
