"""ManifestFacts: what the manifest says, before labels and icons are resolved."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from chaincut.facts.models import Component, MetaData


@dataclass(frozen=True, slots=True)
class ManifestFacts:
    package: str | None = None
    version_code: int | None = None
    version_name: str | None = None
    min_sdk: int | None = None
    target_sdk: int | None = None
    max_sdk: int | None = None
    compile_sdk: int | None = None
    application: str | None = None
    debuggable: bool = False
    allow_backup: bool | None = None
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    permissions: list[str] = field(default_factory=list)
    declared_permissions: list[dict[str, str]] = field(default_factory=list)
    main_activity: str | None = None
    components: list[Component] = field(default_factory=list)
    meta_data: dict[str, str] = field(default_factory=dict)
    meta_data_entries: list[MetaData] = field(default_factory=list)
    # Not ApkFacts fields: inputs to label, icon and signature resolution.
    label_ref: int | None = None
    label_literal: str | None = None
    icon_ref: int | None = None
    round_icon_ref: int | None = None
    target_sandbox: int | None = None

    def as_fields(self) -> dict[str, Any]:
        """Keyword arguments for ApkFacts (the fields both share)."""
        out = asdict(self)
        for key in ("label_ref", "label_literal", "icon_ref", "round_icon_ref", "target_sandbox"):
            out.pop(key)
        out["components"] = list(self.components)
        out["meta_data_entries"] = list(self.meta_data_entries)
        return out
