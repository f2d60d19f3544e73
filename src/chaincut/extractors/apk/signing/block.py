"""Find the APK Signing Block and split it into ID-value pairs, as apksig does.

Layout (all little endian): uint64 size, pairs (uint64 length, uint32 id, value), uint64
size again, 16-byte magic "APK Sig Block 42"; it ends exactly where the central directory
starts. Android only looks there, so a block anywhere else is inert (and suspicious).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from chaincut.extractors.findings import Findings
from chaincut.facts.models import SigningBlockEntry

MAGIC = b"APK Sig Block 42"
MIN_SIZE = 32
INT_MAX = 0x7FFFFFFF
MAX_PAIRS = 4096  # real blocks hold a handful; bound the work on hostile ones

V2_ID = 0x7109871A
V3_ID = 0xF05368C0
V31_ID = 0x1B93AD61
STAMP_V1_ID = 0x2B09189E
STAMP_V2_ID = 0x6DFF800D
VERITY_PADDING_ID = 0x42726577

BLOCK_NAMES: dict[int, str] = {
    V2_ID: "apk_signature_scheme_v2",
    V3_ID: "apk_signature_scheme_v3",
    V31_ID: "apk_signature_scheme_v3.1",
    STAMP_V1_ID: "source_stamp_v1",
    STAMP_V2_ID: "source_stamp_v2",
    VERITY_PADDING_ID: "verity_padding",
    0x504B4453: "dependency_info",  # Google Play/AGP dependency metadata (encrypted)
    0x2146444E: "google_play_frosting",
    0x71777777: "walle_channel",  # Meituan Walle channel info
    0x881155FF: "vasdolly_channel",  # Tencent VasDolly channel info
}

_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")


@dataclass(frozen=True, slots=True)
class Pair:
    id: int
    offset: int  # absolute offset of the value in the file
    size: int  # value size (pair length minus the 4-byte ID)


@dataclass(slots=True)
class SigningBlock:
    """A located block; ``pairs`` stop at the first malformed pair (``malformed`` says so)."""

    offset: int
    size: int  # total, including the leading size field
    pairs: list[Pair] = field(default_factory=list)
    malformed: bool = False

    def find(self, block_id: int) -> Pair | None:
        """First pair with this ID, as apksig's findApkSignatureSchemeBlock returns."""
        for pair in self.pairs:
            if pair.id == block_id:
                return pair
        return None


def block_name(block_id: int) -> str:
    return BLOCK_NAMES.get(block_id, "unknown")


def locate(
    buf: bytes,
    cd_offset: int,
    cd_size: int,
    eocd_offset: int,
    findings: Findings,
    *,
    adjacent: bool = True,
    orphans: bool = True,
) -> SigningBlock | None:
    """The APK Signing Block right before the central directory, or None (reasons recorded).

    ``adjacent=False`` also returns a block Android ignores because the central directory
    is not followed by the end record: its certificates are still evidence of a claim.
    ``orphans=False`` skips the search of the whole file for a magic out of place (for a
    second look whose findings are not kept).
    """
    magic_at = cd_offset - 16
    has_magic = magic_at >= 0 and buf[magic_at:cd_offset] == MAGIC
    if orphans:
        _orphan_magic(buf, magic_at if has_magic else -1, findings)
    if adjacent and cd_offset + cd_size != eocd_offset:
        if has_magic:
            findings.anomaly(
                "signing_block_not_adjacent",
                f"central directory ends at {cd_offset + cd_size}, end record at {eocd_offset}",
                offset=cd_offset,
            )
        return None
    if cd_offset < MIN_SIZE or not has_magic:
        return None
    (footer_size,) = _U64.unpack_from(buf, cd_offset - 24)
    if footer_size < 24 or footer_size > INT_MAX - 8:
        findings.anomaly(
            "signing_block_malformed", f"size field out of range: {footer_size}", offset=cd_offset
        )
        return None
    total = footer_size + 8
    start = cd_offset - total
    if start < 0:
        findings.anomaly(
            "signing_block_malformed", f"block would start before the file: {start}", offset=0
        )
        return None
    (header_size,) = _U64.unpack_from(buf, start)
    if header_size != footer_size:
        findings.anomaly(
            "signing_block_malformed",
            f"header size {header_size} differs from footer size {footer_size}",
            offset=start,
        )
        return None
    block = SigningBlock(offset=start, size=total)
    _split_pairs(buf, block, start + 8, cd_offset - 24, findings)
    return block


def _orphan_magic(buf: bytes, real_at: int, findings: Findings) -> None:
    """Report a signing-block magic that Android would never look at (a hidden payload)."""
    at = buf.find(MAGIC)
    while at != -1:
        if at != real_at:
            findings.anomaly(
                "signing_block_orphan_magic", "APK Sig Block 42 magic out of place", offset=at
            )
            return
        at = buf.find(MAGIC, at + 1)


def _split_pairs(buf: bytes, block: SigningBlock, pos: int, end: int, findings: Findings) -> None:
    seen: set[int] = set()
    count = 0
    while pos < end:
        count += 1
        if end - pos < 8 or count > MAX_PAIRS:
            _bad_pair(block, count, "truncated pair length", pos, findings)
            return
        (length,) = _U64.unpack_from(buf, pos)
        if length < 4 or length > INT_MAX or length > end - pos - 8:
            _bad_pair(block, count, f"pair length {length} out of range", pos, findings)
            return
        (pair_id,) = _U32.unpack_from(buf, pos + 8)
        block.pairs.append(Pair(pair_id, pos + 12, length - 4))
        _note_pair(pair_id, seen, pos, findings)
        pos += 8 + length


def _bad_pair(block: SigningBlock, index: int, detail: str, pos: int, findings: Findings) -> None:
    block.malformed = True
    findings.anomaly("signing_block_pair_malformed", f"pair #{index}: {detail}", offset=pos)


def _note_pair(pair_id: int, seen: set[int], pos: int, findings: Findings) -> None:
    if pair_id in seen:
        findings.anomaly("signing_block_duplicate_id", f"0x{pair_id:08x}", offset=pos)
    seen.add(pair_id)
    if pair_id not in BLOCK_NAMES:
        findings.anomaly("signing_block_unknown_id", f"0x{pair_id:08x}", offset=pos)


def block_entries(block: SigningBlock | None) -> list[SigningBlockEntry]:
    """The facts view: every pair, named when the ID is known."""
    if block is None:
        return []
    return [
        SigningBlockEntry(id=f"0x{p.id:08x}", name=block_name(p.id), size=p.size)
        for p in block.pairs
    ]
