import os

import pytest

from newsportal.media.backends.filesystem import FilesystemStorage
from newsportal.media.storage import ImageStorage, StorageKeyError, check_key


def test_filesystem_backend_satisfies_the_interface(tmp_path):
    assert isinstance(FilesystemStorage(tmp_path), ImageStorage)


def test_save_open_exists_delete_url(tmp_path):
    storage = FilesystemStorage(tmp_path / "data", url_prefix="/media")
    key = "ab/ab12-640.webp"
    assert not storage.exists(key)
    storage.save(key, b"first")
    assert storage.exists(key) and storage.open(key) == b"first"
    assert (tmp_path / "data" / "ab" / "ab12-640.webp").read_bytes() == b"first"
    storage.save(key, b"second version")
    assert storage.open(key) == b"second version"
    assert storage.url_for(key) == "/media/ab/ab12-640.webp"
    storage.delete(key)
    assert not storage.exists(key)
    storage.delete(key)  # deleting twice is fine
    with pytest.raises(FileNotFoundError):
        storage.open(key)


def test_no_temporary_files_are_left_behind(tmp_path):
    storage = FilesystemStorage(tmp_path)
    for n in range(3):
        storage.save("cd/x.jpg", bytes([n]) * 100)
    assert sorted(p.name for p in (tmp_path / "cd").iterdir()) == ["x.jpg"]
    assert oct((tmp_path / "cd" / "x.jpg").stat().st_mode & 0o777) == oct(0o644)


def test_failed_write_keeps_the_old_file_whole(tmp_path, monkeypatch):
    storage = FilesystemStorage(tmp_path)
    storage.save("ef/y.jpg", b"old complete file")

    def disk_failure(fd):
        raise OSError("simulated I/O error during fsync")

    monkeypatch.setattr(os, "fsync", disk_failure)
    with pytest.raises(OSError, match="simulated"):
        storage.save("ef/y.jpg", b"new file that never lands")
    monkeypatch.undo()
    assert storage.open("ef/y.jpg") == b"old complete file"
    assert [p.name for p in (tmp_path / "ef").iterdir()] == ["y.jpg"]


@pytest.mark.parametrize(
    "key",
    [
        "../outside.jpg",
        "ab/../../outside.jpg",
        "/etc/passwd",
        "ab//x.jpg",
        "ab/./x.jpg",
        ".hidden",
        "ab/..",
        "a\\..\\b.jpg",
        "x\x00y.jpg",
        "C:/x.jpg",
        "",
        "ab/",
        "%2e%2e/x.jpg",
        "a b.jpg",
        "ab/.tmp-123",
    ],
)
def test_path_traversal_and_odd_keys_are_refused(tmp_path, key):
    storage = FilesystemStorage(tmp_path / "root")
    for action in (
        lambda: storage.save(key, b"x"),
        lambda: storage.open(key),
        lambda: storage.exists(key),
        lambda: storage.delete(key),
        lambda: storage.url_for(key),
    ):
        with pytest.raises(StorageKeyError):
            action()
    assert not (tmp_path / "outside.jpg").exists()


def test_symlink_out_of_the_root_is_refused(tmp_path):
    root = tmp_path / "root"
    elsewhere = tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    (root / "ln").symlink_to(elsewhere, target_is_directory=True)
    storage = FilesystemStorage(root)
    with pytest.raises(StorageKeyError):
        storage.save("ln/x.jpg", b"x")
    assert not any(elsewhere.iterdir())


def test_check_key_accepts_pipeline_names():
    assert check_key("3f/3fa9c0d1e2-1440.webp") == "3f/3fa9c0d1e2-1440.webp"
    with pytest.raises(StorageKeyError):
        check_key(123)  # type: ignore[arg-type]
