"""What each kind of artifact shows its victim, gathered from the facts document.

One shape for every kind, so the matchers do not care whether a label came from an APK
manifest, an IPA's Info.plist, a web clip or a page title:

* ``labels``: names shown to the user (app labels per locale, display names, web clip
  labels, page titles, profile names);
* ``icons``: icon bytes (the blobs the extractor kept, by sha256);
* ``packages`` / ``bundle_ids``: identifiers;
* ``hosts``: hosts of the artifact's own URL(s), with the URL helper's confusable skeleton;
* ``texts``: longer wording (H5 pages, string resources, page text), for mentions;
* ``mentions``: brand ids or tokens an extractor already recognised.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from chaincut.detect.impersonation.domains import host_of
from chaincut.facts.models import FactsDocument

MAX_LABELS = 16
MAX_TEXT = 64 * 1024  # characters of wording searched for brand mentions
LABEL_STRINGS = ("app_name", "application_name", "title", "app_title")


@dataclass(frozen=True, slots=True)
class Host:
    host: str
    skeleton: str | None
    where: str


@dataclass(slots=True)
class Clues:
    labels: list[tuple[str, str]] = field(default_factory=list)  # (text, where)
    icons: list[tuple[bytes, str]] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    bundle_ids: list[str] = field(default_factory=list)
    hosts: list[Host] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (id or token, where)

    def label(self, text: str | None, where: str) -> None:
        fresh = text and text.strip() and all(text.strip() != t for t, _ in self.labels)
        if fresh and text and len(self.labels) < MAX_LABELS:
            self.labels.append((text.strip(), where))

    def icon(self, blobs: Mapping[str, bytes], sha: str | None, where: str) -> None:
        if sha and sha in blobs:
            self.icons.append((blobs[sha], where))

    def url(self, url: str | None, where: str, skeleton: str | None = None) -> None:
        host = host_of(url) if url else None
        if host and all(h.host != host for h in self.hosts):
            self.hosts.append(Host(host, skeleton, where))


def _apk(doc: FactsDocument, blobs: Mapping[str, bytes], out: Clues) -> None:
    apk = doc.apk
    if apk is None:
        return
    out.label(apk.label, "app label")
    for locale, text in apk.labels.items():
        out.label(text, f"app label ({locale})")
    for key in LABEL_STRINGS:
        out.label(apk.strings.get(key), f"string resource '{key}'")
    if apk.icon is not None:
        out.icon(blobs, apk.icon.best_sha256, f"launcher icon {apk.icon.best or ''}".strip())
    if apk.package:
        out.packages.append(apk.package)
    for page in apk.h5_pages:
        out.label(page.title, f"H5 page title ({page.entry})")
        out.texts.append((page.text, f"H5 page {page.entry}"))
    strings = "\n".join(apk.strings.values())
    for table in apk.localized_strings.values():
        strings += "\n" + "\n".join(table.values())
    out.texts.append((strings[:MAX_TEXT], "string resources"))


def _ipa(doc: FactsDocument, blobs: Mapping[str, bytes], out: Clues) -> None:
    ipa = doc.ipa
    if ipa is not None:
        out.label(ipa.display_name, "display name")
        out.label(ipa.name, "bundle name")
        for lproj, text in ipa.localized_names.items():
            out.label(text, f"display name ({lproj})")
        out.icon(blobs, ipa.icon, "app icon")
        if ipa.bundle_id:
            out.bundle_ids.append(ipa.bundle_id)
        if ipa.provision is not None:
            out.label(ipa.provision.app_id_name, "provisioning profile app name")
    itms = doc.itms_manifest
    if itms is not None:
        out.label(itms.title, "install manifest title")
        if itms.bundle_id:
            out.bundle_ids.append(itms.bundle_id)
        for url in itms.ipa_urls:
            out.url(url, "install manifest IPA URL")


def _profile(doc: FactsDocument, blobs: Mapping[str, bytes], out: Clues) -> None:
    prof = doc.mobileconfig
    if prof is None:
        return
    out.label(prof.display_name, "profile name")
    out.label(prof.organization, "profile organisation")
    for payload in prof.payloads:
        out.label(payload.label, "web clip label")
        out.icon(blobs, payload.icon, "web clip icon")
        out.url(payload.url, "web clip URL")
    if prof.description:
        out.texts.append((prof.description, "profile description"))


def _web(doc: FactsDocument, out: Clues) -> None:
    if doc.url is not None:
        u = doc.url
        out.url(u.host or u.url, "URL", u.skeleton)
        out.mentions.extend((t, "URL") for t in u.brand_tokens)
    if doc.page is not None:
        page = doc.page
        out.label(page.title, "page title")
        out.url(page.url, "page URL")
        for link in page.downloads[:8]:
            out.url(link, "download link")
        out.texts.append((page.text[:MAX_TEXT], "page text"))
        out.mentions.extend((b, "page text") for b in page.brands)
    if doc.qr is not None:
        for code in doc.qr.codes:
            out.url(code.url, "QR code URL")
    if doc.fetch is not None:
        out.url(doc.fetch.final_url, "final URL after redirects")


def gather(doc: FactsDocument, blobs: Mapping[str, bytes]) -> Clues:
    """Every clue of ``doc``, whatever its kind."""
    out = Clues()
    _apk(doc, blobs, out)
    _ipa(doc, blobs, out)
    _profile(doc, blobs, out)
    _web(doc, out)
    return out
