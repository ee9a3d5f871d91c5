"""Image storage in a local directory, written atomically.

Each save goes to a temporary file in the destination directory, is flushed and fsynced, then renamed
over the final name with ``os.replace``; the directory is fsynced too so the rename survives a power cut.
A reader (or a web server serving the directory) therefore never sees a half-written image.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from newsportal.media.storage import StorageKeyError, check_key


class FilesystemStorage:
    """An ImageStorage under ``root``, addressed at ``url_prefix`` (the web layer mounts the same dir)."""

    def __init__(self, root: str | os.PathLike[str], url_prefix: str = "/media/") -> None:
        self.root = Path(root).resolve()
        self.url_prefix = url_prefix if url_prefix.endswith("/") else url_prefix + "/"

    def path_for(self, key: str) -> Path:
        """The file path of ``key``; refuses anything that would resolve outside the root."""
        check_key(key)
        path = (self.root / key).resolve()
        # Defence in depth against a symlink planted inside the root that points elsewhere.
        if not path.is_relative_to(self.root) or path == self.root:
            raise StorageKeyError(key)
        return path

    def save(self, key: str, data: bytes) -> None:
        path = self.path_for(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(data))
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp_name, 0o644)
            os.replace(tmp_name, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(path.parent)

    def open(self, key: str) -> bytes:
        return self.path_for(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self.path_for(key).is_file()

    def delete(self, key: str) -> None:
        path = self.path_for(key)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            _fsync_dir(path.parent)

    def url_for(self, key: str) -> str:
        return self.url_prefix + check_key(key)


def _fsync_dir(directory: Path) -> None:
    """Persist a rename; some filesystems refuse fsync on a directory, which is then best effort."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
