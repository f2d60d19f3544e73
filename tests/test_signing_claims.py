"""Certificates of signatures that do not verify are kept as claims (issue 12, item 2).

A tampered, truncated or re-signed package still names the certificate it claims; that is
evidence and a link key. Every certificate a signing block or PKCS#7 carries is kept,
marked ``verified: false`` with the reason, while the APK-level verdict stays apksigner's.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from chaincut.extractors.apk.signing import block, read_signing
from chaincut.extractors.budget import Job, extract_file
from chaincut.extractors.findings import Findings
from chaincut.facts.models import FactsDocument, SigningFacts
from chaincut.link.graph import from_records
from chaincut.link.kinds import KIND_PRIORS, UNVERIFIED_CLAIM_FACTOR, claim_prior
from chaincut.link.model import ArtifactRecord
from chaincut.link.params import LinkParams
from chaincut.result.models import ResultIndicator
from tests.corpus import SHARED
from tests.oracles import androguard_facts, is_zip
from tests.signing_zip import archive_for

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "apk"
ANDROGUARD = SHARED / "corpus" / "androguard"

# Files where chaincut reports fewer certificates than androguard, each with the reason.
FEWER_THAN_ANDROGUARD: dict[str, str] = {}


def _signing(buf: bytes, min_sdk: int = 19) -> SigningFacts:
    return read_signing(archive_for(buf), Findings(), min_sdk=min_sdk, target_sdk=29)


def _doc(path: Path) -> FactsDocument:
    return extract_file(Job(display=str(path), fspath=str(path)), keep_blobs=False).document


def _signature_offset(buf: bytes, block_id: int) -> int:
    """Offset of the first signature's bytes of the first signer of a v2/v3 block."""
    archive = archive_for(buf)
    blk = block.locate(buf, archive.cd_offset, archive.cd_size, archive.eocd_offset, Findings())
    assert blk is not None
    pair = blk.find(block_id)
    assert pair is not None
    pos = pair.offset + 4 + 4  # length of the signer list, length of the first signer
    (signed_len,) = struct.unpack_from("<I", buf, pos)
    pos += 4 + signed_len
    if block_id != block.V2_ID:
        pos += 8  # min and max SDK
    pos += 4 + 4 + 4 + 4  # signatures length, first signature length, algorithm, sig length
    return pos


def _flip(buf: bytes, at: int) -> bytes:
    return buf[:at] + bytes([buf[at] ^ 0x01]) + buf[at + 1 :]


def test_verified_apk_marks_its_certificates_verified() -> None:
    signing = _signing((FIXTURES / "v2v3.apk").read_bytes())
    assert signing.verified
    assert signing.certificates
    assert all(c.verified is True and c.reason == "verified" for c in signing.certificates)


def test_tampered_v3_signature_keeps_the_claimed_certificate() -> None:
    buf = (FIXTURES / "v2v3.apk").read_bytes()
    good = _signing(buf)
    tampered = _flip(buf, _signature_offset(buf, block.V3_ID) + 10)
    signing = _signing(tampered)
    assert not signing.verified
    assert "v3 signature does not verify" in signing.reason
    assert [c.sha256 for c in signing.certificates] == [c.sha256 for c in good.certificates]
    cert = signing.certificates[0]
    assert cert.verified is False
    assert "does not verify" in cert.reason
    v3 = [s for s in signing.signers if s.scheme == "v3"]
    assert v3 and v3[0].verified is False and v3[0].certificates == [cert.sha256]


def test_unsupported_algorithm_keeps_the_claimed_certificate() -> None:
    buf = (FIXTURES / "v2v3.apk").read_bytes()
    at = _signature_offset(buf, block.V3_ID) - 8  # the algorithm id of the first signature
    unknown = buf[:at] + struct.pack("<I", 0x0999) + buf[at + 4 :]
    signing = _signing(unknown)
    assert not signing.verified
    v3 = next(s for s in signing.signers if s.scheme == "v3")
    assert v3.verified is False and "no supported signatures" in v3.reason
    assert v3.certificates, "the claimed certificate of an unsupported signature is kept"
    assert all(c.verified is False and c.reason for c in signing.certificates)


def _rezip(buf: bytes, name: str, change: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == name:
                data = change + data[len(change) :]
            dst.writestr(info, data)
    return out.getvalue()


def test_tampered_jar_signature_file_keeps_the_pkcs7_certificates() -> None:
    buf = (FIXTURES / "v1_only.apk").read_bytes()
    good = _signing(buf)
    assert good.verified and good.certificates
    with zipfile.ZipFile(io.BytesIO(buf)) as zf:
        sf = next(n for n in zf.namelist() if n.endswith(".SF"))
    tampered = _rezip(buf, sf, b"Signature-Version: 9.9")
    signing = _signing(tampered)
    assert not signing.verified
    assert {c.sha256 for c in signing.certificates} == {c.sha256 for c in good.certificates}
    assert all(c.verified is False for c in signing.certificates)
    assert "did not verify" in signing.certificates[0].reason


def test_signature_block_without_its_sf_keeps_its_certificate() -> None:
    buf = (FIXTURES / "v1_only.apk").read_bytes()
    good = _signing(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buf)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if not info.filename.endswith(".SF"):
                dst.writestr(info, src.read(info))
    signing = _signing(out.getvalue())
    assert not signing.verified
    assert [c.sha256 for c in signing.certificates] == [good.certificates[0].sha256]
    assert signing.certificates[0].verified is False
    assert "has no .SF file" in signing.certificates[0].reason


def test_claimed_certificate_is_an_unverified_indicator(tmp_path: Path) -> None:
    buf = (FIXTURES / "v2v3.apk").read_bytes()
    path = tmp_path / "tampered.apk"
    path.write_bytes(_flip(buf, _signature_offset(buf, block.V3_ID) + 10))
    doc = _doc(path)
    assert doc.apk is not None and not doc.apk.signing.verified
    certs = [i for i in doc.indicators if i.kind == "cert_sha256"]
    assert certs and all(i.verified is False for i in certs)
    genuine = _doc(FIXTURES / "v2v3.apk")
    assert all(i.verified is True for i in genuine.indicators if i.kind == "cert_sha256")


def _record(sha: str, verified: bool | None) -> ArtifactRecord:
    cert = ResultIndicator(kind="cert_sha256", value="ab" * 32, verified=verified)
    return ArtifactRecord(sha256=sha, kind="apk", verdict="malicious", indicators=[cert])


def test_linking_weighs_a_claim_lower_than_a_verified_certificate() -> None:
    cert = KIND_PRIORS["cert_sha256"]  # the kind's prior, whatever it is set to
    assert cert > 0
    assert claim_prior("cert_sha256", "x", claimed_only=True) == cert * UNVERIFIED_CLAIM_FACTOR
    assert claim_prior("cert_sha256", "x", claimed_only=False) == cert
    params = LinkParams()
    claims = from_records([_record("a" * 64, False), _record("b" * 64, False)], params)
    mixed = from_records([_record("a" * 64, False), _record("b" * 64, True)], params)
    assert claims.graph.prior.tolist() == [cert * UNVERIFIED_CLAIM_FACTOR]
    assert mixed.graph.prior.tolist() == [cert]  # one verified sighting: a real key


def _corpus_apks() -> list[Path]:
    if not ANDROGUARD.is_dir():
        return []
    return sorted(p for p in ANDROGUARD.rglob("*") if p.is_file() and is_zip(p))


@pytest.mark.corpus
@pytest.mark.oracle
@pytest.mark.parametrize("path", _corpus_apks(), ids=lambda p: p.relative_to(ANDROGUARD).as_posix())
def test_no_fewer_certificates_than_androguard(path: Path) -> None:
    theirs = androguard_facts(str(path))
    if theirs.error is not None:
        pytest.skip(f"androguard cannot read it: {theirs.error}")
    doc = _doc(path)
    ours = {c.sha256 for c in doc.apk.signing.certificates} if doc.apk else set()
    missing = theirs.certs - ours
    name = path.relative_to(ANDROGUARD).as_posix()
    if name in FEWER_THAN_ANDROGUARD:
        assert missing, f"{name} no longer reports fewer: drop it from FEWER_THAN_ANDROGUARD"
        return
    assert not missing, f"androguard reads {sorted(missing)} that chaincut drops"
    if doc.apk is not None and not doc.apk.signing.verified:
        assert all(c.verified is False and c.reason for c in doc.apk.signing.certificates)


def test_corpus_present_or_skip() -> None:
    if not _corpus_apks():
        pytest.skip(f"no ZIP files under {ANDROGUARD}: the shared corpus is absent")
    assert len(_corpus_apks()) > 300
