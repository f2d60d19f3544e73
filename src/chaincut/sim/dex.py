"""Write small, valid DEX files: the simulator's code and the tests' known base for anomalies.

The layout is the one d8 writes: header, id tables, then the data section holding the
string data and, last, the map list. Checksum and signature are computed; `fix` redoes
them after a test has patched bytes.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass, field

NO_INDEX = 0xFFFFFFFF
HEADER_SIZE = 0x70


def mutf8(text: str) -> bytes:
    """MUTF-8: NUL as C0 80, characters above U+FFFF as two 3-byte surrogates."""
    units = text.encode("utf-16-le", "surrogatepass")
    halves = "".join(
        chr(v) for (v,) in struct.iter_unpack("<H", units)
    )  # each UTF-16 unit on its own, surrogates included
    return halves.encode("utf-8", "surrogatepass").replace(b"\x00", b"\xc0\x80")


def utf16_len(item: str | bytes) -> int:
    if isinstance(item, bytes):
        return len(item)
    return len(item.encode("utf-16-le", "surrogatepass")) // 2


def uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


@dataclass
class DexSpec:
    """The tables of a DEX. Strings may be bytes (raw MUTF-8, written as given)."""

    strings: list[str | bytes]
    types: list[int] = field(default_factory=list)  # string index of each descriptor
    protos: list[tuple[int, int]] = field(default_factory=list)  # (shorty, return type)
    fields: list[tuple[int, int, int]] = field(default_factory=list)  # (class, type, name)
    methods: list[tuple[int, int, int]] = field(default_factory=list)  # (class, proto, name)
    classes: list[tuple[int, int, int, int]] = field(default_factory=list)
    # (class type, access flags, superclass type or NO_INDEX, source file string or NO_INDEX)
    version: bytes = b"035"


def fix(data: bytearray) -> bytes:
    """Recompute signature then checksum, as dx/d8 do."""
    data[12:32] = hashlib.sha1(bytes(data[32:])).digest()
    struct.pack_into("<I", data, 8, zlib.adler32(bytes(data[12:])))
    return bytes(data)


def build(spec: DexSpec) -> bytes:
    """A DEX file holding ``spec`` (no code: classes have no class_data)."""
    tables = [
        (0x0001, len(spec.strings), 4),
        (0x0002, len(spec.types), 4),
        (0x0003, len(spec.protos), 12),
        (0x0004, len(spec.fields), 8),
        (0x0005, len(spec.methods), 8),
        (0x0006, len(spec.classes), 32),
    ]
    offsets: dict[int, int] = {}
    pos = HEADER_SIZE
    for kind, count, size in tables:
        offsets[kind] = pos if count else 0
        pos += count * size
    data_off = pos
    string_data = bytearray()
    string_offs = []
    for item in spec.strings:
        string_offs.append(data_off + len(string_data))
        raw = item if isinstance(item, bytes) else mutf8(item)
        string_data += uleb(utf16_len(item)) + raw + b"\0"
    map_off = data_off + len(string_data)
    map_off += -map_off % 4
    items = [(0x0000, 1, 0)]
    items += [(k, c, offsets[k]) for k, c, _s in tables if c]
    if spec.strings:
        items.append((0x2002, len(spec.strings), data_off))
    items.append((0x1000, 1, map_off))
    map_list = struct.pack("<I", len(items)) + b"".join(
        struct.pack("<HHII", k, 0, c, o) for k, c, o in items
    )
    end = map_off + len(map_list)
    out = bytearray(end)
    body = b"".join(struct.pack("<I", o) for o in string_offs)
    body += b"".join(struct.pack("<I", t) for t in spec.types)
    body += b"".join(struct.pack("<III", s, r, 0) for s, r in spec.protos)
    body += b"".join(struct.pack("<HHI", *f) for f in spec.fields)
    body += b"".join(struct.pack("<HHI", *m) for m in spec.methods)
    body += b"".join(
        struct.pack("<IIIIIIII", c, a, s, 0, f, 0, 0, 0) for c, a, s, f in spec.classes
    )
    out[HEADER_SIZE:data_off] = body
    out[data_off:map_off] = string_data + bytes(map_off - data_off - len(string_data))
    out[map_off:end] = map_list
    sizes = []
    for kind, count, _s in tables:
        sizes += [count, offsets[kind]]
    header = (
        struct.pack(
            "<8sI20sIIIIII",
            b"dex\n" + spec.version + b"\0",
            0,
            bytes(20),
            end,
            HEADER_SIZE,
            0x12345678,
            0,
            0,
            map_off,
        )
        + struct.pack("<12I", *sizes)
        + struct.pack("<II", end - data_off, data_off)
    )
    out[:HEADER_SIZE] = header
    return fix(out)


def sample_spec() -> DexSpec:
    """A small app: one class calling SmsManager.sendTextMessage and String.length."""
    strings: list[str | bytes] = sorted(
        [
            "<init>",
            "Fraud.java",
            "I",
            "Landroid/telephony/SmsManager;",
            "Lcom/evil/pay/Fraud;",
            "Ljava/lang/Object;",
            "Ljava/lang/String;",
            "Landroidx/core/Thing;",
            "V",
            "https://c2.example-fraud.top/gate",
            "length",
            "sendTextMessage",
            "thing",
            "零\u0000\U0001f600",
        ]
    )
    idx = {s: i for i, s in enumerate(strings)}
    descriptors = sorted(s for s in strings if isinstance(s, str) and s[0] in "LIV")
    types = [idx[d] for d in descriptors]
    t = {d: i for i, d in enumerate(descriptors)}
    protos = [(idx["I"], t["I"]), (idx["V"], t["V"])]
    methods = sorted(
        [
            (t["Landroid/telephony/SmsManager;"], 1, idx["sendTextMessage"]),
            (t["Landroidx/core/Thing;"], 1, idx["thing"]),
            (t["Lcom/evil/pay/Fraud;"], 1, idx["<init>"]),
            (t["Ljava/lang/Object;"], 1, idx["<init>"]),
            (t["Ljava/lang/String;"], 0, idx["length"]),
        ]
    )
    classes = [(t["Lcom/evil/pay/Fraud;"], 1, t["Ljava/lang/Object;"], idx["Fraud.java"])]
    fields = [(t["Lcom/evil/pay/Fraud;"], t["I"], idx["length"])]
    return DexSpec(strings, types, protos, fields, methods, classes)
