"""Schemas of the recognition data: builders.yaml, packers.yaml, sdks.yaml, common.yaml.

Every file says how to recognise something from facts alone (class packages, entry names,
native libraries, meta-data names, application class) and, where the thing embeds an
account or app id, where that id lives. Strict models: a typo in a data file is an error
at load time, not a silent miss at scan time.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

KB_ID = re.compile(r"^[a-z0-9_]+$")
MAX_KEY_LEN = 256


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Clues(Strict):
    """What in the facts gives a component away; any one clue is enough unless
    ``min_hits`` says otherwise (weak clues such as one meta-data name can need company)."""

    class_packages: list[str] = Field(default_factory=list)  # dex package prefixes
    classes: list[str] = Field(default_factory=list)  # application/component class names
    entries: list[str] = Field(default_factory=list)  # fnmatch globs over ZIP entry names
    native_libs: list[str] = Field(default_factory=list)  # fnmatch globs over .so file names
    meta_data: list[str] = Field(default_factory=list)  # meta-data names
    permissions: list[str] = Field(default_factory=list)  # declared custom permissions too
    ios_frameworks: list[str] = Field(default_factory=list)  # fnmatch over Frameworks/ names
    min_hits: int = Field(default=1, ge=1)


class KeySource(Strict):
    """Where an embedded app id / app key is read from.

    ``meta_data``: the value of the meta-data ``name``; ``entry``: group 1 of ``regex``
    over ZIP entry names; ``config``: value ``name`` of an embedded config file;
    ``string``: a string resource ``name``. ``regex`` (optional for the others) must then
    match the value, which keeps placeholders such as ``${JPUSH_APPKEY}`` out.
    """

    source: Literal["meta_data", "entry", "config", "string"]
    name: str | None = None
    regex: str | None = None

    @field_validator("regex")
    @classmethod
    def _regex(cls, v: str | None) -> str | None:
        if v is not None:
            re.compile(v)
        return v


class ConfigFile(Strict):
    """A configuration file a builder embeds, and the values worth pulling out of it.

    ``values`` maps a value name (app_id, name, start_url, version, server_url) to a
    regex whose group 1 is the value, applied to the decoded text (binary XML is first
    rendered back to XML text).
    """

    glob: str
    format: Literal["json", "xml", "axml", "text"]
    values: dict[str, str] = Field(default_factory=dict)

    @field_validator("values")
    @classmethod
    def _values(cls, v: dict[str, str]) -> dict[str, str]:
        for pattern in v.values():
            if re.compile(pattern).groups < 1:
                raise ValueError(f"config value regex {pattern!r} needs a capture group")
        return v


class Recognisable(Strict):
    id: str
    name: str
    description: str = ""
    clues: Clues
    keys: list[KeySource] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not KB_ID.match(v):
            raise ValueError(f"id {v!r} must match [a-z0-9_]+")
        return v


class ShellHeuristic(Strict):
    """A bare WebView wrapper: little code of its own, one of ``apis`` called, and (when
    ``remote_url``) a remote http(s) URL among its indicators."""

    max_classes: int = Field(default=400, ge=1)
    apis: list[str] = Field(min_length=1)
    remote_url: bool = True


class Builder(Recognisable):
    """An app builder / cross-platform framework (DCloud, APICloud, Cordova, ...)."""

    webview: bool = False  # the app is mostly web content in a WebView
    configs: list[ConfigFile] = Field(default_factory=list)
    shell: ShellHeuristic | None = None


class Packer(Recognisable):
    """A commercial packer ("加固"): hides the real DEX behind a stub and native loader."""

    vendor: str = ""


SdkCategory = Literal[
    "push",
    "analytics",
    "maps",
    "payment",
    "customer_service",
    "install_attribution",
    "im",
    "ads",
    "crash",
    "social",
    "rtc",
    "login",
    "other",
]


class Sdk(Recognisable):
    category: SdkCategory


class BuildersFile(Strict):
    version: str
    builders: list[Builder]


class PackersFile(Strict):
    version: str
    packers: list[Packer]


class SdksFile(Strict):
    version: str
    sdks: list[Sdk]


class SharedCert(Strict):
    sha256: str
    name: str
    note: str = ""

    @field_validator("sha256")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.lower().replace(":", "")
        if not re.fullmatch(r"[0-9a-f]{64}", v):
            raise ValueError(f"certificate fingerprint {v!r} is not 64 hex digits")
        return v


class IpPolicy(Strict):
    """Which addresses are never links: private, loopback, link-local, documentation..."""

    private_is_common: bool = True
    networks: list[str] = Field(default_factory=list)  # extra CIDRs treated as common

    @field_validator("networks")
    @classmethod
    def _cidrs(cls, v: list[str]) -> list[str]:
        for net in v:
            ipaddress.ip_network(net, strict=False)
        return v


class CommonFile(Strict):
    """Infrastructure that must never be a link on its own."""

    version: str
    domains: dict[str, list[str]] = Field(default_factory=dict)  # group -> registrable domains
    certificates: list[SharedCert] = Field(default_factory=list)
    cert_subjects: list[str] = Field(default_factory=list)  # known_key names that are shared
    ips: IpPolicy = Field(default_factory=IpPolicy)
