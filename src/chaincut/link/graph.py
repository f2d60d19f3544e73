"""The bipartite artifact–indicator graph as flat arrays, and indicator weights.

Everything downstream is vectorised over these arrays (numpy, scipy.sparse), so the same
code links fifty test records or a million stored artifacts. Artifacts are indexed in
sha256 order and indicators in (kind, value) order: the same data always gives the same
arrays, which is what makes chain ids and tie-breaks stable across runs.

Weight of an indicator = kind prior × normalised IDF, and zero when it cannot tell
operations apart: knowledge-base common infrastructure (``ResultIndicator.common``), an
indicator on more than ``max(max_df_floor, max_df_share × corpus)`` artifacts, private
addresses. Only seed artifacts (malicious or suspicious) carry links into clustering;
clean ones are listed as related and never glue chains (see docs/linking.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from chaincut.link.derive import file_key, url_file_key, url_keys
from chaincut.link.kinds import DELIVERY_KINDS, claim_prior
from chaincut.link.model import ArtifactRecord
from chaincut.link.params import LinkParams

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class IndicatorGraph:
    """Links as parallel arrays: ``rows[k]`` (artifact) carries ``cols[k]`` (indicator)."""

    n_artifacts: int
    rows: NDArray[np.int32]
    cols: NDArray[np.int32]
    prior: FloatArray  # per indicator
    common: BoolArray  # per indicator
    seed: BoolArray  # per artifact
    vote: FloatArray | None = None  # per indicator: share of its weight used for grouping
    delivery: BoolArray | None = None  # per artifact: a delivery step (page, QR, profile)

    @property
    def n_indicators(self) -> int:
        return int(self.prior.shape[0])

    def doc_freq(self) -> IntArray:
        """Artifacts per indicator, over the whole corpus (clean artifacts included)."""
        return np.bincount(self.cols, minlength=self.n_indicators).astype(np.int64)

    def incidence(self) -> sparse.csr_matrix:
        """Binary artifact × indicator matrix."""
        data = np.ones(self.rows.shape[0], dtype=np.float32)
        shape = (self.n_artifacts, self.n_indicators)
        return sparse.csr_matrix((data, (self.rows, self.cols)), shape=shape)

    def benign(self, params: LinkParams) -> BoolArray:
        """Indicators mostly seen on clean bystanders: shared benign infrastructure.

        A clean artifact counts as a bystander unless it carries, besides, a value that
        flagged artifacts hold and that is not itself benign: the undetected APKs and QR
        codes of a gang carry its download domain and its certificate; a genuine app using
        a CDN shares nothing else with the flagged. Without this, every value a gang put
        mostly on artifacts detection missed would be written off as benign. Decided over
        ``benign_rounds`` passes, each trusting what the last one cleared.
        """
        clean_link = ~self.seed[self.rows]
        df = np.maximum(self.doc_freq(), 1)
        seed_df = np.bincount(self.cols[~clean_link], minlength=self.n_indicators)
        strong = (self.prior >= params.glue_min) & ~self.common & (seed_df >= 1)
        tied = np.zeros(self.n_artifacts, dtype=bool)
        result: BoolArray = np.zeros(self.n_indicators, dtype=bool)
        for _ in range(params.benign_rounds + 1):
            bystander = clean_link & ~tied[self.rows]
            clean_df = np.bincount(self.cols[bystander], minlength=self.n_indicators)
            result = (clean_df >= params.benign_clean_min) & (
                clean_df >= params.benign_clean_share * df
            )
            trusted = strong & ~result
            on = trusted[self.cols] & clean_link
            tied_now = np.zeros(self.n_artifacts, dtype=bool)
            tied_now[self.rows[on]] = True
            if (tied_now == tied).all():
                break
            tied = tied_now
        return result

    def excluded(self, params: LinkParams) -> BoolArray:
        """Indicators that never link: common, benign, too frequent, private addresses."""
        result: BoolArray = (
            self.common | self.crowded(params) | self.benign(params) | (self.prior <= 0)
        )
        return result

    def crowded(self, params: LinkParams) -> BoolArray:
        """Indicators on very many artifacts that flagged artifacts do not dominate.

        Size alone says nothing: one gang's landing page copied 3,000 times shares its
        download links 3,000 times. What tells a gang's mass-produced infrastructure
        from a CDN is who carries it: mostly flagged artifacts, or mostly clean ones.
        """
        cap = max(params.max_df_floor, params.max_df_share * max(self.n_artifacts, 1))
        df = self.doc_freq()
        flagged = np.bincount(self.cols[self.seed[self.rows]], minlength=self.n_indicators)
        result: BoolArray = (df > cap) & (flagged < 0.5 * df)
        return result

    def weights(self, params: LinkParams) -> FloatArray:
        """Specificity weight per indicator (see the module docstring)."""
        df = self.doc_freq()
        n = max(self.n_artifacts, 1)
        idf = np.log1p(n / np.maximum(df, 1)) / np.log1p(n)
        w = self.prior * idf
        w[self.excluded(params)] = 0.0
        return np.asarray(w, dtype=np.float64)


@dataclass(frozen=True)
class IndicatorKey:
    kind: str
    value: str


@dataclass(frozen=True)
class RecordGraph:
    """The graph of a record set plus what maps indices back to records."""

    graph: IndicatorGraph
    artifacts: tuple[ArtifactRecord, ...]  # sha256 order
    keys: tuple[IndicatorKey, ...]  # indicator index -> (kind, normalised value)
    roles: tuple[str | None, ...]  # most frequent role hint per indicator
    # whose key an SDK key or builder app id is (the value is the bare key); None else
    providers: tuple[str | None, ...] = ()

    def provider(self, c: int) -> str | None:
        return self.providers[c] if c < len(self.providers) else None


def normalize_value(kind: str, value: str) -> str:
    """One spelling per indicator: case and trailing dots never split a link."""
    value = value.strip()
    if kind in {"domain", "host", "email", "cert_sha256"}:
        value = value.casefold().rstrip(".")
    if kind == "team_id":  # Apple team ids are upper case: keep them as Apple spells them
        value = value.upper()
    if kind == "cert_sha256":
        value = value.replace(":", "")
    return value


def _record_keys(rec: ArtifactRecord) -> dict[tuple[str, str], tuple[bool, str | None]]:
    out: dict[tuple[str, str], tuple[bool, str | None]] = {}
    for ind in rec.indicators:
        key = (ind.kind, normalize_value(ind.kind, ind.value))
        if key[1]:
            common, role = out.get(key, (False, None))
            out[key] = (common or ind.common, role or ind.role)
    named = {v for k, v in out if k in ("domain", "host")}
    for ind in rec.indicators:
        if ind.kind == "url":
            _add_derived(out, named, ind.value.strip(), ind.common, ind.role)
            value = url_file_key(ind.value) if rec.kind in DELIVERY_KINDS else None
            if value:  # a file on common infrastructure (an official CDN) is common too
                common, role = out.get(("file", value), (False, None))
                out[("file", value)] = (common or ind.common, role)
    if rec.parent:
        out[("parent", rec.parent.casefold())] = (False, "distributor")
    for name in rec.files:  # the package as its download links name it (derive.file_key)
        value = file_key(name) if rec.kind not in DELIVERY_KINDS else None
        if value:
            out.setdefault(("file", value), (False, None))
    return out


def _claimed_only(records: Sequence[ArtifactRecord]) -> set[tuple[str, str]]:
    """Indicators every artifact carries only as an unverified claim (``verified`` False).

    Claims are rare, so the common case is one cheap pass that finds none; values are
    normalised only for the kinds that carry a claim.
    """
    claimed = {
        (ind.kind, normalize_value(ind.kind, ind.value))
        for rec in records
        for ind in rec.indicators
        if ind.verified is False
    }
    if not claimed:
        return claimed
    kinds = {kind for kind, _ in claimed}
    vouched = {
        (ind.kind, normalize_value(ind.kind, ind.value))
        for rec in records
        for ind in rec.indicators
        if ind.verified is not False and ind.kind in kinds
    }
    return claimed - vouched


def _add_derived(
    out: dict[tuple[str, str], tuple[bool, str | None]], named: set[str], url: str,
    common: bool, role: str | None,
) -> None:
    """Host, domain and path keys of a URL (derive.py), with the URL's common flag.

    An extractor that already named the URL's host as a domain or host indicator said
    what it links by: nothing is derived for that host then, but the accounts the URL's
    query names (``param`` keys) are still keyed.
    """
    keys = url_keys(url)
    if keys and keys[0][1] in named:
        keys = tuple(k for k in keys if k[0] == "param")
    for key in keys:
        was_common, was_role = out.get(key, (True, None))
        # a host is common only when every URL naming it is
        out[key] = (was_common and common, was_role or role)


def delivery_votes(
    ordered: Sequence[ArtifactRecord],
    keys: Sequence[tuple[str, str]],
    rows: Sequence[int],
    cols: Sequence[int],
    params: LinkParams,
) -> FloatArray:
    """Distributor vote for hosts and domains seen mostly on delivery artifacts.

    A landing page or QR code names the host it downloads from; a distribution platform
    serves many gangs from one host, so a host that mostly delivery artifacts carry
    groups with a distributor's weight (it still names a supplier, and still pivots
    when one chain alone uses it). Exact URLs keep their weight: a QR code encoding the
    address a page was saved from is that page.
    """
    n_ind = len(keys)
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    delivery = np.array([a.kind in DELIVERY_KINDS for a in ordered], dtype=bool)
    df = np.bincount(c, minlength=n_ind)
    on_delivery = np.bincount(c[delivery[r]], minlength=n_ind) if r.size else df
    network = np.array([k in DELIVERY_NETWORK for k, _ in keys], dtype=bool)
    mostly = network & (on_delivery > 0.5 * np.maximum(df, 1))
    result: FloatArray = np.where(mostly, params.distributor_vote, 1.0)
    return result


DELIVERY_NETWORK = frozenset({"host", "domain", "ip"})


def from_records(artifacts: Sequence[ArtifactRecord], params: LinkParams) -> RecordGraph:
    """Index records in a canonical order; duplicates of one sha256 keep the first."""
    by_sha: dict[str, ArtifactRecord] = {}
    for rec in artifacts:
        by_sha.setdefault(rec.sha256.casefold(), rec)
    ordered = tuple(by_sha[s] for s in sorted(by_sha))
    per_record = [_record_keys(rec) for rec in ordered]
    # a parent is also an indicator of the parent artifact itself
    parents = {rec.parent.casefold() for rec in ordered if rec.parent}
    for i, rec in enumerate(ordered):
        if rec.sha256.casefold() in parents:
            per_record[i][("parent", rec.sha256.casefold())] = (False, "distributor")
    all_keys = sorted({k for keys in per_record for k in keys})
    index = {k: i for i, k in enumerate(all_keys)}
    common = np.zeros(len(all_keys), dtype=bool)
    role_votes: list[dict[str, int]] = [{} for _ in all_keys]
    rows: list[int] = []
    cols: list[int] = []
    for r, keys in enumerate(per_record):
        for key, (is_common, role) in keys.items():
            c = index[key]
            rows.append(r)
            cols.append(c)
            common[c] |= is_common
            if role:
                role_votes[c][role] = role_votes[c].get(role, 0) + 1
    claimed = _claimed_only(ordered)
    prior = np.array([claim_prior(k, v, (k, v) in claimed) for k, v in all_keys], dtype=np.float64)
    roles = tuple(max(v, key=lambda r: (v[r], r)) if v else None for v in role_votes)
    vote = np.array(
        [
            params.distributor_vote if role == "distributor" and key[0] != "parent" else 1.0
            for key, role in zip(all_keys, roles, strict=True)
        ],
        dtype=np.float64,
    )
    seed = np.array([rec.verdict in params.seed_verdicts for rec in ordered], dtype=bool)
    vote = np.minimum(vote, delivery_votes(ordered, all_keys, rows, cols, params))
    graph = IndicatorGraph(
        n_artifacts=len(ordered),
        rows=np.asarray(rows, dtype=np.int32),
        cols=np.asarray(cols, dtype=np.int32),
        prior=prior,
        common=common,
        seed=seed,
        vote=vote,
        delivery=np.array([a.kind in DELIVERY_KINDS for a in ordered], dtype=bool),
    )
    named = tuple(IndicatorKey(k, v) for k, v in all_keys)
    return RecordGraph(graph=graph, artifacts=ordered, keys=named, roles=roles,
                       providers=_providers(ordered, index))


def _providers(
    records: Sequence[ArtifactRecord], index: dict[tuple[str, str], int]
) -> tuple[str | None, ...]:
    """Per indicator, the provider its sightings name (the most frequent; None if none)."""
    votes: dict[int, dict[str, int]] = {}
    for rec in records:
        for ind in rec.indicators:
            if ind.provider:
                c = index.get((ind.kind, normalize_value(ind.kind, ind.value)))
                if c is not None:
                    tally = votes.setdefault(c, {})
                    tally[ind.provider] = tally.get(ind.provider, 0) + 1
    out: list[str | None] = [None] * len(index)
    for c, tally in votes.items():
        out[c] = max(tally, key=lambda p: (tally[p], p))
    return tuple(out)
