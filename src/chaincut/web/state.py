"""What the server and the analysis runner share: the opened store, the brand registry,
the spool directory, and the chains rebuilt from the store when it changes.

Chains are rebuilt with :func:`chaincut.link.chains.build_chains` exactly as
``chaincut chains`` does, but only when an ingest, case import, edit or deletion was
logged since the last build (the custody log is the store's change journal), and once
per such change for all server processes: the result is kept in the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import socket
import threading
import time
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from chaincut.knowledge.brands import BrandRegistry, load_registry
from chaincut.link.chains import build_chains
from chaincut.link.chainset import Chain, ChainSet
from chaincut.store import Store
from chaincut.store.engine import WRITE
from chaincut.store.schema import CustodyRow
from chaincut.store.schema_web import WebChainSet
from chaincut.store.util import utcnow
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
    """The store's chain set for its current generation, built once and kept in the store.

    A generation is the id of the last custody entry that changed the store. Its chain set
    is persisted (``web_chain_sets``, compressed JSON), so every web worker process, the
    runners and the next start load it instead of linking again; a process that finds
    another one's build under way waits for it rather than linking the same store twice.
    A change makes a new generation: the old row stays readable (``peek``) until the new
    one is saved, then it is deleted.
    """

    def __init__(self, background: bool = True) -> None:
        self.background = background  # False: only :meth:`get` builds (on demand)
        self._lock = threading.Lock()
        self._peek_lock = threading.Lock()
        self._version: int | None = None
        self._linked: Linked | None = None
        self._building = False
        self._checked = 0.0
        self._built = threading.Event()
        self._looked = False  # a persisted set was looked for (first peek)

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

    @property
    def instant(self) -> bool:
        """``peek`` returns at once: a set is in memory, or there is none to load or wait
        for (the store was looked at, no build is running)."""
        return self._linked is not None or (self._looked and not self._building)

    def peek(self, store: Store | None = None, wait: float = 0.0) -> Linked | None:
        """The chains of the last build, however old; None before the first. Never links:
        for answers that must stay fast on a large store (search, the public check). The
        first call loads the newest persisted set, if any (``store`` given). Before any
        set exists, waits up to ``wait`` seconds for a background build to end (a small
        store is linked in that time)."""
        if self._linked is None and store is not None and not self._looked:
            with self._peek_lock:  # not the build lock: a build may hold that for minutes
                if self._linked is None and not self._looked:
                    found = _load(store, None)
                    if found is not None:
                        self._version, self._linked = found
                self._looked = True
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
        """The chains of the store's current generation: from memory, from the store, or
        linked here (and persisted) when no other process is linking them."""
        with self._lock:
            current = self.version(store)
            if self._linked is None or current != self._version:
                found = _load(store, current)
                linked = found[1] if found is not None else _build_shared(store, current)
                self._linked, self._version, self._looked = linked, current, True
            return self._linked


STALE_BUILD = dt.timedelta(minutes=30)  # a claim this old was left by a process that died
WAIT_FOR_OTHER = 900.0  # seconds to wait for another process's build before linking too
POLL = 0.5


def _builder() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}"


def _load(store: Store, generation: int | None) -> tuple[int, Linked] | None:
    """The persisted set of ``generation`` (None: the newest one), if saved."""
    query = select(WebChainSet.generation, WebChainSet.data).where(WebChainSet.data.is_not(None))
    query = (query.where(WebChainSet.generation == generation) if generation is not None
             else query.order_by(WebChainSet.generation.desc()).limit(1))  # fmt: skip
    with Session(store.engine) as session:
        row = session.execute(query).first()
    if row is None or row[1] is None:
        return None
    try:
        cs = ChainSet.model_validate_json(zlib.decompress(row[1]))
    except (zlib.error, ValueError):  # a row from an older chain model: link again
        return None
    return int(row[0]), Linked.of(cs)


def _claim(store: Store, generation: int) -> str:
    """Take the build of ``generation``: ``mine`` (taken: new, or left by a dead process),
    ``saved`` (someone saved it) or ``busy`` (another live process is linking it)."""
    now = utcnow()
    with Session(store.engine.execution_options(**WRITE)) as session, session.begin():
        row = session.get(WebChainSet, generation)
        if row is None:
            session.add(WebChainSet(generation=generation, builder=_builder(), started_at=now,
                                    built_at=None, data=None))  # fmt: skip
            return "mine"
        if row.data is not None:
            return "saved"
        if now - row.started_at > STALE_BUILD:
            row.builder, row.started_at = _builder(), now
            return "mine"
        return "busy"


def _save(store: Store, generation: int, cs: ChainSet) -> None:
    data = zlib.compress(cs.model_dump_json().encode(), 6)
    with Session(store.engine.execution_options(**WRITE)) as session, session.begin():
        session.execute(
            update(WebChainSet)
            .where(WebChainSet.generation == generation)
            .values(data=data, built_at=utcnow(), builder=_builder())
        )
        session.execute(delete(WebChainSet).where(WebChainSet.generation < generation))


def _link(store: Store) -> ChainSet:
    artifacts = list(store.iter_artifacts())
    if not artifacts:
        return ChainSet(chains=[], suppliers=[], artifacts=[], cases=[])
    return build_chains(artifacts, list(store.iter_cases()))


def _build_shared(store: Store, generation: int) -> Linked:
    """Link ``generation`` once across processes: claim it, or wait for its claimant. A
    saved set this version cannot read (an older chain model) is linked again here."""
    deadline = time.monotonic() + WAIT_FOR_OTHER
    while (claim := _claim(store, generation)) != "mine":
        found = _load(store, generation)
        if found is not None:
            return found[1]
        if claim == "saved" or time.monotonic() > deadline:
            break  # unreadable, or the claimant is slow or stuck: link here (same result)
        time.sleep(POLL)
    cs = _link(store)
    _save(store, generation, cs)
    return Linked.of(cs)


class DocumentCache:
    """Immutable response documents (finished jobs) by key with their ETag, the most
    recently used ``size`` of them."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._docs: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._docs.get(key)
            if found is not None:
                self._docs.move_to_end(key)
            return found

    def put(self, key: str, body: bytes) -> tuple[bytes, str]:
        entry = (body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        with self._lock:
            self._docs[key] = entry
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        return entry


@dataclass
class WebState:
    config: WebConfig
    store: Store
    brands: BrandRegistry
    spool: Path
    chains: ChainCache = field(default_factory=ChainCache)
    finished_jobs: DocumentCache = field(default_factory=DocumentCache)

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
