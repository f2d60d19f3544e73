"""Brand impersonation: labels, icons, identifiers, domains, identity, combination."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from chaincut.detect.impersonation import confidence, judge
from chaincut.detect.impersonation.judge import claims
from chaincut.detect.impersonation.normalize import basic, pinyin, stripped
from chaincut.detect.score import icon_only, imitation_is_decisive
from chaincut.facts.ios import ConfigPayload, IpaFacts, MobileconfigFacts, ProvisionFacts
from chaincut.facts.models import (
    ApkFacts,
    CertificateFacts,
    FactsDocument,
    H5Page,
    IconFacts,
    SigningFacts,
)
from chaincut.facts.web import PageFacts, QrCode, QrFacts, UrlFacts
from chaincut.knowledge.brands import BrandRegistry, default_registry, load_registry
from chaincut.result.models import Signal
from tests.impersonation_synth import VARIANTS, brand_icon, png

ICBC_CERT = "ab" * 32
FOREIGN_CERT = "cd" * 32
ICBC_SEED = 7


def cert(sha: str, known_key: str | None = None) -> CertificateFacts:
    return CertificateFacts(
        sha256=sha,
        sha1="0" * 40,
        md5="0" * 32,
        subject="CN=x",
        issuer="CN=x",
        serial="1",
        not_before=None,
        not_after=None,
        self_signed=True,
        known_key=known_key,
    )


def signing(sha: str | None, verified: bool = True, known_key: str | None = None) -> SigningFacts:
    certs = [cert(sha, known_key)] if sha else []
    return SigningFacts(verified=verified and bool(sha), certificates=certs)


def apk_doc(
    label: str | None = None,
    package: str = "com.example.app",
    sha: str | None = FOREIGN_CERT,
    icon: bytes | None = None,
    **extra: object,
) -> tuple[FactsDocument, dict[str, bytes]]:
    blobs: dict[str, bytes] = {}
    icon_facts = None
    if icon is not None:
        digest = hashlib.sha256(icon).hexdigest()
        blobs[digest] = icon
        icon_facts = IconFacts(best="res/mipmap-xxhdpi/ic_launcher.png", best_sha256=digest)
    apk = ApkFacts(
        package=package,
        label=label,
        labels={"default": label} if label else {},
        icon=icon_facts,
        signing=signing(sha),
        **extra,  # type: ignore[arg-type]
    )
    return FactsDocument(sha256="0" * 64, path="x.apk", kind="apk", size=1, apk=apk), blobs


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> BrandRegistry:
    """The default registry, with icbc's certificate and a (synthetic) icon registered."""
    root: Path = tmp_path_factory.mktemp("registry")
    (root / "icons").mkdir()
    (root / "icons" / "icbc.png").write_bytes(png(brand_icon(ICBC_SEED)))
    (root / "brands.yaml").write_text(
        "brands:\n"
        "  - id: icbc\n"
        '    names: ["中国工商银行", "工商银行", "工行", "ICBC"]\n'
        "    category: banking\n"
        '    packages: ["com.icbc"]\n'
        f'    certs: ["{ICBC_CERT}"]\n'
        '    bundle_ids: ["com.icbc.iphoneclient"]\n'
        '    team_ids: ["ICBCTEAM01"]\n'
        '    domains: ["icbc.com.cn"]\n'
        '    icons: ["icons/icbc.png"]\n'
        '    tokens: ["icbc"]\n',
        encoding="utf-8",
    )
    return load_registry([root / "brands.yaml"])


def brand_of(doc: FactsDocument, blobs: dict[str, bytes], reg: BrandRegistry) -> str | None:
    found = judge(doc, blobs, reg).impersonation
    return found.brand if found else None


# --- labels -------------------------------------------------------------------------------


def test_normalisation_steps() -> None:
    assert stripped("工商銀行Pro") == "工商银行"
    assert stripped("ICBC 极速版 v5.2.1") == "icbc"
    assert stripped("工商银行理财 2024 🔥") == "工商银行"
    assert basic("ＩＣＢＣ") == "icbc" and basic("ІСВС") == "icbc"  # full-width, Cyrillic
    assert pinyin("工商銀行") == ("gongshangyinhang", "gsyh")


@pytest.mark.parametrize(
    "label",
    ["工商銀行Pro", "ICBC 极速版", "gongshang yinhang", "工商银行理财", "ＩＣＢＣ",
     "中国工商银行官方版", "GSYH", "工商银航", "ІСВС"],
)  # fmt: skip
def test_labels_that_name_icbc(label: str, registry: BrandRegistry) -> None:
    doc, blobs = apk_doc(label)
    found = judge(doc, blobs, registry).impersonation
    assert found is not None and found.brand == "icbc", label
    assert found.signals[0].kind == "label" and label in found.signals[0].detail


@pytest.mark.parametrize(
    ("label", "brand"),
    [("同花顺", "ths"), ("同花順 专业版", "ths"), ("京东金融", "jd_finance"),
     ("建设银行手机银行", "ccb"), ("國家反詐中心", "gjfzzx"), ("币安交易所", "binance"),
     ("MetaTrader 5", "metatrader")],
)  # fmt: skip
def test_labels_of_other_brands(label: str, brand: str, registry: BrandRegistry) -> None:
    doc, blobs = apk_doc(label)
    assert brand_of(doc, blobs, registry) == brand


@pytest.mark.parametrize(
    "label",
    ["同城旅行", "计算器", "银行", "理财", "手机银行", "Wallet", "加工行业", "农商银行",
     "招商证券通", "Zoomcar", "Fixture Wallet"],
)  # fmt: skip
def test_labels_that_name_no_brand(label: str, registry: BrandRegistry) -> None:
    doc, blobs = apk_doc(label)
    found = judge(doc, blobs, registry).impersonation
    assert found is None or (label == "招商证券通" and found.brand == "cmschina"), found


def test_tonghuashun_is_not_tongcheng(registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("同城旅行")
    assert brand_of(doc, blobs, registry) != "ths"


def test_one_character_off_with_the_icon_names_the_brand(registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("工高银行", icon=png(brand_icon(ICBC_SEED)))
    found = judge(doc, blobs, registry).impersonation
    assert found is not None and found.brand == "icbc"
    assert {s.kind for s in found.signals} >= {"label", "icon"}
    assert imitation_is_decisive(found) and not icon_only(found)


def test_one_character_off_alone_names_no_brand(registry: BrandRegistry) -> None:
    # 农商银行 is one character off 工商银行 too: the spelling alone is support only
    for label in ("工高银行", "农商银行"):
        doc, blobs = apk_doc(label, icon=png(brand_icon(101)))
        assert judge(doc, blobs, registry).impersonation is None, label


# --- icons ----------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_icon_variants_still_match(variant: str, registry: BrandRegistry) -> None:
    data = VARIANTS[variant](brand_icon(ICBC_SEED))
    doc, blobs = apk_doc("安全助手", icon=data)
    found = judge(doc, blobs, registry).impersonation
    assert found is not None and found.brand == "icbc", variant
    assert any(s.kind == "icon" for s in found.signals)


@pytest.mark.parametrize("seed", range(100, 112))
def test_unrelated_icons_do_not_match(seed: int, registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("安全助手", icon=png(brand_icon(seed)))
    assert judge(doc, blobs, registry).impersonation is None


def test_hostile_icons_are_ignored(registry: BrandRegistry) -> None:
    bomb = io.BytesIO()
    Image.new("1", (20000, 20000)).save(bomb, "PNG")  # tiny file, 400 M pixels
    for data in (b"\x89PNG\r\n\x1a\n garbage", bomb.getvalue(), b"", b"GIF89a\x00"):
        doc, blobs = apk_doc("安全助手", icon=data)
        assert judge(doc, blobs, registry).impersonation is None


# --- identity -------------------------------------------------------------------------------


def test_genuine_package_and_certificate(registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("工商银行", package="com.icbc", sha=ICBC_CERT)
    out = judge(doc, blobs, registry)
    assert out.genuine == "icbc" and out.impersonation is None


def test_official_package_with_foreign_certificate(registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("工商银行", package="com.icbc", sha=FOREIGN_CERT)
    out = judge(doc, blobs, registry)
    assert out.genuine is None and out.impersonation is not None
    assert out.impersonation.brand == "icbc"
    top = next(s for s in out.impersonation.signals if s.kind == "certificate")
    assert "com.icbc" in top.detail and top.score >= 0.95


def test_official_certificate_that_does_not_verify_is_repackaged(registry: BrandRegistry) -> None:
    doc, _ = apk_doc("工商银行", package="com.icbc", sha=ICBC_CERT)
    assert doc.apk is not None
    apk = doc.apk.model_copy(update={"signing": signing(ICBC_CERT, verified=False)})
    out = judge(doc.model_copy(update={"apk": apk}), {}, registry)
    assert out.genuine is None and out.impersonation is not None
    assert any("does not verify" in s.detail for s in out.impersonation.signals)


def test_unverifiable_official_app_is_not_flagged(registry: BrandRegistry) -> None:
    """No certificate registered for CCB or JD Finance: their own packages are not claimed,
    and 京东金融's label does not make it an impostor of 京东 either."""
    for label, package in (("中国建设银行", "com.chinamworld.main"), ("京东金融", "com.jd.jrapp")):
        doc, blobs = apk_doc(label, package=package)
        out = judge(doc, blobs, registry)
        assert out.impersonation is None and out.genuine is None, label
        assert out.unverified


def test_official_package_with_test_key_is_an_impostor(registry: BrandRegistry) -> None:
    doc, _ = apk_doc("中国建设银行", package="com.chinamworld.main")
    assert doc.apk is not None
    apk = doc.apk.model_copy(update={"signing": signing(FOREIGN_CERT, known_key="aosp_testkey")})
    out = judge(doc.model_copy(update={"apk": apk}), {}, registry)
    assert out.impersonation is not None and out.impersonation.brand == "ccb"
    assert any("aosp_testkey" in s.detail for s in out.impersonation.signals)


def test_package_borrowing_the_brand(registry: BrandRegistry) -> None:
    doc, blobs = apk_doc("ICBC 极速版", package="com.icbc.loan.xyz")
    found = judge(doc, blobs, registry).impersonation
    assert found is not None and {s.kind for s in found.signals} >= {"label", "package"}
    doc, blobs = apk_doc("计算器", package="com.icbc.loan.xyz")  # prefix alone is not enough
    assert judge(doc, blobs, registry).impersonation is None


def ipa_doc(bundle: str, team: str | None, distribution: str, name: str) -> FactsDocument:
    prov = ProvisionFacts(team_id=team, distribution=distribution)  # type: ignore[arg-type]
    ipa = IpaFacts(bundle_id=bundle, display_name=name, provision=prov)
    return FactsDocument(sha256="1" * 64, path="x.ipa", kind="ipa", size=1, ipa=ipa)


def test_ipa_identity(registry: BrandRegistry) -> None:
    genuine = judge(
        ipa_doc("com.icbc.iphoneclient", "ICBCTEAM01", "app_store", "工商银行"), {}, registry
    )
    assert genuine.genuine == "icbc"
    fake = judge(
        ipa_doc("com.icbc.iphoneclient", "FRAUD12345", "enterprise", "工商银行"), {}, registry
    )
    assert fake.impersonation is not None and fake.impersonation.brand == "icbc"
    assert any(s.kind == "certificate" for s in fake.impersonation.signals)
    lookalike = judge(ipa_doc("com.gsyh.app", "FRAUD12345", "enterprise", "工商銀行"), {}, registry)
    assert lookalike.impersonation is not None and lookalike.impersonation.brand == "icbc"


# --- web kinds ------------------------------------------------------------------------------


def test_web_clip_profile(registry: BrandRegistry) -> None:
    icon = png(brand_icon(ICBC_SEED))
    digest = hashlib.sha256(icon).hexdigest()
    clip = ConfigPayload(
        type="com.apple.webClip.managed",
        label="工商银行",
        url="https://icbc-kefu.top/app",
        icon=digest,
    )
    prof = MobileconfigFacts(payloads=[clip], web_clips=[clip.url or ""])
    doc = FactsDocument(sha256="2" * 64, path="p", kind="mobileconfig", size=1, mobileconfig=prof)
    found = judge(doc, {digest: icon}, registry).impersonation
    assert found is not None and found.brand == "icbc"
    assert {s.kind for s in found.signals} == {"label", "icon", "domain"}
    assert found.confidence >= 0.99


@pytest.mark.parametrize(
    ("host", "brand"),
    [("icbc.com.cn.login-verify.top", "icbc"), ("icbc-kefu.com", "icbc"), ("icbc.vip", "icbc"),
     ("1cbc.com.cn", "icbc"), ("gongshangyinhang.xyz", "icbc"), ("www.google.com", None),
     ("example.org", None)],
)  # fmt: skip
def test_url_domains(host: str, brand: str | None, registry: BrandRegistry) -> None:
    url = UrlFacts(url=f"https://{host}/", host=host)
    doc = FactsDocument(sha256="3" * 64, path=url.url, kind="url", size=0, url=url)
    assert brand_of(doc, {}, registry) == brand


def test_official_site_is_genuine(registry: BrandRegistry) -> None:
    page = PageFacts(url="https://www.icbc.com.cn/", title="中国工商银行", text="欢迎")
    doc = FactsDocument(sha256="4" * 64, path="p.html", kind="page", size=1, page=page)
    out = judge(doc, {}, registry)
    assert out.genuine == "icbc" and out.impersonation is None


def test_phishing_page_and_qr(registry: BrandRegistry) -> None:
    page = PageFacts(url="https://ccb-vip.top/", title="中国建设银行", text="登录网银")
    doc = FactsDocument(sha256="5" * 64, path="p.html", kind="page", size=1, page=page)
    assert brand_of(doc, {}, registry) == "ccb"
    qr = QrFacts(codes=[QrCode(payload="x", payload_kind="url", url="https://icbc.vip/dl")])
    doc = FactsDocument(sha256="6" * 64, path="q.png", kind="qr", size=1, qr=qr)
    assert brand_of(doc, {}, registry) == "icbc"


# --- combination ----------------------------------------------------------------------------


def test_mentions_alone_never_claim(registry: BrandRegistry) -> None:
    pages = [H5Page(entry="assets/index.html", title=None, text="中国工商银行 工商银行 快捷支付")]
    doc, blobs = apk_doc("快捷助手", h5_pages=pages, strings={"a": "支付宝 中国工商银行"})
    assert judge(doc, blobs, registry).impersonation is None


def test_confidence_is_noisy_or_of_best_per_kind() -> None:
    signals = [
        Signal(kind="label", score=0.9, detail=""),
        Signal(kind="label", score=0.5, detail=""),
        Signal(kind="icon", score=0.8, detail=""),
    ]
    assert confidence(signals) == pytest.approx(1 - 0.1 * 0.2)
    assert not claims([Signal(kind="text", score=0.45, detail="")])
    assert not claims([Signal(kind="package", score=0.55, detail="")])
    assert claims(
        [Signal(kind="package", score=0.5, detail=""), Signal(kind="domain", score=0.55, detail="")]
    )


def test_default_registry_is_rich() -> None:
    reg = default_registry()
    assert len(reg.brands) >= 60
    for brand_id in ("icbc", "ccb", "abc", "boc", "bocom", "psbc", "cmb", "htsc", "ths", "alipay",
                     "wechat", "unionpay", "taobao", "jd", "pinduoduo", "gjfzzx"):  # fmt: skip
        assert brand_id in reg.brands
    assert reg.by_package("com.hicorenational.antifraud").id == "gjfzzx"  # type: ignore[union-attr]
