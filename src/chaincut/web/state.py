"""What the server and the analysis runner share: the opened store, the brand registry,
the spool directory, and the chains rebuilt from the store when it changes.

Chains are rebuilt with :func:`chaincut.link.chains.build_chains` exactly as
``chaincut chains`` does, but only when an ingest, case import, edit or deletion was
logged since the last build (the custody log is the store's change journal).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from chaincut.knowledge.brands import BrandRegistry, load_registry
from chaincut.link.chains import build_chains
from chaincut.link.chainset import Chain, ChainSet
from chaincut.store import Store
from chaincut.store.schema import CustodyRow
from chaincut.web.config import WebConfig

CHANGES = ("ingest", "case-import", "edit", "delete")


@dataclass(frozen=True)
class Linked:
    """A chain set with its lookups by artifact and by chain id."""

    chainset: ChainSet
    chain_of: dict[str, str]  # artifact sha256 -> chain id
    by_id: dict[str, Chain]

    @classmethod
    def of(cls, cs: ChainSet) -> Linked:
        chain_of = {sha: c.id for c in cs.chains for sha in c.artifacts}
        return cls(cs, chain_of, {c.id: c for c in cs.chains})


class ChainCache:
    """The store's chain set, rebuilt lazily after a change."""

    def __init__(self, background: bool = True) -> None:
        self.background = background  # False: only :meth:`get` builds (on demand)
        self._lock = threading.Lock()
        self._version: int | None = None
        self._linked: Linked | None = None
        self._building = False
        self._checked = 0.0
        self._built = threading.Event()

    @staticmethod
    def version(store: Store) -> int:
        """The id of the last change logged (newest first: stops at the first one found)."""
        with Session(store.engine) as session:
            last = session.scalar(
                select(CustodyRow.id)
                .where(CustodyRow.action.in_(CHANGES))
                .order_by(CustodyRow.id.desc())
                .limit(1)
            )
        return int(last or 0)

    def peek(self, wait: float = 0.0) -> Linked | None:
        """The chains of the last build, however old; None before the first. Never builds:
        for answers that must stay fast on a large store (search, the public check). Before
        the first build, waits up to ``wait`` seconds for a background build to end (a
        small store is linked in that time)."""
        if self._linked is None and self._building and wait > 0:
            self._built.wait(wait)
        return self._linked

    def refresh_in_background(self, store: Store, every: float = 5.0) -> None:
        """Rebuild in a thread if the store changed (at most one build, one check per
        ``every`` seconds), so that :meth:`peek` catches up without anyone waiting."""
        now = time.monotonic()
        if not self.background or self._building or now - self._checked < every:
            return
        self._checked = now
        self._building = True

        def build() -> None:
            try:
                self.get(store)
            finally:
                self._building = False
                self._built.set()

        threading.Thread(target=build, name="chaincut-chains", daemon=True).start()

    def get(self, store: Store) -> Linked:
        with self._lock:
            current = self.version(store)
            if self._linked is None or current != self._version:
                artifacts = list(store.iter_artifacts())
                cs = (
                    build_chains(artifacts, list(store.iter_cases()))
                    if artifacts
                    else ChainSet(chains=[], suppliers=[], artifacts=[], cases=[])
                )
                self._linked = Linked.of(cs)
                self._version = current
            return self._linked


@dataclass
class WebState:
    config: WebConfig
    store: Store
    brands: BrandRegistry
    spool: Path
    chains: ChainCache = field(default_factory=ChainCache)

    @classmethod
    def open(cls, config: WebConfig) -> WebState:
        store = Store.open(config.db, config.blobs, actor="web")
        spool = config.spool or store.blobs.root.parent / "web-spool"
        spool.mkdir(parents=True, exist_ok=True)
        spool.chmod(0o700)
        chains = ChainCache(background=config.background_linking)
        return cls(config, store, load_registry(list(config.brands)), spool, chains)

    def as_actor(self, actor: str) -> Store:
        """The same store (engine, blobs) writing custody entries under ``actor``."""
        return Store(self.store.location, self.store.engine, actor)

    def close(self) -> None:
        self.store.close()
