"""Tunable parameters of linking, in one frozen model so a run can record what it used."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LinkParams(BaseModel):
    """Defaults suit corpora from a few dozen to millions of artifacts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed_verdicts: tuple[str, ...] = ("malicious", "suspicious")
    # an indicator on more than max(max_df_floor, max_df_share * corpus) artifacts links nothing
    max_df_share: float = Field(default=0.05, gt=0, le=1)
    max_df_floor: int = Field(default=200, ge=2)
    # an indicator glues (connected components) only with a kind prior this high; weaker ones
    # (package names) still vote in community detection but never join chains on their own
    # an indicator on at least benign_clean_min clean artifacts, with clean artifacts making
    # at least benign_clean_share of its artifacts, is benign shared infrastructure (a CDN)
    benign_clean_min: int = Field(default=2, ge=1)
    benign_clean_share: float = Field(default=0.5, ge=0, le=1)
    # passes of the bystander test in IndicatorGraph.benign (0: every clean carrier counts)
    benign_rounds: int = Field(default=1, ge=0)
    glue_min: float = Field(default=0.25, ge=0)
    # a supplier touches at least this many communities, each of at least min_group artifacts
    min_supplier_chains: int = Field(default=2, ge=2)
    min_group: int = Field(default=2, ge=1)
    # two communities whose shared infrastructure is this dense relative to their own merge
    merge_ratio: float = Field(default=0.3, gt=0)
    max_iter: int = Field(default=30, ge=1)
    # indicators a distributor hands to many gangs (delivery hosts, rented iOS signing
    # identities) vote this much of their weight when grouping; they still name suppliers
    distributor_vote: float = Field(default=0.1, ge=0, le=1)
    # graphs up to this many seed links use Leiden modularity; larger ones, propagation
    leiden_max_links: int = Field(default=2_000_000, ge=0)
    leiden_resolution: float = Field(default=1.5, gt=0)
    leiden_merge_ratio: float = Field(default=0.7, gt=0)
    # a community is split on its own only when the split's modularity reaches this
    leiden_split_quality: float = Field(default=0.3, ge=0, le=1)
    # a community owning no indicator of its own joins the one it shares most with, when
    # that one leads the runner-up by this factor (orphans.py)
    orphan_margin: float = Field(default=2.0, ge=1)
    rounds: int = Field(default=3, ge=1)
    # pivoting (pivot.py): rounds of joining unflagged artifacts through private
    # indicators (0: off), and how clearly the chosen chain must lead the runner-up
    # an indicator spread over this many communities votes like a distributor (0: off)
    spread_min: int = Field(default=3, ge=0)
    # a value whose carriers narrower values tie into two or more separate groups bridges
    # operations (bridges.py): it votes this much of its weight in grouping (1: off)
    bridge_vote: float = Field(default=1.0, ge=0, le=1)
    # artifacts named in case reports are grouped with the flagged (cluster._supported)
    report_seeds: bool = True
    # rotation.py: chains sharing this many kept accounts (0: off), each of this size+
    rotation_kept: int = Field(default=2, ge=0)
    rotation_min_size: int = Field(default=2, ge=1)
    # rotation.merge_operations: chains whose own values (domains, accounts) run through
    # both and no third chain, summed share of carriers (the smaller side) at least this
    # (0: off), each value on operation_carriers+ artifacts of each chain
    operation_share: float = Field(default=0.25, ge=0)
    operation_carriers: int = Field(default=2, ge=1)
    # reported.merge_reported: chains this many case reports name together (0: off) that
    # share an owned value on operation_carriers+ artifacts of each and no third chain
    report_cases: int = Field(default=2, ge=0)
    # fragments.split_templates: a chain whose cores (members tied by values it owns, of
    # this many apps) only a developer's template joins splits into them (0: off)
    template_core: int = Field(default=2, ge=0)
    pivot_rounds: int = Field(default=6, ge=0)
    pivot_margin: float = Field(default=2.0, ge=1)
