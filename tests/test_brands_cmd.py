"""``chaincut brands add|list``: learn a brand from a genuine APK, then catch its copies."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import yaml
from PIL import Image
from typer.testing import CliRunner

from chaincut.cli.app import app
from chaincut.detect.impersonation import judge
from chaincut.extractors.budget import Job, extract_file
from chaincut.knowledge.brands import load_registry
from tests.impersonation_synth import hue_shifted, png

FIXTURES = Path(__file__).parent / "fixtures" / "apk"
GENUINE = FIXTURES / "labels_locales.apk"
runner = CliRunner()


def _add(out: Path, *extra: str, apk: Path = GENUINE) -> tuple[int, str]:
    result = runner.invoke(app, ["brands", "add", str(apk), "--out", str(out), *extra])
    return result.exit_code, result.output


def test_add_learns_package_certificate_labels_icon(tmp_path: Path) -> None:
    out = tmp_path / "reg" / "brands.yaml"
    code, output = _add(out, "--id", "fixture_wallet", "--category", "investment")
    assert code == 0, output
    assert str(out) in output
    entry = yaml.safe_load(out.read_text(encoding="utf-8"))["brands"][0]
    assert entry["id"] == "fixture_wallet" and entry["category"] == "investment"
    assert entry["packages"] == ["com.chaincut.fixture.labels"]
    assert len(entry["certs"]) == 1 and len(entry["certs"][0]) == 64
    assert "Fixture Wallet" in entry["names"] and "夹具钱包" in entry["names"]
    assert (out.parent / entry["icons"][0]).is_file()
    brand = load_registry([out]).brands["fixture_wallet"]
    assert brand.icons and Path(brand.icons[0]).is_absolute()


def test_learned_brand_catches_a_modified_copy(tmp_path: Path) -> None:
    out = tmp_path / "brands.yaml"
    assert _add(out, "--id", "fixture_wallet", "--name", "夹具钱包")[0] == 0
    registry = load_registry([out])
    result = extract_file(Job(display=str(GENUINE), fspath=str(GENUINE)), keep_blobs=True)
    doc, blobs = result.document, result.blobs
    assert judge(doc, blobs, registry).genuine == "fixture_wallet"

    assert doc.apk is not None
    # the same app re-signed by someone else
    resigned = doc.apk.model_copy(
        update={"signing": doc.apk.signing.model_copy(update={"certificates": [], "signers": []})}
    )
    out_resigned = judge(doc.model_copy(update={"apk": resigned}), blobs, registry)
    assert out_resigned.impersonation is not None
    assert out_resigned.impersonation.brand == "fixture_wallet"
    assert any(s.kind == "certificate" for s in out_resigned.impersonation.signals)

    # a copy under another package, another key, a recoloured icon and a decorated label
    assert doc.apk.icon is not None and doc.apk.icon.best_sha256 is not None
    icon = Image.open(io.BytesIO(blobs[doc.apk.icon.best_sha256])).convert("RGBA")
    fake_icon = png(hue_shifted(icon))
    digest = hashlib.sha256(fake_icon).hexdigest()
    copy = resigned.model_copy(
        update={
            "package": "com.wallet.fixture.pro",
            "label": "Fixture Wallet Pro",
            "labels": {"default": "Fixture Wallet Pro"},
            "icon": doc.apk.icon.model_copy(update={"best_sha256": digest}),
        }
    )
    found = judge(doc.model_copy(update={"apk": copy}), {digest: fake_icon}, registry)
    assert found.impersonation is not None and found.impersonation.brand == "fixture_wallet"
    assert {"label", "icon"} <= {s.kind for s in found.impersonation.signals}


def test_add_updates_an_existing_entry(tmp_path: Path) -> None:
    out = tmp_path / "brands.yaml"
    assert _add(out, "--id", "icbc")[0] == 0  # starts from the default icbc entry
    assert _add(out, "--id", "icbc", "--category", "banking")[0] == 0
    entries = yaml.safe_load(out.read_text(encoding="utf-8"))["brands"]
    assert len(entries) == 1
    icbc = entries[0]
    assert icbc["names"][0] == "中国工商银行" and "icbc.com.cn" in icbc["domains"]
    assert icbc["packages"] == ["com.icbc", "com.chaincut.fixture.labels"]


def test_bad_input_leaves_the_file_untouched(tmp_path: Path) -> None:
    out = tmp_path / "brands.yaml"
    assert _add(out, "--id", "fixture_wallet")[0] == 0
    before = out.read_bytes()
    for args, apk in (
        (["--id", "x"], FIXTURES / "sample.dex"),
        (["--id", "Bad Id"], GENUINE),
        (["--id", "ok", "--category", "phishing"], GENUINE),
        (["--id", "ok"], tmp_path / "missing.apk"),
    ):
        code, output = _add(out, *args, apk=apk)
        assert code == 2, (args, output)
        assert "error" in output
    assert out.read_bytes() == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("brands: [\n", encoding="utf-8")
    code, output = _add(broken, "--id", "ok")
    assert code == 2 and broken.read_text(encoding="utf-8") == "brands: [\n"


def test_list(tmp_path: Path) -> None:
    out = tmp_path / "brands.yaml"
    assert _add(out, "--id", "fixture_wallet")[0] == 0
    result = runner.invoke(app, ["brands", "list", "--brands", str(out)])
    assert result.exit_code == 0
    assert "fixture_wallet\tother\tFixture Wallet" in result.output
    assert "icbc\tbanking\t中国工商银行" in result.output
    bad = runner.invoke(app, ["brands", "list", "--brands", str(tmp_path / "none.yaml")])
    assert bad.exit_code == 2
