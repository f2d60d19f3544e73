"""``chaincut chains``, ``chain``, ``suppliers``, ``cases`` and ``export``: the linking views.

All five read the store (artifacts and cases) and rebuild the chains: linking is
deterministic, so the same store always gives the same chain ids.
"""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import typer

from chaincut.cli.console import err, fail
from chaincut.cli.store_cmd import BLOBS_OPTION, DB_OPTION, open_store

if TYPE_CHECKING:  # linking (numpy, scipy, igraph) loads when a command runs
    from chaincut.link.chainset import ChainSet

TEXT_JSON = ("text", "json")


def register(app: typer.Typer) -> None:
    app.command("chains")(chains)
    app.command("chain")(chain)
    app.command("suppliers")(suppliers)
    app.command("cases")(cases)
    app.command("export")(export_cmd)


def _stop(message: str) -> typer.Exit:
    fail(message)
    return typer.Exit(2)


def _format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _stop(f"unknown format {value!r} (expected one of {', '.join(allowed)})")
    return value


def _name(db: str | None, blobs: Path | None) -> str:
    """The store as the user knows it: its file or URL (password hidden)."""
    from chaincut.store.location import StoreConfigError, resolve_location

    try:
        return resolve_location(db, blobs, create=False).display
    except StoreConfigError:
        return db or "(default)"


def _load(db: str | None, blobs: Path | None) -> ChainSet:
    from chaincut.link.chains import build_chains

    with open_store(db, blobs) as store:
        artifacts = list(store.iter_artifacts())
        case_records = list(store.iter_cases())
    if not artifacts:
        raise _stop(f"the store {_name(db, blobs)} holds no artifacts: run `chaincut ingest` first")
    return build_chains(artifacts, case_records)


def _names(db: str | None, blobs: Path | None, shas: list[str]) -> dict[str, str]:
    """File name (the last part of the path it was ingested as) or URL, per artifact."""
    out: dict[str, str] = {}
    with open_store(db, blobs) as store:
        for sha in shas:
            stored = store.artifact(sha)
            seen = stored.names if stored is not None else []
            urls = [n.value for n in seen if n.kind == "url"]
            paths = sorted(PurePath(n.value).name for n in seen if n.kind != "url")
            if paths or urls:
                out[sha] = (paths or urls)[0]
    return out


def chains(
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("json", "--format", "-f", help="json (interfaces.md §4) or text."),
    min_size: int = typer.Option(1, "--min-size", min=1, help="Only chains of N+ artifacts."),
) -> None:
    """List the chains: artifacts one operation controls, with infrastructure and cases."""
    from chaincut.link.text import chains_text

    fmt = _format(fmt, ("json", "text"))
    doc = _load(db, blobs).document(min_size)
    typer.echo(doc.model_dump_json(indent=2) if fmt == "json" else chains_text(doc.chains))


def chain(
    chain_id: str = typer.Argument(..., help="Chain id (ch-...), or a unique prefix of it."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """One chain: artifacts, infrastructure with roles, cases by region, suppliers."""
    from chaincut.link.text import chain_text
    from chaincut.link.views import chain_view, shown_artifacts

    fmt = _format(fmt, TEXT_JSON)
    cs = _load(db, blobs)
    found = [c for c in cs.chains if c.id.startswith(chain_id)] if chain_id else []
    exact = cs.chain(chain_id)
    if exact is not None:
        found = [exact]
    if len(found) != 1:
        what = "no chain" if not found else f"{len(found)} chains"
        raise _stop(f"{what} with id {chain_id!r}: list them with `chaincut chains -f text`")
    item = found[0]
    if fmt == "json":
        typer.echo(item.model_dump_json(indent=2))
        return
    names = _names(db, blobs, shown_artifacts(cs, chain=item))
    typer.echo(chain_text(chain_view(cs, item, names), names))


def suppliers(
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """Gray-industry suppliers shared by several chains, the most chains cut first."""
    from chaincut.link.text import suppliers_text

    fmt = _format(fmt, TEXT_JSON)
    found = _load(db, blobs).suppliers
    if fmt == "json":
        typer.echo("[" + ",\n".join(s.model_dump_json(indent=2) for s in found) + "]")
    else:
        typer.echo(suppliers_text(found))


def cases(
    region: str = typer.Option(..., "--region", help="Region: 广东, 广东省, GD, Guangdong..."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """A region's cases, and the other regions' cases in the same chains."""
    from chaincut.link.cases import cases_for_region
    from chaincut.link.text import region_text
    from chaincut.link.views import region_report, shown_artifacts

    fmt = _format(fmt, TEXT_JSON)
    cs = _load(db, blobs)
    view = cases_for_region(cs, region)
    if fmt == "json":
        typer.echo(view.model_dump_json(indent=2))
        return
    names = _names(db, blobs, shown_artifacts(cs, region=view))
    typer.echo(region_text(region_report(cs, view, names)))


def export_cmd(
    fmt: str = typer.Option(..., "--format", "-f", help="graphml, csv or stix."),
    output: Path = typer.Option(..., "--output", "-o", help="File (csv: a directory)."),
    db: str | None = DB_OPTION,
    blobs: Path | None = BLOBS_OPTION,
) -> None:
    """Export the chains as GraphML, Neo4j/Gephi CSV or a STIX 2.1 bundle (logged)."""
    from chaincut.link.export import FORMATS, export

    fmt = _format(fmt, FORMATS)
    cs = _load(db, blobs)
    output = output.expanduser().resolve()  # the custody log names the file unambiguously
    try:
        written = export(cs, fmt, output)
    except OSError as exc:
        raise _stop(f"{output}: cannot write: {exc.strerror or exc}") from None
    files = [
        {"path": str(p.resolve()), "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
        for p in written
    ]
    members = sorted({s for c in cs.chains for s in c.artifacts})
    with open_store(db, blobs) as store:
        store.log(
            "export",
            str(output),
            {
                "format": fmt,
                "chains": len(cs.chains),
                "suppliers": len(cs.suppliers),
                "cases": len(cs.cases),
                "files": files,
            },
            artifacts=members,
        )
    err.print(f"exported {len(cs.chains)} chain(s) as {fmt} to {output}", markup=False)
