"""The v3 proof-of-rotation lineage: each signing certificate signed by the one before it.

Format (little endian): uint32 version (1), then length-prefixed nodes, each holding
lp(signed data = lp(cert) + uint32 alg the parent used), uint32 flags, uint32 alg this
cert uses to sign the next one, lp(signature by the parent). Node 0's signature is unused.
Flags say what a past key may still do (1 installed data, 2 shared uid, 4 permission,
8 rollback, 16 auth).
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm

from chaincut.extractors.apk.signing import sigalg
from chaincut.extractors.apk.signing.certs import load_cert
from chaincut.extractors.apk.signing.lp import LpError, LpReader

VERSION = 1
ALL_CAPABILITIES = 0x1F
MAX_NODES = 64


class LineageError(ValueError):
    """The lineage is malformed or one of its links does not verify."""


@dataclass(frozen=True, slots=True)
class Node:
    der: bytes
    cert: x509.Certificate | None
    parent_alg: int  # algorithm the parent used to sign this node
    alg: int  # algorithm this node's key uses for the next node
    signature: bytes
    flags: int

    def key(self) -> tuple[bytes, int, int, bytes, int]:
        return (self.der, self.parent_alg, self.alg, self.signature, self.flags)


def parse(value: memoryview) -> list[Node]:
    """All nodes, oldest first, with every link verified; raises LineageError."""
    try:
        return _parse(LpReader(value))
    except LpError as exc:
        raise LineageError(f"malformed lineage: {exc}") from exc


def _parse(reader: LpReader) -> list[Node]:
    if not reader.remaining():
        raise LineageError("empty lineage")
    if reader.u32() != VERSION:
        raise LineageError("unknown lineage version")
    nodes: list[Node] = []
    seen: set[bytes] = set()
    while reader.remaining():
        if len(nodes) >= MAX_NODES:
            raise LineageError("too many lineage nodes")
        node_reader = LpReader(reader.lp_slice())
        signed = node_reader.lp_slice()
        flags = node_reader.u32()
        alg = node_reader.u32()
        signature = bytes(node_reader.lp_slice())
        if nodes:
            _check_link(nodes[-1], signed, signature, len(nodes) + 1)
        inner = LpReader(signed)
        der = bytes(inner.lp_slice())
        parent_alg = inner.u32()
        if nodes and parent_alg != nodes[-1].alg:
            raise LineageError(f"algorithm mismatch at certificate #{len(nodes) + 1}")
        cert, _ = load_cert(der)
        if cert is None:
            raise LineageError(f"certificate #{len(nodes) + 1} does not parse")
        if der in seen:
            raise LineageError("the same certificate appears twice in the lineage")
        seen.add(der)
        nodes.append(Node(der, cert, parent_alg, alg, signature, flags))
    return nodes


def _check_link(parent: Node, signed: memoryview, signature: bytes, number: int) -> None:
    alg = sigalg.ALGORITHMS.get(parent.alg)
    if alg is None or parent.cert is None:
        raise LineageError(f"certificate #{number}: unknown signing algorithm")
    try:
        spki = parent.cert.public_key()
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise LineageError(f"certificate #{number - 1}: unusable key") from exc
    if not sigalg.verify(alg, spki, signed, signature):
        raise LineageError(f"certificate #{number} is not signed by certificate #{number - 1}")


def consolidate(lineages: list[list[Node]]) -> list[Node]:
    """The longest lineage, provided every other one is a prefix of it (apksig semantics)."""
    if not lineages:
        return []
    longest = max(lineages, key=len)
    for other in lineages:
        if [n.key() for n in other] != [n.key() for n in longest[: len(other)]]:
            raise LineageError("signers' lineages are not subsets of each other")
    return longest
