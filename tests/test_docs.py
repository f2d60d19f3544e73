"""A command or option that is not documented fails the build."""

from __future__ import annotations

from pathlib import Path

import typer.main

from chaincut.cli.app import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, list[str]]:
    group = typer.main.get_command(app)
    out: dict[str, list[str]] = {}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        opts = [o for p in cmd.params for o in p.opts if o.startswith("--")]
        out[name] = opts
    return out


def test_every_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text()
    commands = _commands()
    assert commands, "no commands found"
    for name, options in commands.items():
        assert f"## `chaincut {name}" in doc, f"command {name!r} is not documented in docs/cli.md"
        for opt in options:
            assert f"`{opt}`" in doc, f"option {opt} of {name!r} is not documented in docs/cli.md"


def test_readme_starts_with_the_two_commands() -> None:
    lines = [ln for ln in (ROOT / "README.md").read_text().splitlines() if ln.strip()]
    block = "\n".join(lines[:8])
    assert "chaincut demo" in block
    assert "python -m pytest" in block
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text()
