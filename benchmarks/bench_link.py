"""Linking at scale: 1,000,000 artifacts, 10,000,000 artifact–indicator links.

A synthetic corpus with a planted structure: gangs of 10-90 apps, each with private
certificates, domains, IPs, chat accounts and phones (an app draws a random subset);
suppliers (developer keys, servers, distribution domains) each serving 2-20 gangs; common
infrastructure flagged ``common``; one-off noise indicators and weak package names; 5% clean
apps. Prints graph build and clustering time (pivoting and rotation merging on), peak RSS and
the adjusted Rand index of the chains against the planted gangs.

    python benchmarks/bench_link.py [--artifacts N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np

from chaincut.link.cluster import cluster
from chaincut.link.kinds import MEDIUM, STRONG, WEAK
from chaincut.link.metrics import adjusted_rand_index
from chaincut.link.params import LinkParams
from chaincut.link.synth import planted


def bench_kinds(prior: np.ndarray) -> list[str]:
    """A kind per indicator from its prior, so pivoting and rotation run as on a store."""
    names = {STRONG: "qq", MEDIUM: "domain", WEAK: "package"}
    return [names.get(float(p), "unknown") for p in prior.tolist()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--method",
        choices=("auto", "leiden", "propagation"),
        default="auto",
        help="auto: what `cluster` picks for the graph's size (docs/linking.md)",
    )
    args = parser.parse_args()
    limits = {"auto": LinkParams().leiden_max_links, "leiden": 1 << 62, "propagation": 0}
    t0 = time.perf_counter()
    graph, gang, supplier_ids = planted(args.artifacts, args.seed)
    t1 = time.perf_counter()
    params = LinkParams(leiden_max_links=limits[args.method])
    cpu = time.process_time()
    result = cluster(graph, params, bench_kinds(graph.prior))
    t2 = time.perf_counter()
    cpu = time.process_time() - cpu
    seed = graph.seed
    ari = adjusted_rand_index(gang[seed], result.labels[seed])
    # a planted supplier is findable when seed apps of two or more gangs carry it
    on = seed[graph.rows] & np.isin(graph.cols, supplier_ids)
    pairs = np.unique(graph.cols[on].astype(np.int64) * (gang.max() + 1) + gang[graph.rows[on]])
    findable = np.flatnonzero(np.bincount(pairs // (gang.max() + 1)) >= 2)
    recall = result.suppliers[findable].mean() if findable.size else 1.0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"artifacts        {graph.n_artifacts:,}")
    print(f"indicators       {graph.n_indicators:,}")
    print(f"links            {graph.rows.shape[0]:,}")
    print(f"planted gangs    {int(gang.max()) + 1:,}")
    print(f"chains (seeded)  {np.unique(result.labels[seed]).shape[0]:,}")
    print(f"suppliers        {int(result.suppliers.sum()):,}")
    print(f"planted found    {recall:.4f} of {findable.size:,} findable planted suppliers")
    seed_links = int(seed[graph.rows].sum())
    used = "leiden" if seed_links <= params.leiden_max_links else "propagation"
    print(f"method           {used} ({seed_links:,} seed links)")
    print(f"propagation its  {result.iterations}")
    print(f"generate         {t1 - t0:.1f} s")
    print(f"cluster          {t2 - t1:.1f} s wall, {cpu:.1f} s CPU "
          f"(load average {os.getloadavg()[0]:.1f}: on a shared machine the CPU figure is "
          "the one to compare with the budget)")
    print(f"peak RSS         {peak_mb:,.0f} MB")
    print(f"ARI vs planted   {ari:.4f}")


if __name__ == "__main__":
    main()
