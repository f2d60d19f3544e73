"""The knowledge base: builders, packers, SDKs and common infrastructure, loaded once.

``load_knowledge()`` reads the shipped data files (``data/builders.yaml``, ``packers.yaml``,
``sdks.yaml``, ``common.yaml``) and, from each extra folder, files of the same names whose
entries add to or override the shipped ones by ``id`` (common lists are merged). The
``version`` is a short hash of every file read, so a result can say which data judged it.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml
from pydantic import ValidationError

from chaincut.knowledge.schema import (
    Builder,
    BuildersFile,
    CommonFile,
    Packer,
    PackersFile,
    Recognisable,
    Sdk,
    SdksFile,
)
from chaincut.knowledge.yamlio import load_yaml

DATA = Path(__file__).parent / "data"
FILES = ("builders.yaml", "packers.yaml", "sdks.yaml", "common.yaml")
R = TypeVar("R", bound=Recognisable)


class KnowledgeError(ValueError):
    """A data file that cannot be used; the message names the file."""


# Addresses that stand for public servers in documentation, redacted samples and test data
# (RFC 5737, RFC 3849). Python counts them as not global, but they are nobody's private
# network: an app that names one names a server, and whether it is common is for its
# carriers to show, like any other public address. Detection and linking share this one
# definition.
DOCUMENTATION_NETWORKS: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
)


def public_address(value: str) -> bool:
    """Whether ``value`` is an address a server can have on the Internet: global, not
    multicast, or in a documentation range. False for private, loopback, link-local,
    reserved, CGNAT and unparsable values. The one test detection and linking share."""
    try:
        ip = ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return False
    if any(ip in net for net in DOCUMENTATION_NETWORKS):
        return True
    return ip.is_global and not ip.is_multicast


COMMON_MEMO_MAX = 100_000


@dataclass(frozen=True, eq=False)  # identity hash: indexes built on it are cached
class KnowledgeBase:
    """Everything detection knows besides brands and rules; immutable once loaded."""

    builders: dict[str, Builder]
    packers: dict[str, Packer]
    sdks: dict[str, Sdk]
    common: CommonFile
    version: str
    files: tuple[str, ...] = ()
    _domains: dict[str, str] = field(default_factory=dict, repr=False)
    _networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = field(
        default=(), repr=False
    )
    _certs: frozenset[str] = field(default=frozenset(), repr=False)
    # is_common answers by (kind, value): the same indicators recur in an artifact (its
    # features, indicators and components ask alike) and across a run's artifacts
    _common_memo: dict[tuple[str, str], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def common_domain(self, host: str) -> str | None:
        """The common-infrastructure group naming ``host`` or a parent of it, else None."""
        labels = host.lower().rstrip(".").split(".")
        for i in range(len(labels)):
            group = self._domains.get(".".join(labels[i:]))
            if group is not None:
                return group
        return None

    def common_ip(self, value: str) -> bool:
        """Private, loopback, reserved... addresses and the listed networks are never links."""
        try:
            ip = ipaddress.ip_address(value.strip("[]"))
        except ValueError:
            return False
        if self.common.ips.private_is_common and not public_address(value):
            return True
        return any(ip in net for net in self._networks)

    def is_common(self, kind: str, value: str) -> bool:
        """Whether an indicator is common infrastructure (kept, but never a link alone)."""
        key = (kind, value)
        found = self._common_memo.get(key)
        if found is None:
            found = self._is_common(kind, value)
            if len(self._common_memo) >= COMMON_MEMO_MAX:
                self._common_memo.clear()
            self._common_memo[key] = found
        return found

    def _is_common(self, kind: str, value: str) -> bool:
        if kind == "domain":
            return self.common_domain(value) is not None
        if kind == "ip":
            return self.common_ip(value)
        if kind == "url":
            host = _url_host(value)
            if host is None:
                return False
            return self.common_domain(host) is not None or self.common_ip(host)
        if kind == "email":
            return self.common_domain(value.rpartition("@")[2]) is not None
        if kind == "cert_sha256":
            return value.lower() in self._certs
        return False

    def shared_key(self, sha256: str, known_key: str | None) -> bool:
        """A signing certificate anyone can sign with (published test keys)."""
        return sha256.lower() in self._certs or known_key in self.common.cert_subjects


def _url_host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"{path}: {exc}") from None
    if not isinstance(raw, dict):
        raise KnowledgeError(f"{path}: expected a mapping at the top level")
    return raw


def _merge(into: dict[str, R], items: Sequence[R]) -> None:
    for item in items:
        into[item.id] = item


def _merge_common(base: CommonFile, extra: CommonFile) -> CommonFile:
    domains = {k: list(v) for k, v in base.domains.items()}
    for group, names in extra.domains.items():
        domains.setdefault(group, []).extend(names)
    return base.model_copy(
        update={
            "domains": domains,
            "certificates": [*base.certificates, *extra.certificates],
            "cert_subjects": [*base.cert_subjects, *extra.cert_subjects],
            "ips": extra.ips if extra.ips.networks else base.ips,
        }
    )


def _validated(path: Path, model: type[Any]) -> Any:
    try:
        return model.model_validate(_read(path))
    except ValidationError as exc:
        raise KnowledgeError(f"{path}: {exc}") from None


def _build(folders: Sequence[Path]) -> KnowledgeBase:
    builders: dict[str, Builder] = {}
    packers: dict[str, Packer] = {}
    sdks: dict[str, Sdk] = {}
    common: CommonFile | None = None
    digest = hashlib.sha256()
    read: list[str] = []
    for folder in folders:
        for name in FILES:
            path = folder / name
            if not path.is_file():
                continue
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
            read.append(str(path))
            if name == "builders.yaml":
                _merge(builders, _validated(path, BuildersFile).builders)
            elif name == "packers.yaml":
                _merge(packers, _validated(path, PackersFile).packers)
            elif name == "sdks.yaml":
                _merge(sdks, _validated(path, SdksFile).sdks)
            else:
                extra = _validated(path, CommonFile)
                common = extra if common is None else _merge_common(common, extra)
    common = common or CommonFile(version="0")
    domains = {d.lower(): group for group, names in common.domains.items() for d in names}
    networks = tuple(ipaddress.ip_network(n, strict=False) for n in common.ips.networks)
    return KnowledgeBase(
        builders=builders,
        packers=packers,
        sdks=sdks,
        common=common,
        version=digest.hexdigest()[:12],
        files=tuple(read),
        _domains=domains,
        _networks=networks,
        _certs=frozenset(c.sha256 for c in common.certificates),
    )


@functools.lru_cache(maxsize=16)
def _cached(folders: tuple[Path, ...]) -> KnowledgeBase:
    return _build(folders)


def load_knowledge(extra_dirs: Sequence[Path] = ()) -> KnowledgeBase:
    """The shipped knowledge plus ``extra_dirs`` (later folders override earlier ones by id).

    Cached per folder list: scanning thousands of files loads the data once.
    """
    return _cached((DATA, *(Path(d).resolve() for d in extra_dirs)))
