"""Just enough Mach-O to tell whether an iOS executable is FairPlay-encrypted.

App Store downloads carry LC_ENCRYPTION_INFO(_64) with cryptid 1; enterprise, ad-hoc and
re-signed (cracked) builds have cryptid 0. Thin and fat files are read; every count and
offset is bounded by the buffer, so a hostile header cannot make the walk loop or jump.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64 = 0x21, 0x2C
MAX_SLICES = 16
MAX_COMMANDS = 4096
_THIN = {
    b"\xce\xfa\xed\xfe": ("<", 28),
    b"\xcf\xfa\xed\xfe": ("<", 32),
    b"\xfe\xed\xfa\xce": (">", 28),
    b"\xfe\xed\xfa\xcf": (">", 32),
}
_CPUS = {7: "x86", 12: "arm", 0x01000007: "x86_64", 0x0100000C: "arm64", 0x0200000C: "arm64_32"}


@dataclass(slots=True)
class MachO:
    """What the walk found; ``problem`` says why a slice could not be read."""

    archs: list[str] = field(default_factory=list)
    cryptids: list[int] = field(default_factory=list)
    problem: str | None = None

    @property
    def encrypted(self) -> bool | None:
        """True if any slice is encrypted; None when no encryption command was seen."""
        return any(self.cryptids) if self.cryptids else (None if self.problem else False)


def read_macho(buf: bytes) -> MachO:
    """Parse a thin or fat Mach-O header and load commands; never raises."""
    out = MachO()
    magic = buf[:4]
    if magic in (b"\xca\xfe\xba\xbe", b"\xca\xfe\xba\xbf"):
        _fat(buf, magic == b"\xca\xfe\xba\xbf", out)
    elif magic in _THIN:
        _thin(buf, 0, len(buf), out)
    else:
        out.problem = f"magic {magic.hex() or 'missing'}"
    return out


def _fat(buf: bytes, wide: bool, out: MachO) -> None:
    count = int.from_bytes(buf[4:8], "big")
    if not 0 < count <= MAX_SLICES:
        out.problem = f"fat header with {count} slices"
        return
    size = 32 if wide else 20
    for i in range(count):
        at = 8 + i * size
        if at + size > len(buf):
            out.problem = "fat arch table truncated"
            return
        if wide:
            _, _, offset, length = struct.unpack_from(">iiQQ", buf, at)
        else:
            _, _, offset, length = struct.unpack_from(">iiII", buf, at)
        if offset + length > len(buf) or length < 28:
            out.problem = f"slice {i} at {offset}+{length} outside the file"
            continue
        _thin(buf, offset, offset + length, out)


def _thin(buf: bytes, start: int, end: int, out: MachO) -> None:
    order_size = _THIN.get(buf[start : start + 4])
    if order_size is None or start + 32 > end:
        out.problem = f"slice at {start} is not a Mach-O header"
        return
    order, header = order_size
    cpu, _, _, ncmds, sizeofcmds = struct.unpack_from(order + "iiIII", buf, start + 4)
    out.archs.append(_CPUS.get(cpu, f"cpu{cpu & 0xFFFFFFFF:x}"))
    pos, limit = start + header, min(end, start + header + sizeofcmds)
    for _ in range(min(ncmds, MAX_COMMANDS)):
        if pos + 8 > limit:
            break
        cmd, cmdsize = struct.unpack_from(order + "II", buf, pos)
        if cmdsize < 8 or pos + cmdsize > limit:
            out.problem = f"load command at {pos} has size {cmdsize}"
            return
        if cmd in (LC_ENCRYPTION_INFO, LC_ENCRYPTION_INFO_64) and cmdsize >= 20:
            out.cryptids.append(struct.unpack_from(order + "I", buf, pos + 16)[0])
        pos += cmdsize
