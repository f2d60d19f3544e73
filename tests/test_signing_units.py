"""Unit behaviour of the signature reader: block parsing, manifest quirks, digests, keys."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

import pytest

from chaincut.extractors.apk.signing import block, digest, read_signing
from chaincut.extractors.apk.signing.certs import known_key
from chaincut.extractors.apk.signing.codes import CODES
from chaincut.extractors.apk.signing.jarmanifest import ManifestParser
from chaincut.extractors.findings import Findings
from tests.corpus import corpus_dir
from tests.signing_zip import archive_for

SRC = Path(__file__).resolve().parents[1] / "src" / "chaincut" / "extractors" / "apk" / "signing"


def _apk(name: str) -> bytes:
    return (corpus_dir("androguard") / "apksig" / name).read_bytes()


def _pairs(*items: tuple[int, bytes]) -> bytes:
    return b"".join(struct.pack("<QI", len(v) + 4, i) + v for i, v in items)


def _with_block(pairs: bytes, header_delta: int = 0) -> tuple[bytes, int]:
    """A fake file: 8 filler bytes, a signing block, then where the CD would start."""
    size = len(pairs) + 24
    blk = struct.pack("<Q", size + header_delta) + pairs + struct.pack("<Q", size) + block.MAGIC
    buf = b"x" * 8 + blk
    return buf, len(buf)


def test_block_pairs_named_and_unknown_reported() -> None:
    buf, cd = _with_block(_pairs((block.V2_ID, b"abc"), (0x12345678, b""), (0x2146444E, b"f")))
    findings = Findings()
    blk = block.locate(buf, cd, 0, cd, findings)
    assert blk is not None and blk.offset == 8
    assert [(e.name, e.size) for e in block.block_entries(blk)] == [
        ("apk_signature_scheme_v2", 3),
        ("unknown", 0),
        ("google_play_frosting", 1),
    ]
    assert [a.code for a in findings.anomalies] == ["signing_block_unknown_id"]
    pair = blk.find(block.V2_ID)
    assert pair is not None and buf[pair.offset : pair.offset + pair.size] == b"abc"


def test_block_size_mismatch_and_overrun_are_malformed() -> None:
    buf, cd = _with_block(_pairs((block.V2_ID, b"abc")), header_delta=1)
    findings = Findings()
    assert block.locate(buf, cd, 0, cd, findings) is None
    assert findings.anomalies[0].code == "signing_block_malformed"
    bad = struct.pack("<QI", 999, block.V3_ID) + b"zz"
    buf, cd = _with_block(_pairs((block.V2_ID, b"ok")) + bad)
    findings = Findings()
    blk = block.locate(buf, cd, 0, cd, findings)
    assert blk is not None and blk.malformed and len(blk.pairs) == 1
    assert "signing_block_pair_malformed" in {a.code for a in findings.anomalies}


def test_block_not_adjacent_to_cd() -> None:
    buf, cd = _with_block(_pairs((block.V2_ID, b"abc")))
    findings = Findings()
    assert block.locate(buf, cd, 10, cd + 20, findings) is None
    assert findings.anomalies[0].code == "signing_block_not_adjacent"


def test_manifest_parser_sections_and_continuations() -> None:
    data = b"Manifest-Version: 1.0\r\n\r\nName: a/very/long/na\r\n me.txt\r\nSHA1-Digest: x\r\n\r\n"
    parser = ManifestParser(data)
    main = parser.read_section()
    assert main is not None and main.get("manifest-version") == "1.0"
    assert (main.start, main.size) == (0, 25)
    (section,) = parser.read_all_sections()
    assert section.name == "a/very/long/name.txt"
    assert data[section.start : section.start + section.size].endswith(b"x\r\n\r\n")


def test_chunked_digest_matches_definition() -> None:
    data = bytes(range(256)) * 9000  # > 2 chunks
    buf = data + b"PK\x05\x06" + bytes(18)
    sections = digest.Sections(buf, len(data), len(data), len(data))
    chunks = [data[i : i + digest.CHUNK] for i in range(0, len(data), digest.CHUNK)]
    chunks.append(b"")  # empty CD section contributes no chunk
    leaves = [hashlib.sha256(b"\xa5" + struct.pack("<I", len(c)) + c).digest() for c in chunks if c]
    eocd = bytearray(buf[len(data) :])
    struct.pack_into("<I", eocd, 16, len(data))
    leaves.append(hashlib.sha256(b"\xa5" + struct.pack("<I", 22) + bytes(eocd)).digest())
    want = hashlib.sha256(b"\x5a" + struct.pack("<I", len(leaves)) + b"".join(leaves)).digest()
    assert digest.chunked(sections, "CHUNKED_SHA256") == want


def test_known_keys() -> None:
    testkey = "a40da80a59d170caa950cf15c18c454d47a39b26989d8b640ecd745ba71bf5dc"
    assert known_key(testkey, None) == "aosp_testkey"
    assert known_key("00" * 32, None) is None


class _UndecodableSubject:
    """A certificate whose subject cryptography cannot decode (it raises on access)."""

    @property
    def subject(self) -> object:
        raise ValueError("invalid name")


def test_known_key_of_an_undecodable_subject_is_none() -> None:
    assert known_key("00" * 32, _UndecodableSubject()) is None  # type: ignore[arg-type]


def test_lineage_oldest_first_and_signer_first() -> None:
    findings = Findings()
    facts = read_signing(
        archive_for(_apk("v1v2v3-with-rsa-2048-lineage-3-signers.apk")), findings, min_sdk=23
    )
    assert facts.verified and facts.schemes == {"v1": True, "v2": True, "v3": True, "v31": False}
    (v3,) = [s for s in facts.signers if s.scheme == "v3"]
    assert len(v3.lineage) == 3 and v3.lineage[-1] == v3.certificates[0]
    (v1,) = [s for s in facts.signers if s.scheme == "v1"]
    assert v3.lineage[0] == v1.certificates[0]  # rotation starts at the v1/v2 key
    assert facts.certificates[0].sha256 == v3.certificates[0]
    assert facts.certificates[0].subject == "CN=rsa-2048_3"
    assert [b.name for b in facts.blocks][-1] == "verity_padding"


def test_stripped_v2_is_caught() -> None:
    findings = Findings()
    facts = read_signing(archive_for(_apk("v2-stripped.apk")), findings, min_sdk=23)
    assert not facts.verified and "v2" in facts.reason
    assert "signing_scheme_stripped" in {a.code for a in findings.anomalies}


def test_digest_mismatch_reported() -> None:
    findings = Findings()
    apk = _apk("v2-only-with-ecdsa-sha256-p256-digest-mismatch.apk")
    facts = read_signing(archive_for(apk), findings, min_sdk=24)
    assert not facts.verified and "digest mismatch" in facts.reason
    assert "signing_digest_mismatch" in {a.code for a in findings.anomalies}


def test_min_sdk_decides_whether_v1_is_needed() -> None:
    apk = _apk("v2-only-with-rsa-pkcs1-sha256-2048.apk")
    assert read_signing(archive_for(apk), Findings(), min_sdk=24).verified
    facts = read_signing(archive_for(apk), Findings(), min_sdk=None)
    assert not facts.verified and "MANIFEST.MF" in facts.reason


def test_verify_false_still_reads_certificates() -> None:
    apk = _apk("v2-only-with-rsa-pkcs1-sha256-2048-sig-does-not-verify.apk")
    facts = read_signing(archive_for(apk), Findings(), min_sdk=24, verify=False)
    assert facts.certificates and not facts.verified
    assert all(s.verified is None for s in facts.signers)


def test_idsig_sets_v4() -> None:
    facts = read_signing(
        archive_for(_apk("golden-aligned-v1v2v3-out.apk")), Findings(), idsig_present=True
    )
    assert facts.schemes["v4"] and facts.v4_idsig


@pytest.mark.parametrize("path", sorted(SRC.glob("*.py")), ids=lambda p: p.name)
def test_every_emitted_code_is_registered(path: Path) -> None:
    import re

    for code in re.findall(r"""["']((?:signing|v1)_[a-z0-9_]+)["']""", path.read_text()):
        assert code in CODES, f"{path.name}: {code}"
