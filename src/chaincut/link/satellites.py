"""Delivery steps join the operation whose apps they deliver.

A landing page, the QR code that encodes it and the profile it hands out are a gang's
delivery steps, not an operation of their own: an operation runs apps. Modularity often
leaves a gang's pages as communities apart, tied together by the distributor that hosts
them and by each page's own address (the page and its QR code share it), and held to the
apps only by what the pages name of the gang: its backend or H5 domain, its customer
service account, its chat widget, its payment gateway.

A community of delivery artifacts only (a *satellite*) joins the community with apps
that it shares the most weight of that community's *own* values with: indicators that
one community with apps carries, and no other, and that sit on its apps at least
``OWNER_SHARE`` times as often as on delivery steps. A gang's H5 domain is on its apps and
on its pages; a distributor's host is on the pages of many gangs and at most on a few
apps, so it ties no page to anyone. The chosen community must lead the runner-up by
``margin``; a satellite tied to no operation (pages that name only a shared distributor)
stays where it is. A victim's report that names a page or QR code together with an app
(the app the page delivered) ties the two as well (``CASE_TIE`` per report); reports that
say they were checked and found clean are not leads (chains.py) and tie nothing.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from chaincut.link.graph import BoolArray, FloatArray, IntArray

# an operation's own value sits on its apps at least half as often as on delivery steps
OWNER_SHARE = 0.5
# a report naming a page or QR code with an app ties them like one strong private value
CASE_TIE = 1.0


def adopt_satellites(
    rows: NDArray[np.int32],
    cols: NDArray[np.int32],
    weight: FloatArray,
    labels: IntArray,
    delivery: BoolArray,
    margin: float,
    case_links: tuple[IntArray, IntArray] | None = None,
) -> IntArray:
    """Labels after every delivery-only community joined the app community it serves.

    ``case_links`` (artifact, case) pairs: a victim's report naming a page or QR code
    and an app ties them with ``CASE_TIE`` per report.
    """
    n_art, n_ind = labels.shape[0], weight.shape[0]
    keep = (weight[cols] > 0) & (labels[rows] >= 0)
    c, lab = cols[keep].astype(np.int64), labels[rows[keep]]
    if c.size == 0:
        return labels
    present = labels >= 0
    has_app = np.zeros(n_art, dtype=bool)
    has_app[labels[present & ~delivery]] = True
    satellite = np.zeros(n_art, dtype=bool)
    satellite[labels[present]] = True
    satellite &= ~has_app
    if not satellite.any():
        return labels
    counts = sparse.csr_matrix((np.ones(c.size), (c, lab)), shape=(n_ind, n_art))
    counts.sum_duplicates()
    ind = np.repeat(np.arange(n_ind), np.diff(counts.indptr))
    comm, n = counts.indices.astype(np.int64), counts.data
    on_app = has_app[comm]
    app_comms = np.bincount(ind[on_app], minlength=n_ind)
    owner = np.full(n_ind, -1, dtype=np.int64)
    owner[ind[on_app]] = comm[on_app]
    app_carriers = np.bincount(ind[on_app], weights=n[on_app], minlength=n_ind)
    on_sat = satellite[comm]
    sat_carriers = np.bincount(ind[on_sat], weights=n[on_sat], minlength=n_ind)
    # one operation's value: one app community carries it, and mostly on its apps
    owned = (app_comms == 1) & (app_carriers >= OWNER_SHARE * sat_carriers)
    tie = on_sat & owned[ind]
    src, dst, w = comm[tie], owner[ind[tie]], weight[ind[tie]]
    if case_links is not None and case_links[0].size:
        c_src, c_dst, c_w = _reported_together(labels, case_links, satellite, has_app)
        src, dst, w = np.r_[src, c_src], np.r_[dst, c_dst], np.r_[w, c_w]
    if src.size == 0:
        return labels
    ties = sparse.csr_matrix((w, (src, dst)), shape=(n_art, n_art))
    ties.sum_duplicates()
    target = np.arange(n_art, dtype=np.int64)
    for sat in np.flatnonzero(np.diff(ties.indptr) > 0).tolist():
        lo, hi = ties.indptr[sat], ties.indptr[sat + 1]
        data, idx = ties.data[lo:hi], ties.indices[lo:hi]
        order = np.lexsort((idx, -data))
        if order.size > 1 and data[order[0]] < margin * data[order[1]]:
            continue
        target[sat] = int(idx[order[0]])
    out: IntArray = np.where(present, target[np.maximum(labels, 0)], labels)
    return out


def _reported_together(
    labels: IntArray,
    case_links: tuple[IntArray, IntArray],
    satellite: BoolArray,
    has_app: BoolArray,
) -> tuple[IntArray, IntArray, FloatArray]:
    """(satellite, app community, weight) for every report naming one of each."""
    art, case = case_links
    lab = labels[art]
    on = lab >= 0
    n_art = labels.shape[0]
    n_case = int(case.max(initial=-1)) + 1
    named = sparse.csr_matrix(
        (np.ones(int(on.sum())), (case[on], lab[on])), shape=(n_case, n_art)
    )
    named.data[:] = 1.0  # a report naming two members of one community counts once
    co = (named.T @ named).tocoo()
    keep = satellite[co.row] & has_app[co.col]
    src = co.row[keep].astype(np.int64)
    dst = co.col[keep].astype(np.int64)
    w: FloatArray = co.data[keep].astype(np.float64) * CASE_TIE
    return src, dst, w
