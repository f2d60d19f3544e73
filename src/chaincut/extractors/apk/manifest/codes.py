"""Anomaly codes of the manifest reader (facts Android would read differently or refuse)."""

CODES: dict[str, str] = {
    "manifest_bad_root": "the root element is not <manifest> (Android refuses the package)",
    "manifest_no_package": "no package attribute on <manifest> (Android refuses the package)",
    "manifest_bad_package_name": "package name is not a valid Java-style name (Android refuses it)",
    "manifest_duplicate_element": "an element Android reads once appears more than once",
    "manifest_version_code_not_int": "versionCode is not an integer (Android refuses the package)",
    "manifest_unresolved_reference": "a value is a resource reference that could not be resolved",
    "manifest_sdk_codename": "an SDK version is a codename string, not a number",
    "manifest_bad_sdk_version": "an SDK version is neither a number nor a known codename",
    "manifest_nonliteral_name": "a name that Android reads only as a literal string is not one",
    "manifest_component_without_name": "component or meta-data lacks a name (Android refuses it)",
    "manifest_missing_exported": "intent filters but no android:exported (refused from API 31)",
    "manifest_alias_target_missing": "an activity-alias targets no activity declared before it",
}
