"""APK signing as apksigner does it: v1 (JAR) and optionally the v2 APK Signing Block.

The simulator signs its apps with each developer's key, so the signing certificate is the
link the world plants between a developer's apps; chaincut's own verifier must accept the
result (the tests extract every simulated APK and expect ``verified``).
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Sequence

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import pkcs7

from chaincut.sim.keys import Signer
from chaincut.sim.zipw import ZipItem, write_zip

CREATED_BY = "1.0 (Android)"
SIG_NAME = "CERT"
V2_BLOCK_ID = 0x7109871A
RSA_PKCS1_SHA256 = 0x0103
CHUNK = 1 << 20


def _wrap(line: str) -> bytes:
    """A manifest line, wrapped at 72 bytes with continuation lines as the JAR spec says."""
    raw = line.encode("utf-8")
    out = [raw[:70]]
    rest = raw[70:]
    while rest:
        out.append(b" " + rest[:69])
        rest = rest[69:]
    return b"".join(part + b"\r\n" for part in out)


def _b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _section(name: str, digest_of: bytes) -> bytes:
    return _wrap(f"Name: {name}") + _wrap(f"SHA-256-Digest: {_b64(digest_of)}") + b"\r\n"


def v1_files(items: Sequence[ZipItem], signer: Signer, v2: bool) -> list[ZipItem]:
    """MANIFEST.MF, CERT.SF and CERT.RSA for ``items``."""
    main = _wrap("Manifest-Version: 1.0") + _wrap(f"Created-By: {CREATED_BY}") + b"\r\n"
    sections = [_section(item.name, item.data) for item in items]
    manifest = main + b"".join(sections)
    sf_main = _wrap("Signature-Version: 1.0") + _wrap(f"Created-By: {CREATED_BY}")
    sf_main += _wrap(f"SHA-256-Digest-Manifest: {_b64(manifest)}")
    if v2:
        sf_main += _wrap("X-Android-APK-Signed: 2")
    sf = sf_main + b"\r\n"
    for item, section in zip(items, sections, strict=True):
        sf += _wrap(f"Name: {item.name}") + _wrap(f"SHA-256-Digest: {_b64(section)}") + b"\r\n"
    block = (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(sf)
        .add_signer(signer.cert, signer.key, hashes.SHA256())
        .sign(
            serialization.Encoding.DER,
            [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.NoAttributes],
        )
    )
    return [
        ZipItem("META-INF/MANIFEST.MF", manifest),
        ZipItem(f"META-INF/{SIG_NAME}.SF", sf),
        ZipItem(f"META-INF/{SIG_NAME}.RSA", block),
    ]


def _lp(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _chunked_digest(sections: Sequence[bytes]) -> bytes:
    digests = []
    for section in sections:
        for i in range(0, max(len(section), 1), CHUNK):
            part = section[i : i + CHUNK]
            digests.append(hashlib.sha256(b"\xa5" + struct.pack("<I", len(part)) + part).digest())
    return hashlib.sha256(b"\x5a" + struct.pack("<I", len(digests)) + b"".join(digests)).digest()


def _v2_block(apk: bytes, signer: Signer) -> tuple[bytes, int, int]:
    """The APK Signing Block for ``apk`` plus the CD offset and EOCD offset it covers."""
    eocd = apk.rindex(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<I", apk, eocd + 16)
    digest = _chunked_digest([apk[:cd_offset], apk[cd_offset:eocd], apk[eocd:]])
    signed = _lp(_lp(struct.pack("<I", RSA_PKCS1_SHA256) + _lp(digest)))
    signed += _lp(_lp(signer.cert_der)) + _lp(b"")
    signature = signer.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    public = signer.key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signer_rec = _lp(signed) + _lp(_lp(struct.pack("<I", RSA_PKCS1_SHA256) + _lp(signature)))
    value = _lp(_lp(signer_rec + _lp(public)))
    pair = struct.pack("<QI", 4 + len(value), V2_BLOCK_ID) + value
    size = len(pair) + 8 + 16
    block = struct.pack("<Q", size) + pair + struct.pack("<Q", size) + b"APK Sig Block 42"
    return block, cd_offset, eocd


def with_v2(apk: bytes, signer: Signer) -> bytes:
    """``apk`` with a v2 APK Signing Block inserted before its central directory."""
    block, cd_offset, eocd = _v2_block(apk, signer)
    tail = bytearray(apk[eocd:])
    struct.pack_into("<I", tail, 16, cd_offset + len(block))
    return apk[:cd_offset] + block + apk[cd_offset:eocd] + bytes(tail)


def sign_apk(items: Sequence[ZipItem], signer: Signer, v2: bool = False) -> bytes:
    """A signed APK: v1 always (JAR signing), v2 when asked."""
    meta = v1_files(items, signer, v2)
    apk = write_zip([*meta[:1], *items, *meta[1:]])
    return with_v2(apk, signer) if v2 else apk
