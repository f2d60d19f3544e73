"""Frozen facts of the things victims are sent: links, landing pages and QR images.

Investigators and the public often hold nothing but a link or a screenshot of a QR
code; these models keep what leads from it to the app (download links, redirects,
manifests, profiles) and what marks it (brand tokens, shorteners, hosting platforms).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chaincut.facts.models import Frozen

LinkKind = Literal[
    "apk",
    "ipa",
    "itms_services",
    "mobileconfig",
    "testflight",
    "app_store",
    "play_store",
    "android_market",  # other Android stores
    "page",
    "image",
    "script",
    "other",
]


class UrlFacts(Frozen):
    """One URL, taken apart offline (no network)."""

    url: str  # as given
    normalized: str | None = None
    scheme: str | None = None
    host: str | None = None  # lower-case, punycode (ASCII) form
    host_unicode: str | None = None  # IDN decoded, when different
    skeleton: str | None = None  # confusable skeleton of the Unicode host (UTS #39 style)
    registrable_domain: str | None = None  # eTLD+1 from the bundled public suffix list
    subdomain: str | None = None
    suffix: str | None = None
    ip: str | None = None  # when the host is an IP literal
    ip_private: bool | None = None
    port: int | None = None
    path: str = ""
    query: str = ""
    fragment: str = ""
    userinfo: bool = False  # user:pass@ present (a classic disguise)
    punycode: bool = False
    mixed_scripts: bool = False
    brand_tokens: list[str] = Field(default_factory=list)  # brand names/ids seen in host or path
    shortener: str | None = None  # name of the shortening service
    platform: str | None = None  # known distribution / free-hosting platform name
    platform_kind: str | None = None  # "distribution", "free_hosting", "super_signature", ...
    link_kind: LinkKind = "page"  # what the URL points to, judged from its form
    itms_manifest_url: str | None = None  # for itms-services:// links


class PageLink(Frozen):
    """A link found in a page, with how it was found."""

    url: str  # absolute when it could be resolved against the page URL
    kind: LinkKind
    source: str  # "a", "meta_refresh", "js_location", "js_href", "js_decoded", "data_attr",
    # "script_src", "img", "iframe", "form", "text"
    text: str | None = None  # anchor text / alt
    line: int | None = None
    hidden: str | None = None  # how a script hid it: "base64", "percent", "char codes", "reversed"


class PageQr(Frozen):
    """A QR code found in an image the page embeds (data: URI or a local file)."""

    image: str  # "data:" or the src
    payload: str
    payload_kind: str


class PageFacts(Frozen):
    """A saved or fetched HTML landing page. JavaScript is read as text, never run."""

    url: str | None = None  # where it was fetched from, when known
    origins: list[str] = Field(default_factory=list)  # where it says it is from: saved-from
    # comment, canonical link, og:url (claims: the judge checks them against the links)
    title: str | None = None
    text: str = ""  # visible text, bounded
    text_truncated: bool = False
    language: str | None = None
    charset: str | None = None
    brands: list[str] = Field(default_factory=list)  # brand ids whose names appear
    links: list[PageLink] = Field(default_factory=list)
    downloads: list[str] = Field(default_factory=list)  # apk/ipa/itms/mobileconfig/testflight URLs
    redirects: list[str] = Field(default_factory=list)  # meta refresh and JS redirect targets
    qr_codes: list[PageQr] = Field(default_factory=list)
    ua_branching: list[str] = Field(default_factory=list)  # "navigator.userAgent tests iPhone"
    wechat_block: bool = False  # "open in browser" overlays for WeChat/QQ in-app browsers
    forms: list[str] = Field(default_factory=list)  # form action URLs
    scripts: list[str] = Field(default_factory=list)  # external script URLs
    images: int = 0


class QrCode(Frozen):
    payload: str  # text; binary payloads are hex-prefixed "hex:"
    payload_kind: Literal[
        "url", "itms_services", "payment", "chat", "wifi", "text", "binary", "other"
    ]
    scheme: str | None = None
    format: str = "QRCode"  # zxing barcode format
    position: list[int] = Field(default_factory=list)  # x1,y1,...,x4,y4
    url: str | None = None  # the URL to analyse further, when there is one


class QrFacts(Frozen):
    """A photo or screenshot holding barcodes."""

    image_format: str | None = None  # PNG, JPEG, WEBP, GIF, BMP
    width: int | None = None
    height: int | None = None
    codes: list[QrCode] = Field(default_factory=list)


class FetchHop(Frozen):
    url: str
    status: int | None = None
    content_type: str | None = None
    location: str | None = None
    ip: str | None = None  # address actually connected to
    error: str | None = None


class FetchFacts(Frozen):
    """How a fetched artifact was obtained (``--fetch``)."""

    requested: str
    final_url: str | None = None
    chain: list[FetchHop] = Field(default_factory=list)
    user_agent: str | None = None
    content_type: str | None = None
    size: int | None = None
    truncated: bool = False
    parent: str | None = None  # sha256 of the artifact this was found in
    parent_link: str | None = None  # the link followed
