"""Value placeholders in ``--help`` that a person understands, set once for every command.

Typer prints Python types by default (``{paths}...``, ``--trees <bool>``,
``--brands <list[Path]>``). Rather than give every option of every command a ``metavar``
by hand (the command modules are edited by many people), the root group walks the whole
command tree once and fills in the placeholders that were left unset: nothing for a flag,
``PATH...`` for a list of paths, ``URL`` for ``--db``, ``N`` for counts. An option that
sets its own ``metavar`` keeps it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args, get_origin

from typer.core import TyperGroup

BY_OPTION = {
    "--db": "URL",
    "--html": "DIR",
    "--blobs": "DIR",
    "--world": "DIR",
    "--out": "DIR",
    "--output": "PATH",
    "--format": "FORMAT",
    "--region": "REGION",
    "--rules": "DIR",
    "--cases": "CSV",
    "--brands": "YAML",
}


def _base_type(param: Any) -> Any:
    """The value type of a parameter (the element type for a list), new Typer or Click."""
    desc = getattr(param, "type_descriptor", None)
    if desc is not None:
        annotation = desc.annotation
        if get_origin(annotation) in (list, tuple):
            args = [a for a in get_args(annotation) if a is not Ellipsis]
            return args[0] if args else str
        return annotation
    name = getattr(getattr(param, "type", None), "name", "")
    return {"integer": int, "float": float, "path": Path, "boolean": bool}.get(name, str)


def _by_type(param: Any, name: str) -> str:
    kind = _base_type(param)
    if kind is bool:
        return ""
    if kind is int:
        return "N"
    if kind is float:
        return "SECONDS" if "timeout" in name else "NUMBER"
    if isinstance(kind, type) and issubclass(kind, Path):
        return "PATH"
    return name.lstrip("-").upper().replace("-", "_") or "VALUE"


def placeholder(param: Any) -> str | None:
    """The placeholder for one parameter, or None to keep what it has."""
    if getattr(param, "metavar", None) is not None:
        return None
    if getattr(param, "param_type_name", "") == "argument" or not getattr(param, "opts", None):
        name = str(param.name or "value").upper()
        if param.nargs != 1:
            return name.removesuffix("S") + "..."
        return name
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    longest = max(param.opts, key=len)
    return BY_OPTION.get(longest) or _by_type(param, longest)


_HUMAN: dict[type, type] = {}


def _human_class(base: type, methods: dict[str, Any]) -> type:
    """A subclass of ``base`` with ``methods`` overridden (one per base, cached)."""
    if base not in _HUMAN:
        _HUMAN[base] = type(f"Human{base.__name__}", (base,), methods)
    return _HUMAN[base]


def _argument_usage(self: Any) -> str:
    """``PATH...`` / ``[SHA256]`` in the usage line, not ``{PATH...}...``."""
    name = str(self.metavar or self.name).upper()
    return name if self.required else f"[{name}]"


def _no_type(self: Any, ctx: Any) -> str | None:
    return None  # the name column already says what the argument is


def _help_option(self: Any, ctx: Any) -> Any:
    option = super(type(self), self).get_help_option(ctx)
    if option is not None:
        option.metavar = ""  # a flag: no value placeholder
    return option


def humanize(command: Any) -> None:
    """Set the placeholders of ``command`` and, for a group, of every command under it."""
    if hasattr(command, "get_help_option") and type(command) not in _HUMAN.values():
        command.__class__ = _human_class(type(command), {"get_help_option": _help_option})
    for param in getattr(command, "params", []):
        value = placeholder(param)
        if value is not None:
            param.metavar = value
        is_argument = getattr(param, "param_type_name", "") == "argument"
        typer_29 = hasattr(param, "_usage_display_name")  # Typer's own click fork
        if is_argument and typer_29 and type(param) not in _HUMAN.values():
            param.__class__ = _human_class(
                type(param),
                {"_usage_display_name": _argument_usage, "display_type_rich": _no_type},
            )
    for sub in getattr(command, "commands", {}).values():
        humanize(sub)


class HumanHelpGroup(TyperGroup):
    """The root group: humanizes the whole command tree when Typer builds it."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        humanize(self)
