"""ManifestFacts: what the manifest says, before labels and icons are resolved."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from chaincut.facts.models import Component, MetaData

# Inputs to label, icon and signature resolution that are not ApkFacts fields.
PRIVATE_FIELDS = frozenset({"label_ref", "label_literal", "icon_ref", "round_icon_ref",
                            "target_sandbox"})  # fmt: skip


@dataclass(frozen=True, slots=True)
class ManifestFacts:
    """Field names equal ApkFacts' so ``ApkFacts(**facts.as_fields(), ...)`` just works."""

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
    label_ref: int | None = None
    label_literal: str | None = None
    icon_ref: int | None = None
    round_icon_ref: int | None = None
    target_sandbox: int | None = None

    def as_fields(self) -> dict[str, Any]:
        """Keyword arguments for ApkFacts (the fields both share), shallow copies of lists."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name in PRIVATE_FIELDS:
                continue
            value = getattr(self, f.name)
            out[f.name] = value.copy() if isinstance(value, list | dict) else value
        return out
