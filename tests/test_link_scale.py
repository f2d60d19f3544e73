"""A 50,000-artifact planted graph recovers gangs and suppliers.

How fast it clusters is a benchmark's figure (benchmarks/bench_link.py, docs/benchmarks.md),
not a unit test's: a wall-clock limit here failed whenever the machine was busy."""

from __future__ import annotations

import numpy as np

from chaincut.link.cluster import cluster
from chaincut.link.metrics import adjusted_rand_index
from chaincut.link.params import LinkParams
from chaincut.link.synth import planted


def test_fifty_thousand_artifacts_recover_gangs_and_suppliers() -> None:
    graph, gang, supplier_ids = planted(50_000, seed=5)
    assert graph.rows.shape[0] > 450_000  # about ten links per artifact
    result = cluster(graph, LinkParams())
    seed = graph.seed
    assert adjusted_rand_index(gang[seed], result.labels[seed]) >= 0.95
    assert (result.labels[~seed] == -1).all()  # clean artifacts are in no chain
    # every supplier found is a planted one (no gang-private indicator is mistaken for one)
    found = np.flatnonzero(result.suppliers)
    assert found.size > 50
    assert np.isin(found, supplier_ids).mean() >= 0.95
    assert not result.suppliers[graph.common].any()


def test_same_graph_same_labels() -> None:
    graph, _, _ = planted(5_000, seed=9)
    a, b = cluster(graph, LinkParams()), cluster(graph, LinkParams())
    assert (a.labels == b.labels).all() and (a.suppliers == b.suppliers).all()
