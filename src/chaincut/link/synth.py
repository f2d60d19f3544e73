"""A synthetic indicator graph with planted gangs and suppliers, for scale runs and tests.

Gangs of 10-90 apps, each with private certificates, domains, IPs, chat accounts and
phones (an app draws a random subset); suppliers (developer keys, servers, distribution
domains) each serving several gangs, carried by 60% of a gang's apps; common
infrastructure flagged ``common``; one-off indicators; weak package names; 5% clean apps.
About 10 links per artifact.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.graph import IndicatorGraph
from chaincut.link.kinds import MEDIUM, STRONG, WEAK

# private indicators per gang and how many each app draws: (kind prior, pool, draws)
PRIVATE = [(STRONG, 1, 1), (MEDIUM, 8, 3), (MEDIUM, 3, 1), (STRONG, 2, 1), (STRONG, 2, 1)]


def planted(n_art: int, seed: int) -> tuple[IndicatorGraph, np.ndarray, np.ndarray]:
    """The synthetic graph, the planted gang of every artifact, the planted supplier ids."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(10, 91, size=n_art // 40)
    sizes = sizes[np.cumsum(sizes) <= n_art]
    sizes = np.append(sizes, n_art - sizes.sum())
    n_gang = sizes.shape[0]
    gang = np.repeat(np.arange(n_gang), sizes)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    priors: list[np.ndarray] = []
    base = 0
    for prior, pool, draws in PRIVATE:
        for _ in range(draws):
            rows.append(np.arange(n_art))
            cols.append(base + gang * pool + rng.integers(0, pool, size=n_art))
        priors.append(np.full(n_gang * pool, prior))
        base += n_gang * pool
    # suppliers: each serves 2-20 gangs; a gang uses one, carried by 60% of its apps
    n_sup = n_gang // 6
    sup_of_gang = rng.integers(0, n_sup, size=n_gang)
    carries = rng.random(n_art) < 0.6
    rows.append(np.flatnonzero(carries))
    cols.append(base + sup_of_gang[gang[carries]])
    priors.append(rng.choice([STRONG, MEDIUM], size=n_sup))
    supplier_ids = base + np.arange(n_sup)
    base += n_sup
    # common infrastructure (flagged), noise seen once, weak package names
    n_common = 50
    rows.append(np.arange(n_art))
    cols.append(base + rng.integers(0, n_common, size=n_art))
    priors.append(np.full(n_common, MEDIUM))
    common_start = base
    base += n_common
    n_noise = n_art  # one indicator seen on one app only (a unique URL path, say)
    rows.append(np.arange(n_art))
    cols.append(base + rng.permutation(n_art))
    priors.append(np.full(n_noise, MEDIUM))
    base += n_noise
    rows.append(np.arange(n_art))
    cols.append(base + rng.integers(0, n_art // 20, size=n_art))
    priors.append(np.full(n_art // 20, WEAK))
    base += n_art // 20
    key = np.unique(np.concatenate(rows).astype(np.int64) * base + np.concatenate(cols))
    common = np.zeros(base, dtype=bool)
    common[common_start : common_start + n_common] = True
    graph = IndicatorGraph(
        n_artifacts=n_art,
        rows=(key // base).astype(np.int32),
        cols=(key % base).astype(np.int32),
        prior=np.concatenate(priors),
        common=common,
        seed=rng.random(n_art) >= 0.05,
    )
    return graph, gang, supplier_ids
