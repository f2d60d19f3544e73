"""iOS artifacts of a world: IPAs with provisioning profiles, web-clip profiles, and the
itms-services manifests that install apps outside the App Store.

Super-signature platforms re-sign one IPA on an ad-hoc profile listing the victims'
device UDIDs (50-100 of them); enterprise distribution uses ``ProvisionsAllDevices``.
Profiles are CMS SignedData made with cryptography's PKCS#7 builder over plists, signed by
fake Apple-looking certificates (public test keys; they sign nothing real).
"""

from __future__ import annotations

import plistlib
import random
import struct
from collections.abc import Mapping
from datetime import datetime

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from chaincut.sim.keys import Signer, issued, signer
from chaincut.sim.zipw import ZipItem, write_zip

CREATED = datetime(2024, 6, 1, 12, 0, 0)
EXPIRES = datetime(2030, 6, 1, 12, 0, 0)  # fixed (deterministic) and not yet expired


def _plist(value: Mapping[str, object]) -> bytes:
    return plistlib.dumps(value, fmt=plistlib.FMT_XML, sort_keys=True)


def cms_signed(content: bytes, by: Signer) -> bytes:
    """Attached CMS SignedData over ``content`` (no signed attributes: deterministic)."""
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(by.cert, by.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.NoAttributes])
    )


def apple_signer() -> Signer:
    """A fake 'Apple iPhone OS Provisioning Profile Signing' certificate under a fake CA."""
    root = signer("fake-apple-root", "Apple Root CA", "Apple Inc.")
    return issued("fake-apple-pps", "Apple iPhone OS Provisioning Profile Signing",
                  "Apple Inc.", root)  # fmt: skip


def distribution_cert(team: str, team_name: str) -> Signer:
    """The team's 'iPhone Distribution' certificate (embedded in the profile)."""
    root = signer("fake-apple-wwdr", "Apple Worldwide Developer Relations CA", "Apple Inc.")
    return issued(f"ios-dist:{team}", f"iPhone Distribution: {team_name} ({team})", team_name,
                  root)  # fmt: skip


def macho(strings: list[str]) -> bytes:
    """A tiny thin arm64 Mach-O header followed by the binary's C strings."""
    header = struct.pack("<IiiIIIII", 0xFEEDFACF, 0x0100000C, 0, 2, 0, 0, 0, 0)
    return header + b"".join(s.encode() + b"\0" for s in strings)


def provisioning(team: str, bundle_id: str, rng: random.Random, enterprise: bool) -> bytes:
    """embedded.mobileprovision: ad-hoc (UDIDs) or enterprise (all devices)."""
    team_name = f"{rng.choice(['Shenzhen', 'Hangzhou', 'Xiamen'])} Tech Co., Ltd."
    dist = distribution_cert(team, team_name)
    body: dict[str, object] = {
        "AppIDName": bundle_id.rsplit(".", 1)[-1],
        "ApplicationIdentifierPrefix": [team],
        "CreationDate": CREATED,
        "DeveloperCertificates": [dist.cert_der],
        "Entitlements": {"application-identifier": f"{team}.{bundle_id}",
                         "com.apple.developer.team-identifier": team, "get-task-allow": False},
        "ExpirationDate": EXPIRES,
        "Name": f"{bundle_id} {'InHouse' if enterprise else 'AdHoc'}",
        "Platform": ["iOS"],
        "TeamIdentifier": [team],
        "TeamName": team_name,
        "UUID": f"{rng.getrandbits(128):032x}",
        "Version": 1,
    }  # fmt: skip
    if enterprise:
        body["ProvisionsAllDevices"] = True
    else:
        count = rng.randint(50, 100)
        body["ProvisionedDevices"] = [f"00008{rng.getrandbits(60):015X}" for _ in range(count)]
    return cms_signed(_plist(body), apple_signer())


def ipa(name: str, bundle_id: str, label: str, team: str, urls: list[str], icon: bytes,
        rng: random.Random, enterprise: bool = False) -> bytes:  # fmt: skip
    """Payload/<name>.app with Info.plist, executable, icon and embedded.mobileprovision."""
    app = f"Payload/{name}.app"
    info = {
        "CFBundleIdentifier": bundle_id, "CFBundleDisplayName": label, "CFBundleName": name,
        "CFBundleExecutable": name, "CFBundleShortVersionString": "1.0.2",
        "CFBundleVersion": "12", "MinimumOSVersion": "11.0",
        "CFBundleIcons": {"CFBundlePrimaryIcon": {"CFBundleIconFiles": ["AppIcon60x60"]}},
        "NSAppTransportSecurity": {"NSAllowsArbitraryLoads": True},
    }  # fmt: skip
    return write_zip([
        ZipItem(f"{app}/Info.plist", _plist(info)),
        ZipItem(f"{app}/{name}", macho(urls)),
        ZipItem(f"{app}/AppIcon60x60@2x.png", icon),
        ZipItem(f"{app}/embedded.mobileprovision", provisioning(team, bundle_id, rng, enterprise)),
    ])  # fmt: skip


def webclip(label: str, url: str, org: str, icon: bytes, rng: random.Random,
            signed_by: Signer | None) -> bytes:  # fmt: skip
    """A .mobileconfig putting a full-screen, unremovable web clip on the home screen."""
    ident = f"com.{org.lower().replace(' ', '')}.clip"
    clip = {
        "PayloadType": "com.apple.webClip.managed", "PayloadVersion": 1,
        "PayloadIdentifier": f"{ident}.webclip", "PayloadUUID": f"{rng.getrandbits(128):032X}",
        "Label": label, "URL": url, "Icon": icon, "FullScreen": True, "IsRemovable": False,
    }  # fmt: skip
    profile = {
        "PayloadType": "Configuration", "PayloadVersion": 1, "PayloadIdentifier": ident,
        "PayloadUUID": f"{rng.getrandbits(128):032X}", "PayloadDisplayName": label,
        "PayloadOrganization": org, "PayloadDescription": f"安装{label}描述文件",
        "PayloadContent": [clip],
    }  # fmt: skip
    raw = _plist(profile)
    return cms_signed(raw, signed_by) if signed_by else raw


def itms_manifest(bundle_id: str, title: str, ipa_url: str) -> bytes:
    """The plist an ``itms-services://?action=download-manifest`` link points at."""
    item = {
        "assets": [{"kind": "software-package", "url": ipa_url}],
        "metadata": {"bundle-identifier": bundle_id, "bundle-version": "1.0.2",
                     "kind": "software", "title": title},
    }  # fmt: skip
    return _plist({"items": [item]})
