"""Frozen facts of iOS distribution artifacts: IPA, provisioning profile, .mobileconfig,
itms-services manifest.

Fraud apps reach iPhones outside the App Store, through enterprise or ad-hoc
("super signature") provisioning profiles, TestFlight and web clips; these models keep
what tells those channels apart (distribution type, device count, team, payload types).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chaincut.facts.models import CertificateFacts, Frozen

Distribution = Literal["enterprise", "ad_hoc", "development", "app_store", "unknown"]


class ProvisionFacts(Frozen):
    """An embedded.mobileprovision (a CMS-signed plist)."""

    name: str | None = None  # Name
    uuid: str | None = None
    team_id: str | None = None  # TeamIdentifier[0]
    team_name: str | None = None
    app_id_name: str | None = None  # AppIDName
    application_identifier: str | None = None  # entitlements application-identifier
    app_id_prefix: list[str] = Field(default_factory=list)  # ApplicationIdentifierPrefix
    platforms: list[str] = Field(default_factory=list)
    creation_date: str | None = None  # ISO 8601
    expiration_date: str | None = None
    distribution: Distribution = "unknown"
    provisions_all_devices: bool = False
    device_count: int = 0  # len(ProvisionedDevices)
    get_task_allow: bool | None = None
    aps_environment: str | None = None
    entitlements: dict[str, str] = Field(default_factory=dict)  # key -> compact JSON value
    certificates: list[CertificateFacts] = Field(default_factory=list)  # DeveloperCertificates
    signer: CertificateFacts | None = None  # CMS signer (Apple, for a genuine profile)
    cms_signed: bool = False
    signature_valid: bool | None = None  # CMS digest and signature check (None: not judged)


class IpaFacts(Frozen):
    """An iOS app archive (Payload/X.app)."""

    app_dir: str | None = None  # "Payload/Foo.app"
    bundle_id: str | None = None
    display_name: str | None = None  # CFBundleDisplayName, else CFBundleName
    name: str | None = None  # CFBundleName
    localized_names: dict[str, str] = Field(default_factory=dict)  # lproj -> display name
    version: str | None = None  # CFBundleShortVersionString
    build: str | None = None  # CFBundleVersion
    executable: str | None = None  # CFBundleExecutable
    minimum_os: str | None = None
    url_schemes: list[str] = Field(default_factory=list)
    queried_schemes: list[str] = Field(default_factory=list)  # LSApplicationQueriesSchemes
    ats_arbitrary_loads: bool = False
    ats_exception_domains: list[str] = Field(default_factory=list)
    usage_descriptions: dict[str, str] = Field(default_factory=dict)  # NS*UsageDescription
    frameworks: list[str] = Field(default_factory=list)  # names under Frameworks/
    plugins: list[str] = Field(default_factory=list)  # PlugIns/*.appex
    bundle_files: list[str] = Field(default_factory=list)  # notable top-level resources (bounded)
    icon_files: list[str] = Field(default_factory=list)
    icon: str | None = None  # sha256 of the chosen icon blob
    icon_crushed: bool | None = None  # the icon is Xcode's "CgBI" PNG (not decodable as-is)
    executable_size: int | None = None
    encrypted: bool | None = None  # LC_ENCRYPTION_INFO cryptid != 0 (App Store FairPlay)
    provision: ProvisionFacts | None = None
    code_signature: bool = False  # _CodeSignature/CodeResources present
    info_plist_format: Literal["xml", "binary", "missing", "invalid"] = "missing"


class ConfigPayload(Frozen):
    """One PayloadContent entry of a configuration profile."""

    type: str  # PayloadType, e.g. com.apple.webClip.managed
    identifier: str | None = None
    display_name: str | None = None
    uuid: str | None = None
    dangerous: bool = False  # root CA, VPN, proxy, DNS, MDM, ...
    risk: str = ""  # why it is dangerous, in words
    # web clip
    url: str | None = None
    label: str | None = None
    full_screen: bool | None = None
    is_removable: bool | None = None
    icon: str | None = None  # sha256 of the icon blob
    # certificates
    certificate: CertificateFacts | None = None
    # VPN / proxy / DNS / MDM: server-like settings
    servers: list[str] = Field(default_factory=list)


class MobileconfigFacts(Frozen):
    """An iOS configuration profile (.mobileconfig), plain or CMS-signed."""

    signed: bool = False
    signer: CertificateFacts | None = None
    signer_chain: list[CertificateFacts] = Field(default_factory=list)
    signature_valid: bool | None = None  # content digest matches the signed attributes
    display_name: str | None = None
    identifier: str | None = None
    organization: str | None = None
    description: str | None = None
    uuid: str | None = None
    profile_type: str | None = None  # PayloadType of the outer profile
    removal_disallowed: bool | None = None
    payloads: list[ConfigPayload] = Field(default_factory=list)
    web_clips: list[str] = Field(default_factory=list)  # URLs, convenience
    dangerous_payloads: list[str] = Field(default_factory=list)  # payload types
    # a "Profile Service" profile: the phone posts the attributes it names (UDID, IMEI, ...)
    # to this URL, the first step of ad-hoc "super signature" signing
    udid_service: str | None = None
    device_attributes: list[str] = Field(default_factory=list)


class ItmsAsset(Frozen):
    kind: str  # software-package, display-image, full-size-image
    url: str


class ItmsManifestFacts(Frozen):
    """The plist behind itms-services://?action=download-manifest&url=..."""

    bundle_id: str | None = None
    bundle_version: str | None = None
    title: str | None = None
    subtitle: str | None = None
    kind: str | None = None  # metadata kind, "software"
    ipa_urls: list[str] = Field(default_factory=list)
    assets: list[ItmsAsset] = Field(default_factory=list)
