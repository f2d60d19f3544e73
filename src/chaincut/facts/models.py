"""Frozen models of the facts document (../shared/interfaces.md section 5).

Field names listed in interfaces.md are a public contract: extend, never rename.
Readers build these once per file; nothing downstream mutates them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

Kind = Literal["apk", "dex", "ipa", "page", "url", "qr", "mobileconfig", "other"]


class Frozen(BaseModel):
    """Base for every facts model: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(Frozen):
    """Where a fact or anomaly was found, so an analyst can go and look."""

    entry: str | None = None  # ZIP entry name (or DEX name inside an APK)
    offset: int | None = None  # byte offset in the file or in the entry
    url: str | None = None


class Anomaly(Frozen):
    """A structural oddity. Codes are stable (see chaincut.facts.codes)."""

    code: str
    detail: str = ""
    location: Location | None = None


class Indicator(Frozen):
    """An observable that links artifacts: a URL, domain, IP, e-mail, phone, key..."""

    kind: str
    value: str
    location: Location | None = None
    # False for an unverified claim (a certificate whose signature does not verify):
    # evidence and a link key, weighed lower than a verified one; None when not applicable
    verified: bool | None = None
    # whose id it is, for ids of a service (an analytics site id: "baidu_tongji")
    provider: str | None = None

    @model_serializer(mode="wrap")
    def _claims_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return without_unset_claim(handler(self))


def without_unset_claim(data: dict[str, Any]) -> dict[str, Any]:
    """An indicator as written: ``verified`` only where it says something (a claim, or a
    verified key), ``provider`` only on keys of an SDK or builder, so documents of
    indicators they do not apply to stay as they were."""
    for optional in ("verified", "provider"):
        if optional in data and data[optional] is None:
            del data[optional]
    return data


class EntryFacts(Frozen):
    """One ZIP entry as the central directory describes it."""

    name: str
    size: int
    compressed_size: int
    method: int
    crc32: int


class CertificateFacts(Frozen):
    """An X.509 certificate, fingerprinted over its DER encoding."""

    sha256: str
    sha1: str
    md5: str
    subject: str
    issuer: str
    serial: str
    not_before: str | None
    not_after: str | None
    self_signed: bool
    key_type: str | None = None
    key_bits: int | None = None
    signature_algorithm: str | None = None
    known_key: str | None = None  # e.g. "aosp_testkey", "android_debug"
    # APK signing: True when a signer that verified carries it and the APK verifies; False
    # for a claimed certificate (broken, unsupported or ignored signer, or an APK that
    # does not verify), with the reason; None when verification was not run.
    verified: bool | None = None
    reason: str = ""


class SignerFacts(Frozen):
    """One signer of one signature scheme, with its verification outcome."""

    scheme: Literal["v1", "v2", "v3", "v31", "v4", "stamp"]
    certificates: list[str] = Field(default_factory=list)  # sha256 of each cert, chain order
    min_sdk: int | None = None
    max_sdk: int | None = None
    lineage: list[str] = Field(default_factory=list)  # sha256, oldest first (v3 rotation)
    verified: bool | None = None
    reason: str = ""
    digest_algorithms: list[str] = Field(default_factory=list)
    name: str | None = None  # v1 signature file name, e.g. META-INF/CERT.RSA


class SigningBlockEntry(Frozen):
    """A pair in the APK Signing Block, kept even when its ID is unknown."""

    id: str  # hex, e.g. "0x7109871a"
    name: str
    size: int


class SigningFacts(Frozen):
    """Everything about how the package was signed and whether it verifies."""

    schemes: dict[str, bool] = Field(
        default_factory=lambda: {"v1": False, "v2": False, "v3": False, "v31": False}
    )
    verified: bool = False
    reason: str = ""
    certificates: list[CertificateFacts] = Field(default_factory=list)
    signers: list[SignerFacts] = Field(default_factory=list)
    blocks: list[SigningBlockEntry] = Field(default_factory=list)
    source_stamp: bool = False
    v4_idsig: bool = False


class IntentFilter(Frozen):
    actions: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    schemes: list[str] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    mime_types: list[str] = Field(default_factory=list)
    auto_verify: bool = False


class Component(Frozen):
    kind: Literal["activity", "activity-alias", "service", "receiver", "provider"]
    name: str
    exported: bool | None = None  # None: not set; Android's default then depends on filters
    effectively_exported: bool = False
    enabled: bool = True
    permission: str | None = None
    target_activity: str | None = None
    authorities: str | None = None
    intent_filters: list[IntentFilter] = Field(default_factory=list)


class MetaData(Frozen):
    name: str
    value: str | None
    resource: str | None = None  # "@0x7f0a0001" when android:resource was used
    component: str | None = None  # None at application level


class IconFile(Frozen):
    entry: str
    config: str  # e.g. "xxhdpi", "anydpi-v26"
    density: int | None = None
    kind: Literal["bitmap", "adaptive", "xml", "other"] = "bitmap"
    sha256: str | None = None
    size: int | None = None


class IconFacts(Frozen):
    resource: str | None = None  # "0x7f030000" as referenced by the manifest
    name: str | None = None  # "mipmap/ic_launcher"
    files: list[IconFile] = Field(default_factory=list)
    best: str | None = None  # entry of the best bitmap
    best_sha256: str | None = None
    adaptive_foreground: str | None = None


class DexFacts(Frozen):
    name: str
    size: int = 0
    version: str | None = None
    strings: int = 0
    types: int = 0
    classes: int = 0
    methods: int = 0
    fields: int = 0
    checksum_ok: bool | None = None
    packages: list[str] = Field(default_factory=list)  # packages of defined classes (bounded)
    api_refs: list[str] = Field(default_factory=list)  # framework methods referenced (bounded)


class H5Page(Frozen):
    """Visible wording of one H5 page bundled in the APK (WebView shells keep theirs there)."""

    entry: str  # ZIP entry name
    title: str | None = None
    text: str = ""  # visible text, bounded


class EmbeddedConfig(Frozen):
    """A builder's configuration file inside the APK and the values read from it (app id,
    name, start URL, version, server URL): where WebView shells keep the site they load."""

    entry: str  # ZIP entry name
    builder: str | None = None  # knowledge-base builder id whose config this is
    values: dict[str, str] = Field(default_factory=dict)


class SplitFacts(Frozen):
    """One APK of a split or bundle package (the base, a configuration or a feature split),
    or one module of an App Bundle."""

    entry: str  # path inside the bundle, e.g. "config.arm64_v8a.apk" or "base/" (AAB module)
    name: str | None = None  # the manifest's split="..." name; None for the base
    kind: Literal["base", "abi", "density", "language", "feature", "other"] = "other"
    config: str | None = None  # "arm64_v8a", "xxhdpi", "zh": what a config split serves
    feature: str | None = None  # the feature module a split belongs to, if not the base
    package: str | None = None
    version_code: int | None = None
    sha256: str | None = None  # of the split APK's bytes (None for an AAB module)
    size: int = 0
    is_feature_split: bool = False
    config_for_split: str | None = None
    split_required: bool | None = None  # android:isSplitRequired (on the base)
    required_split_types: list[str] = Field(default_factory=list)
    split_types: list[str] = Field(default_factory=list)
    permissions: list[str] = Field(default_factory=list)  # its own manifest's
    components: int = 0
    native_libs: list[str] = Field(default_factory=list)
    dex: int = 0
    signing: SigningFacts | None = None


class BundleFacts(Frozen):
    """How a split/bundle package travels (XAPK, APKS, APKM, AAB) and what each part holds.

    The enclosing ApkFacts is the app as Android would install it: the base manifest, with
    the components of the other splits added; see docs/bundles.md.
    """

    format: Literal["xapk", "apks", "apkm", "aab"]
    splits: list[SplitFacts] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)  # manifest.json / info.json scalars
    encrypted: bool = False  # APKM whose APKs are encrypted: nothing inside could be read
    obb: list[str] = Field(default_factory=list)  # expansion files carried beside the APKs


class ApkFacts(Frozen):
    package: str | None = None
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    max_sdk: int | None = None
    compile_sdk: int | None = None
    label: str | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    application: str | None = None
    debuggable: bool = False
    allow_backup: bool | None = None
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    permissions: list[str] = Field(default_factory=list)
    declared_permissions: list[dict[str, str]] = Field(default_factory=list)
    main_activity: str | None = None
    components: list[Component] = Field(default_factory=list)
    meta_data: dict[str, str] = Field(default_factory=dict)
    meta_data_entries: list[MetaData] = Field(default_factory=list)
    icon: IconFacts | None = None
    strings: dict[str, str] = Field(default_factory=dict)  # default-config string resources
    localized_strings: dict[str, dict[str, str]] = Field(default_factory=dict)
    signing: SigningFacts = Field(default_factory=SigningFacts)
    dex: list[DexFacts] = Field(default_factory=list)
    native_libs: list[str] = Field(default_factory=list)
    abis: list[str] = Field(default_factory=list)
    entries: list[EntryFacts] = Field(default_factory=list)
    h5_pages: list[H5Page] = Field(default_factory=list)  # assets/**.html and uni-app views
    embedded_configs: list[EmbeddedConfig] = Field(default_factory=list)  # builder configs
    bundle: BundleFacts | None = None  # set when the input is an XAPK/APKS/APKM/AAB


class FactsDocument(Frozen):
    """One per input file, whatever happened while reading it."""

    sha256: str
    path: str
    kind: Kind
    size: int
    format: str = "unknown"  # what the content is: zip, dex, pe, elf, ...
    apk: ApkFacts | None = None
    dex: DexFacts | None = None  # a DEX file given directly
    ipa: IpaFacts | None = None
    mobileconfig: MobileconfigFacts | None = None
    itms_manifest: ItmsManifestFacts | None = None
    page: PageFacts | None = None
    url: UrlFacts | None = None
    qr: QrFacts | None = None
    fetch: FetchFacts | None = None  # set when the artifact was downloaded with --fetch
    indicators: list[Indicator] = Field(default_factory=list)
    anomalies: list[Anomaly] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    extractor: str = ""  # chaincut version that produced this document
    elapsed_ms: float | None = None


from chaincut.facts.ios import IpaFacts, ItmsManifestFacts, MobileconfigFacts  # noqa: E402
from chaincut.facts.web import FetchFacts, PageFacts, QrFacts, UrlFacts  # noqa: E402

FactsDocument.model_rebuild()
