"""Anomaly codes of split and bundle packages (XAPK, APKS, APKM, AAB)."""

from __future__ import annotations

CODES: dict[str, str] = {
    "bundle_metadata_malformed": (
        "the bundle's manifest.json / info.json is not a JSON object (unreadable, too big, "
        "bad JSON); the APKs inside are still read"
    ),
    "bundle_metadata_mismatch": (
        "the bundle's manifest.json / info.json names another package or version than the "
        "base APK's manifest"
    ),
    "bundle_encrypted": (
        "the APKs inside the bundle are encrypted (APKMirror's encrypted APKM): they cannot be "
        "read without the installer's key"
    ),
    "bundle_no_base": "no APK in the bundle is a base APK (every one declares split=...)",
    "bundle_multiple_base": "more than one APK in the bundle is a base APK; the first is used",
    "bundle_split_not_apk": "an entry named as an APK in the bundle is not a readable APK",
    "bundle_split_unreadable": "an APK inside the bundle could not be extracted from the ZIP",
    "bundle_nested": (
        "an APK inside the bundle is itself a bundle; nested bundles are listed, not unpacked"
    ),
    "bundle_budget_exceeded": (
        "the bundle holds more splits or more bytes than chaincut reads; the rest are skipped"
    ),
    "bundle_split_package_mismatch": (
        "a split APK declares another package or version code than the base; Android refuses "
        "to install them together"
    ),
    "bundle_split_signer_mismatch": (
        "a split APK is signed by other certificates than the base; Android refuses to "
        "install them together, but the certificates are evidence"
    ),
    "bundle_split_permission_ignored": (
        "a split APK requests permissions the base does not; Android reads permissions only "
        "from the base manifest, so the split's requests grant nothing"
    ),
    "bundle_required_split_missing": (
        "the base declares android:isSplitRequired or requiredSplitTypes that no split in the "
        "bundle provides"
    ),
    "bundle_proto_xml_malformed": (
        "an App Bundle's protobuf manifest or resources.pb is malformed (bad wire format, too "
        "deep, too big); what was read before the fault is kept"
    ),
    "bundle_module_unreadable": "an App Bundle module's manifest could not be read",
}
