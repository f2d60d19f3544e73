"""What ``chaincut demo`` runs on: the sample world and the store it fills.

The world is built on the spot by the simulator (tiny, seed 0: deterministic, a couple
of seconds), so nothing large ships with the package. A store given with ``--db`` is only
written when it is fresh or holds nothing but this world (a previous demo): the demo must
never mix simulated fraud into someone's real evidence.
"""

from __future__ import annotations

from pathlib import Path

import typer
from pydantic import ValidationError

from chaincut.cli.console import err, fail
from chaincut.cli.store_cmd import open_store
from chaincut.sim.build import build_world
from chaincut.sim.truth import TRUTH_FILE, WorldTruth
from chaincut.sim.world import WorldSpec

DEMO_SPEC = WorldSpec(seed=0, size="tiny")


def _stop(message: str) -> typer.Exit:
    fail(message)
    return typer.Exit(2)


def prepare_world(folder: Path, quiet: bool) -> WorldTruth:
    """The world in ``folder``: an existing one as it is, else the demo world built there."""
    if folder.is_dir() and (folder / TRUTH_FILE).is_file():
        return _read_truth(folder)
    if folder.exists() and not folder.is_dir():
        raise _stop(f"{folder} is not a directory: give --world a new or empty directory")
    if folder.exists() and any(folder.iterdir()):
        raise _stop(f"{folder} is neither empty nor a simulated world (no {TRUTH_FILE}): "
                    "give --world a new or empty directory")  # fmt: skip
    if not quiet:
        err.print(f"building a {DEMO_SPEC.size} simulated world (seed {DEMO_SPEC.seed}) "
                  f"in {folder}", markup=False)  # fmt: skip
    try:
        return build_world(DEMO_SPEC, folder)
    except OSError as exc:
        raise _stop(f"{folder}: cannot write the world: {exc.strerror or exc}") from None


def _read_truth(folder: Path) -> WorldTruth:
    try:
        return WorldTruth.model_validate_json((folder / TRUTH_FILE).read_bytes())
    except (OSError, ValidationError):
        raise _stop(f"{folder / TRUTH_FILE} is not a readable world truth file") from None


def artifact_paths(folder: Path, truth: WorldTruth) -> list[str]:
    """Every artifact of the world (not its brand icons or truth), missing ones refused."""
    paths = [folder / a.path for a in truth.artifacts]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise _stop(f"the world in {folder} lacks {len(missing)} artifact(s), e.g. {missing[0]}")
    return [str(p) for p in paths]


def check_store(db: str, blobs: Path | None, truth: WorldTruth) -> None:
    """Refuse a store holding anything but this world's artifacts and cases."""
    shas = [a.sha256 for a in truth.artifacts]
    with open_store(db, blobs, create=True) as store:
        stats = store.stats()
        ours = len(store.known(shas)) if stats.artifacts else 0
    foreign = stats.artifacts - ours
    if foreign > 0 or stats.cases > len(truth.cases):
        what = f"{foreign} artifact(s)" if foreign > 0 else f"{stats.cases} case(s)"
        raise _stop(
            f"the store {stats.url} already holds {what} that are not from this demo world: "
            "give --db a new file, or leave --db out for a temporary store"
        )
