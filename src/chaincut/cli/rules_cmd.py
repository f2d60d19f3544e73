"""``chaincut rules``: list the detection rules and lint rule folders.

``lint`` is what CI runs over the shipped rules (schema, ids, feature kinds, regexes,
dependencies, examples); analysts run it over their own ``--rules`` folders before a scan.
"""

from __future__ import annotations

from pathlib import Path

import typer

from chaincut.cli.console import err, fail

rules_app = typer.Typer(
    name="rules",
    help="Detection rules: list them, lint rule folders.",
    no_args_is_help=True,
)

RULES_OPTION = typer.Option(
    [], "--rules", help="Extra rule folder (repeatable); adds rules or overrides built-ins by id."
)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


def _check(folders: list[Path]) -> None:
    for folder in folders:
        if not folder.is_dir():
            fail(f"not a folder of rules: {folder}")
            raise typer.Exit(2)


@rules_app.command("list")
def list_rules(rules: list[Path] = RULES_OPTION) -> None:
    """One line per rule: id, severity, score, name (built-ins overlaid with --rules)."""
    from chaincut.detect.rules import RuleError, load_rules

    _check(rules)
    try:
        ruleset = load_rules(rules)
    except RuleError as exc:
        fail(" ".join(str(exc).split()))
        raise typer.Exit(2) from None
    for rule in sorted(ruleset, key=lambda r: r.id):
        typer.echo(f"{rule.id}\t{rule.severity}\t{rule.score}\t{rule.name}")
    err.print(f"{len(ruleset)} rules (version {ruleset.version})", markup=False)


@rules_app.command("lint")
def lint_rules(rules: list[Path] = RULES_OPTION) -> None:
    """Check the built-in rules and --rules folders; exit 1 when any error is found."""
    from chaincut.detect.rules.lint import lint

    _check(rules)
    problems, count = lint(rules)
    for problem in problems:
        typer.echo(str(problem))
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    err.print(f"{count} rules checked: {errors} errors, {warnings} warnings", markup=False)
    if errors:
        raise typer.Exit(1)
