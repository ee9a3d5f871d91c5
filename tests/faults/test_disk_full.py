"""The image store's disk is full: a clear Chinese error, the editor's text kept, no file half-written.

A tmpfs of 16 MB is mounted as the media directory and nearly filled; an upload then runs
out of space part-way through writing its variants. Mounting needs root (as on CI); elsewhere the test skips
with the reason.
"""

from __future__ import annotations

import io
import subprocess
import uuid
from pathlib import Path

import pytest
from PIL import Image

from newsportal.media import FilesystemStorage, ingest_image
from newsportal.media.storage import StorageFull
from tests.conftest import make_portal, make_store
from tests.web.newsroom.harness import build

SIZE_KB = 16384  # whole variants of the test photo need a few megabytes


@pytest.fixture
def small_disk():
    mount = Path("/tmp") / f"np-full-{uuid.uuid4().hex[:8]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_KB}k", "tmpfs", str(mount)],
                          capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here (needs root): {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, timeout=60)
        mount.rmdir()


def photo(width: int = 1600, height: int = 1000, fmt: str = "PNG") -> bytes:
    """A noisy picture: it compresses badly, so its variants need real space."""
    img = Image.effect_noise((width, height), 90).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def fill(mount: Path, leave_kb: int) -> None:
    """Fill the disk until about ``leave_kb`` are free."""
    import shutil

    free = shutil.disk_usage(mount).free
    (mount / "filler.bin").write_bytes(b"\0" * max(0, free - leave_kb * 1024))


def files(mount: Path) -> set[str]:
    return {p.relative_to(mount).as_posix() for p in mount.rglob("*") if p.is_file()}


def test_an_upload_that_runs_out_of_space_leaves_nothing_behind(small_disk):
    fill(small_disk, 120)  # room for the first variants, not for all of them
    storage = FilesystemStorage(small_disk / "media")
    with pytest.raises(StorageFull) as caught:
        ingest_image(photo(), alt="江边步道的驿站", storage=storage)
    assert "存储空间不足" in caught.value.message_zh
    assert files(small_disk) == {"filler.bin"}  # no variant of the failed upload, no temporary file

    (small_disk / "filler.bin").unlink()  # space again: the same upload now goes through whole
    stored = ingest_image(photo(), alt="江边步道的驿站", storage=storage)
    assert all(storage.exists(v.key) for v in stored.variants)


def test_the_upload_page_says_so_and_keeps_the_alt_text(small_disk, tmp_path_factory):
    store, dispose = make_store("sqlite", tmp_path_factory)
    portal = make_portal(store)
    harness = build(portal, small_disk / "media")
    try:
        fill(small_disk, 60)
        c = harness.clients["reporter"]
        r = c.post("/newsroom/uploads", data={"csrf_token": harness.token(c), "alt": "江边步道的驿站"},
                   files={"image": ("river.jpg", photo(fmt="JPEG"), "image/jpeg")})
        assert r.status_code == 507 and "存储空间不足" in r.text and 'value="江边步道的驿站"' in r.text
        assert files(small_disk) == {"filler.bin"}
    finally:
        for client in harness.clients.values():
            client.close()
        portal.close()
        dispose()
