"""Anomaly codes of the iOS readers: IPA, provisioning profile, .mobileconfig, itms manifest.

Fraud apps for iPhones travel outside the App Store; what these codes flag (expired or
mismatched profiles, several apps in one archive, unsigned or odd configuration profiles)
is what a genuine Xcode/App Store pipeline never produces.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "ipa_no_app_dir": "Payload/ holds no X.app directory; nothing on an iPhone would install",
    "ipa_multiple_apps": "Payload/ holds several .app directories; the first with Info.plist wins",
    "ipa_info_plist_missing": "the app directory has no Info.plist (iOS refuses to install it)",
    "ipa_info_plist_not_dict": "Info.plist's root is not a dictionary",
    "ipa_bundle_id_mismatch": "the profile's application-identifier does not cover the bundle id",
    "ipa_executable_missing": "CFBundleExecutable names no file in the app directory",
    "ipa_macho_invalid": "the main executable is not a readable Mach-O (thin or fat)",
    "ipa_entry_unreadable": "an entry the IPA reader needed could not be read from the ZIP",
    "provision_missing": "the IPA has no embedded.mobileprovision (App Store or re-signed build)",
    "provision_expired": "the provisioning profile's ExpirationDate is before the scan time",
    "provision_not_plist": "the profile's signed content is not a property list",
    "provision_unsigned": "the profile is a bare plist, not CMS-signed as Apple issues them",
    "provision_signer_not_apple": "the profile's CMS signer does not claim to be Apple",
    "provision_bad_certificate": "a DeveloperCertificates entry is not certificate bytes",
    "mobileconfig_not_plist": "the configuration profile's content is not a property list",
    "mobileconfig_not_dict": "the configuration profile's root is not a dictionary",
    "mobileconfig_bad_payload": "a PayloadContent entry is not a dictionary or lacks PayloadType",
    "mobileconfig_too_many_payloads": "more payloads than chaincut reads; the rest are counted",
    "mobileconfig_bad_certificate": "a certificate payload's content does not parse as X.509",
    "itms_no_items": "the itms-services manifest has no items[] entry",
    "itms_bad_asset": "an itms-services asset is not a dictionary with kind and url",
}
