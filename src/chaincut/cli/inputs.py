"""Turn the PATH arguments into jobs, in input order, and say what was left out.

A file named on the command line is always read. Inside a directory, a file is read
when its content looks like an artifact or its name says it is one; everything else
is counted and reported, never skipped silently.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from chaincut.extractors.budget import Job


def _is_url(arg: str) -> bool:
    """``looks_like_url``, loading the URL package (and its tables) only for an argument
    that has a scheme separator at all: a run on files never imports it."""
    if "://" not in arg:
        return False
    from chaincut.extractors.url import looks_like_url

    return looks_like_url(arg)


ARTIFACT_SUFFIXES = {".apk", ".apks", ".xapk", ".dex", ".jar", ".odex", ".ipa", ".mobileconfig"}
ARTIFACT_SUFFIXES |= {".plist", ".mobileprovision", ".html", ".htm", ".xhtml"}
ARTIFACT_SUFFIXES |= {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"}  # QR screenshots
ARTIFACT_MAGIC = (b"PK\x03\x04", b"dex\n", b"PK\x05\x06", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


class InputError(Exception):
    """A usage mistake about the inputs; the CLI prints it as one line."""


@dataclass(slots=True)
class Inputs:
    jobs: list[Job] = field(default_factory=list)
    skipped: list[str] = field(
        default_factory=list
    )  # files in walked folders that are not artifacts
    missing: list[str] = field(default_factory=list)


def looks_like_artifact(path: Path) -> bool:
    """Cheap check for files met while walking a directory."""
    if path.suffix.lower() in ARTIFACT_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4)
    except OSError:
        return True  # let extraction report the read error instead of hiding the file
    return head.startswith(ARTIFACT_MAGIC)


def collect(paths: list[str]) -> Inputs:
    """Expand files and directories (walked recursively, sorted) into jobs."""
    result = Inputs()
    for raw in paths:
        path = Path(raw)
        if _is_url(raw) and not path.exists():  # a URL input (sha256 of its text)
            result.jobs.append(Job(display=raw, fspath="", url=raw))
        elif path.is_dir():
            _walk(path, result)
        elif path.exists():
            result.jobs.append(Job(display=raw, fspath=str(path)))
        else:
            result.missing.append(raw)
    return result


def _walk(root: Path, result: Inputs) -> None:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not path.is_file():  # a FIFO, device or socket is never opened: said, not read
                result.skipped.append(str(path))
            elif looks_like_artifact(path):
                result.jobs.append(Job(display=str(path), fspath=str(path)))
            else:
                result.skipped.append(str(path))
