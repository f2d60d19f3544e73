"""Where the store lives, and how blobs are written (atomic, read-only, swept)."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path

import pytest

from chaincut.store import location
from chaincut.store.blobs import TEMP_PREFIX, BlobStore
from chaincut.store.location import StoreConfigError, resolve_location


def test_default_is_sqlite_in_user_data_dir(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.delenv("CHAINCUT_DB", raising=False)
    monkeypatch.delenv("CHAINCUT_BLOBS", raising=False)
    monkeypatch.setattr(location.platformdirs, "user_data_dir", lambda _app: str(tmp_path / "d"))
    loc = resolve_location(None)
    assert loc.is_sqlite and loc.url.database == str(tmp_path / "d" / "chaincut.sqlite")
    assert loc.blobs == tmp_path / "d" / "chaincut.sqlite.blobs"


def test_env_overrides_default_and_flag_overrides_env(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("CHAINCUT_DB", f"sqlite:///{tmp_path / 'env.sqlite'}")
    assert resolve_location(None).url.database == str(tmp_path / "env.sqlite")
    flag = resolve_location(f"sqlite:///{tmp_path / 'flag.sqlite'}", tmp_path / "b")
    assert flag.url.database == str(tmp_path / "flag.sqlite") and flag.blobs == tmp_path / "b"


def test_postgresql_needs_a_blobs_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CHAINCUT_BLOBS", raising=False)
    with pytest.raises(StoreConfigError, match="--blobs"):
        resolve_location("postgresql://u@127.0.0.1/db")
    monkeypatch.setenv("CHAINCUT_BLOBS", str(tmp_path))
    loc = resolve_location("postgresql://u:secret@127.0.0.1/db")
    assert loc.blobs == tmp_path and "secret" not in loc.display
    assert loc.url.drivername.startswith("postgresql+")


@pytest.mark.parametrize("url", ["mysql://x/y", "not a url", "sqlite://", "sqlite:///:memory:"])
def test_bad_urls_are_one_clear_error(url: str) -> None:
    with pytest.raises(StoreConfigError):
        resolve_location(url)


def test_blob_write_is_atomic_read_only_and_checked(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    data = b"evidence"
    sha = hashlib.sha256(data).hexdigest()
    rel = blobs.put(sha, data)
    assert rel == f"{sha[:2]}/{sha[2:4]}/{sha}"
    assert stat.S_IMODE((tmp_path / rel).stat().st_mode) == 0o444
    assert blobs.put(sha, data) == rel  # idempotent
    assert blobs.verify(sha) and blobs.temp_files() == []
    with pytest.raises(ValueError, match="do not hash"):
        blobs.put("0" * 64, data)
    with pytest.raises(ValueError, match="not a sha256"):
        blobs.path("../../etc/passwd")


def test_sweep_removes_only_stale_temp_files(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path)
    folder = tmp_path / "ab" / "cd"
    folder.mkdir(parents=True)
    stale, fresh = folder / f"{TEMP_PREFIX}old", folder / f"{TEMP_PREFIX}new"
    stale.write_bytes(b"half")
    fresh.write_bytes(b"half")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    assert blobs.sweep() == 1
    assert not stale.exists() and fresh.exists()
    assert list(blobs.files()) == []  # temp files never count as blobs
