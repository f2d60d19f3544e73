"""What one server runs with: the store, the knowledge to judge with and its limits."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Settings of ``chaincut serve`` (every limit has a command-line option)."""

    db: str | None = None  # store URL; None: CHAINCUT_DB or the default SQLite file
    blobs: Path | None = None
    brands: tuple[Path, ...] = ()
    rules: tuple[Path, ...] = ()
    max_upload: int = 64 * MB  # largest uploaded file (a request may add 1 MB of form)
    public_per_minute: int = 20  # public check submissions per client address
    login_per_minute: int = 10  # sign-in attempts per client address
    api_per_minute: int = 6000  # any other request per client address
    session_hours: float = 12.0
    timeout: float = 120.0  # seconds per file, as ``chaincut scan --timeout``
    memory_mb: int = 3072  # address-space cap per analysis worker
    fetch_allow_private: bool = False  # only for labs: lets pasted links reach private hosts
    fetch_timeout: float = 10.0
    secure_cookies: bool = False  # set behind HTTPS
    background_linking: bool = True  # False: chains are built only when a page needs them
    spool: Path | None = None  # where uploads wait (inert); default: beside the blobs

    @property
    def max_request(self) -> int:
        return self.max_upload + MB

    def to_json(self) -> str:
        """The settings as JSON (handed to web worker processes)."""
        return json.dumps({k: [str(p) for p in v] if isinstance(v, tuple) else
                           str(v) if isinstance(v, Path) else v
                           for k, v in asdict(self).items()})  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> WebConfig:
        raw = json.loads(text)
        paths = {"blobs", "spool"}
        out: dict[str, object] = {}
        for f in fields(cls):
            value = raw.get(f.name)
            if f.name in ("brands", "rules"):
                value = tuple(Path(p) for p in value or ())
            elif f.name in paths and value is not None:
                value = Path(value)
            if f.name in raw:
                out[f.name] = value
        return cls(**out)  # type: ignore[arg-type]
