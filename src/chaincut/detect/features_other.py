"""Features every artifact has (kind, anomalies, indicators), and those of iOS
distribution artifacts, links, landing pages and QR codes."""

from __future__ import annotations

import functools
import re

from chaincut.detect.features import FeatureSet
from chaincut.extractors.url.analyse import analyse_url
from chaincut.facts.models import FactsDocument, Location
from chaincut.facts.web import UrlFacts
from chaincut.knowledge.kb import KnowledgeBase, public_address
from chaincut.knowledge.platforms import platform_for
from chaincut.knowledge.suffixes import is_risky_suffix

URL_MEMO = 4096


@functools.lru_cache(maxsize=URL_MEMO)
def url_facts(url: str) -> UrlFacts:
    """``analyse_url`` once per URL: a link recurs in an artifact's features and its
    indicators, and across artifacts (an app, its page, its QR code). The facts are
    frozen and only read here."""
    return analyse_url(url)


IP_HOST = re.compile(
    r"^[a-z][a-z0-9+.-]*://(?:[^/@]*@)?(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-f:]+\])", re.I
)
PUNY_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^/@]*@)?(?:[^/:]*\.)?xn--", re.I)
DOWNLOAD_SUFFIXES = {".apk": "apk", ".ipa": "ipa", ".mobileconfig": "mobileconfig"}


def common_features(doc: FactsDocument, kb: KnowledgeBase, fs: FeatureSet) -> None:
    """Artifact kind, format, size, anomaly codes and indicators (common ones apart).

    A URL naming its server by a public IP address is also ``server.ip_url``, common or
    not: an address shared by many apps is no link between them, but an app that talks
    to a server by bare address is still doing so."""
    fs.add("artifact.kind", doc.kind)
    fs.add("format", doc.format)
    fs.add("size", doc.size)
    for a in doc.anomalies:
        fs.add("anomaly", a.code, a.location)
    for ind in doc.indicators:
        if ind.kind == "url" and server_address(ind.value, kb):
            fs.add("server.ip_url", ind.value, ind.location)
        if kb.is_common(ind.kind, ind.value):
            fs.add("indicator.common", ind.kind, ind.location)
        else:
            fs.add(f"indicator.{ind.kind}", ind.value, ind.location)
            if ind.kind == "domain":
                _platform(ind.value, fs, ind.location)


def server_address(url: str, kb: KnowledgeBase) -> bool:
    """Whether ``url`` names its server by an IP address outside the phone's own network
    (private, loopback, link-local, multicast and unspecified addresses are not servers
    of a back end; nor are the well-known public resolvers the knowledge lists)."""
    m = IP_HOST.match(url)
    if m is None:
        return False
    address = m.group(1)
    return public_address(address) and not kb.common_ip(address)


def _platform(host: str, fs: FeatureSet, where: Location | None) -> None:
    """The link platform (shortener, distribution site, free hosting...) serving ``host``."""
    platform = platform_for(host.lower())
    if platform is not None:
        fs.add("link.platform", platform.id, where)
        fs.add("link.platform_kind", platform.kind, where)


def ios_features(doc: FactsDocument, fs: FeatureSet) -> None:
    if doc.ipa is not None:
        ipa = doc.ipa
        # in a fixed order (display name, name, localised names): a set's order follows
        # PYTHONHASHSEED, and rule details list these values in the order added
        for name in dict.fromkeys([ipa.display_name, ipa.name, *ipa.localized_names.values()]):
            if name:
                fs.add("label", name)
                fs.add("string", name)
        if ipa.bundle_id:
            fs.add("ios.bundle_id", ipa.bundle_id)
        for fw in ipa.frameworks:
            fs.add("ios.framework", fw)
        for scheme in ipa.url_schemes:
            fs.add("ios.url_scheme", scheme)
        for key in ipa.usage_descriptions:
            fs.add("ios.usage", key)
        fs.add("ios.ats_arbitrary_loads", ipa.ats_arbitrary_loads)
        prov = ipa.provision
        if prov is not None:
            fs.add("ios.distribution", prov.distribution)
            fs.add("ios.device_count", prov.device_count)
            fs.add("ios.all_devices", prov.provisions_all_devices)
            if prov.team_id:
                fs.add("ios.team_id", prov.team_id)
    _mobileconfig(doc, fs)
    if doc.itms_manifest is not None:
        itms = doc.itms_manifest
        if itms.bundle_id:
            fs.add("ios.bundle_id", itms.bundle_id)
        if itms.title:
            fs.add("label", itms.title)
        for url in itms.ipa_urls:
            fs.add("itms.ipa_url", url, Location(url=url))
            _link(url, fs)


def _mobileconfig(doc: FactsDocument, fs: FeatureSet) -> None:
    mc = doc.mobileconfig
    if mc is None:
        return
    fs.add("profile.signed", mc.signed)
    if mc.removal_disallowed is not None:
        fs.add("profile.removal_disallowed", mc.removal_disallowed)
    if mc.display_name:
        fs.add("label", mc.display_name)
    for p in mc.payloads:
        fs.add("profile.payload_type", p.type)
        if p.dangerous:
            fs.add("profile.dangerous", p.type)
        if p.label:
            fs.add("label", p.label)
    for url in mc.web_clips:
        fs.add("profile.web_clip", url, Location(url=url))
        _link(url, fs)
    if mc.udid_service:
        fs.add("profile.udid_service", mc.udid_service, Location(url=mc.udid_service))
        _link(mc.udid_service, fs)


def _link(url: str, fs: FeatureSet) -> None:
    """Cheap URL traits for links that have no UrlFacts of their own (page/QR links)."""
    where = Location(url=url)
    if IP_HOST.match(url):
        fs.add("url.ip_host", True, where)
    if PUNY_HOST.match(url):
        fs.add("url.punycode", True, where)


def _url(u: UrlFacts, fs: FeatureSet) -> None:
    where = Location(url=u.url)
    if u.shortener:
        fs.add("url.shortener", u.shortener, where)
    if u.platform:
        fs.add("url.platform", u.platform, where)
    if u.platform_kind:
        fs.add("url.platform_kind", u.platform_kind, where)
    fs.add("url.ip_host", u.ip is not None, where)
    fs.add("url.punycode", u.punycode, where)
    fs.add("url.mixed_scripts", u.mixed_scripts, where)
    fs.add("url.userinfo", u.userinfo, where)
    fs.add("url.link_kind", u.link_kind, where)
    if u.suffix:
        fs.add("url.suffix", u.suffix, where)
    fs.add("url.risky_suffix", is_risky_suffix(u.suffix) and u.ip is None, where)
    for token in u.brand_tokens:
        fs.add("url.brand_token", token, where)


def _download_kind(url: str) -> str:
    low = url.lower().split("?", 1)[0]
    if low.startswith("itms-services:"):
        return "itms_services"
    for suffix, kind in DOWNLOAD_SUFFIXES.items():
        if low.endswith(suffix):
            return kind
    return "testflight" if "testflight.apple.com" in low else "other"


def web_features(doc: FactsDocument, fs: FeatureSet) -> None:
    if doc.url is not None:
        _url(doc.url, fs)
    if doc.page is not None:
        page = doc.page
        kinds = {link.url: link.kind for link in page.links}
        for url in page.downloads:
            fs.add("page.download", kinds.get(url) or _download_kind(url), Location(url=url))
            _link(url, fs)
        for url in page.redirects:
            fs.add("page.redirect", url, Location(url=url))
            _link(url, fs)
        for hint in page.ua_branching:
            fs.add("page.ua_branching", hint)
        fs.add("page.wechat_block", page.wechat_block)
        for link in page.links:
            if link.hidden:
                fs.add("page.hidden_link", link.hidden, Location(url=link.url))
        for brand in page.brands:
            fs.add("page.brand", brand)
        if page.title:
            fs.add("string", page.title)
        if page.text:
            fs.add("string", page.text[:4096])
        for qr in page.qr_codes:
            fs.add("qr.payload_kind", qr.payload_kind)
    if doc.qr is not None:
        for code in doc.qr.codes:
            fs.add("qr.payload_kind", code.payload_kind)
            if code.url:
                # a QR code is a link the victim cannot read: judge it as that link
                _url(url_facts(code.url), fs)
