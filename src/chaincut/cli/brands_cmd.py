"""``chaincut brands``: learn brand entries from genuine packages, list registries."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import typer

from chaincut.cli.console import err, fail

brands_app = typer.Typer(
    name="brands",
    help="The brand registry: learn genuine apps, list brands.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(brands_app, name="brands")


def user_registry() -> Path:
    """The user's own registry file (platform data dir), used when --out is not given."""
    return platformdirs.user_data_path("chaincut") / "brands.yaml"


def _stop(message: str) -> typer.Exit:
    fail(" ".join(message.split()))  # one line, even for a multi-line YAML error
    return typer.Exit(2)


@brands_app.command("add")
def add(
    package: Path = typer.Argument(..., help="The genuine APK or IPA to learn from."),
    brand_id: str = typer.Option(..., "--id", help="Brand id, [a-z0-9_-]+."),
    category: str | None = typer.Option(None, "--category", help="Category (interfaces.md §3)."),
    name: str | None = typer.Option(None, "--name", help="Display name (default: app label)."),
    out: Path | None = typer.Option(
        None, "--out", help="Registry YAML to write or update (default: the user registry)."
    ),
) -> None:
    """Learn a brand entry (package, signer certificate, labels, icon) from a genuine app."""
    from chaincut.extractors.budget import Job, extract_file
    from chaincut.knowledge.brands import BrandError, load_registry
    from chaincut.knowledge.learn import (
        LearnError,
        learned_fields,
        merge_entry,
        read_entries,
        write_icon,
        write_registry,
    )

    target = out or user_registry()
    if not package.is_file():
        raise _stop(f"not a file: {package}")
    try:
        entries = read_entries(target)
    except BrandError as exc:
        raise _stop(str(exc)) from None
    result = extract_file(Job(display=str(package), fspath=str(package)), keep_blobs=True)
    try:
        learned, icon = learned_fields(result.document, result.blobs)
        base = next((e for e in entries if e.get("id") == brand_id), None)
        if base is None and brand_id in (default := load_registry()).brands:
            base = default.brands[brand_id].model_dump(exclude={"icons"})
        entry = merge_entry(base, learned, brand_id=brand_id, category=category, name=name)
    except LearnError as exc:
        raise _stop(str(exc)) from None
    if icon is not None:
        rel = write_icon(target, brand_id, icon)
        entry["icons"] = list(dict.fromkeys([*entry.get("icons", []), rel]))
    entries = [e for e in entries if e.get("id") != brand_id] + [entry]
    try:
        write_registry(target, entries)
    except OSError as exc:
        raise _stop(f"{target}: cannot write: {exc.strerror or exc}") from None
    ids = ", ".join(entry.get("packages", []) + entry.get("bundle_ids", []))
    counts = f"{len(entry.get('certs', []))} certificate(s), {len(entry.get('icons', []))} icon(s)"
    err.print(f"learned brand '{brand_id}': {ids}, {counts}", markup=False)
    typer.echo(str(target))


@brands_app.command("list")
def list_brands(
    brands: list[Path] = typer.Option([], "--brands", help="Extra brand registry YAML files."),
) -> None:
    """List the registered brands: the default registry overlaid with --brands files."""
    from chaincut.knowledge.brands import BrandError, load_registry

    for path in brands:
        if not path.is_file():
            raise _stop(f"path not found: {path}")
    try:
        registry = load_registry(brands)
    except BrandError as exc:
        raise _stop(str(exc)) from None
    for brand in registry.brands.values():
        ids = ", ".join(brand.packages + brand.bundle_ids) or "-"
        typer.echo(
            f"{brand.id}\t{brand.category}\t{brand.display_name}\t{ids}\t"
            f"certs={len(brand.certs)} icons={len(brand.icons)}"
        )
    err.print(f"{len(registry.brands)} brands (registry {registry.version})", markup=False)
