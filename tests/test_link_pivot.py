"""Issue 11's six linking capabilities, each with its counter-test.

Small planted record sets: what joins a chain, through what, and what stays out.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.chains import build_chains
from chaincut.link.chainset import ChainSet
from chaincut.link.graph import IndicatorGraph
from chaincut.link.model import ArtifactRecord, CaseRecord
from chaincut.link.params import LinkParams
from chaincut.link.pivot import pivot
from chaincut.link.text import chain_text
from chaincut.link.views import chain_view
from chaincut.result.models import ResultIndicator
from tests.link_world import ind, sha

CDN = "https://cdn.bigcloud.example/lib/jquery.min.js"
PUBLIC_CERT = "ab" * 32  # a builder's shared debug certificate (knowledge: common)


def app(
    name: str, verdict: str, *inds: ResultIndicator, kind: str = "apk"
) -> ArtifactRecord:
    return ArtifactRecord(sha256=sha(name), kind=kind, verdict=verdict, indicators=list(inds))


def gang(tag: str, n: int, verdict: str = "malicious", **extra: str) -> list[ArtifactRecord]:
    """``n`` apps sharing the gang's own cert, backend domain and chat account."""
    out = []
    for i in range(n):
        inds = [
            ind("cert_sha256", sha(f"cert-{tag}")),
            ind("url", f"https://api.{tag}-backend.example/v1/login"),
            ind("qq", f"{abs(hash(tag)) % 10**8 + 10**8}"),
        ]
        inds += [ind(k, v) for k, v in extra.items()]
        out.append(app(f"{tag}-{i}", verdict, *inds))
    return out


def chain_of(cs: ChainSet, name: str) -> str | None:
    info = cs.artifact(sha(name))
    return None if info is None else info.chain


# 1. case reports name links: a reported URL artifact joins the chain of its host -------


def test_reported_link_joins_the_chain_of_its_download_host() -> None:
    dl = ind("url", "https://dl.g1-apps.example/app.apk")
    arts = [a.model_copy(update={"indicators": [*a.indicators, dl]}) for a in gang("g1", 3)]
    link = app("link", "clean", ind("url", "https://dl.g1-apps.example/s/x1"), kind="url")
    case = CaseRecord(case_id="c1", region="广东", artifacts=[sha("link")])
    cs = build_chains([*arts, link], [case])
    assert chain_of(cs, "link") == chain_of(cs, "g1-0") is not None
    assert cs.cases[0].chains == [chain_of(cs, "g1-0")]


def test_reported_link_on_a_cdn_stays_out() -> None:
    arts = [
        a.model_copy(update={"indicators": [*a.indicators, ind("url", CDN, common=True)]})
        for a in gang("g1", 3)
    ]
    link = app("link", "clean", ind("url", CDN, common=True), kind="url")
    case = CaseRecord(case_id="c1", region="广东", artifacts=[sha("link")])
    cs = build_chains([*arts, link], [case])
    assert chain_of(cs, "link") is None
    assert cs.cases[0].chains == []


# 2. chains grow beyond what detection flagged ----------------------------------------


def test_missed_app_joins_through_the_gangs_private_key() -> None:
    arts = gang("g1", 3, sdk_app_key="0123456789abcdef01234567")
    missed = app("missed", "clean", ind("sdk_app_key", "0123456789abcdef01234567"),
                 ind("package", "com.other.name"))
    cs = build_chains([*arts, missed], [])
    cid = chain_of(cs, "g1-0")
    assert cid is not None and chain_of(cs, "missed") == cid
    info = cs.artifact(sha("missed"))
    assert info is not None and info.joined is not None
    assert info.joined.how == "linked" and info.joined.kind == "sdk_app_key"
    assert info.joined.sentence(cid).startswith(f"linked to {cid} through SDK app key 0123")
    assert info.verdict == "clean"  # linking records the link; the scan verdict is its own
    chain = cs.chain(cid)
    assert chain is not None
    assert {m.sha256: m.joined.how for m in chain.members}[sha("missed")] == "linked"
    text = chain_text(chain_view(cs, chain, {}), {})  # `chaincut chain ID` says how each joined
    assert f"linked to {cid} through SDK app key 0123456789abcdef01234567" in text
    assert text.count("flagged") == 3
    assert {m.joined.how for m in chain.members if m.sha256 != sha("missed")} == {"flagged"}


def test_benign_apps_sharing_a_cdn_or_a_public_builder_cert_stay_out() -> None:
    arts = [
        a.model_copy(update={"indicators": [*a.indicators, ind("url", CDN, common=True),
                                            ind("cert_sha256", PUBLIC_CERT, common=True)]})
        for a in gang("g1", 3)
    ]
    benign = [
        app(f"benign-{i}", "clean", ind("url", CDN, common=True),
            ind("cert_sha256", PUBLIC_CERT, common=True), ind("package", f"com.shop{i}.app"))
        for i in range(3)
    ]
    cs = build_chains([*arts, *benign], [])
    assert len(cs.chains) == 1
    assert all(chain_of(cs, f"benign-{i}") is None for i in range(3))


def test_a_clean_app_sharing_only_a_supplier_key_joins_neither_gang() -> None:
    rented = sha("rented-signing-service")
    arts = [
        *gang("g1", 3, builder_app_id="__UNI__RENTED"),
        *gang("g2", 3, builder_app_id="__UNI__RENTED"),
    ]
    arts = [a.model_copy(update={"indicators": [*a.indicators, ind("cert_sha256", rented)]})
            for a in arts]
    bystander = app("bystander", "clean", ind("cert_sha256", rented))
    cs = build_chains([*arts, bystander], [])
    assert chain_of(cs, "bystander") is None


# 3. rotation: new certificate and domains, same accounts -------------------------------


def _rotated() -> list[ArtifactRecord]:
    out = []
    for half, (cert, domain) in enumerate([("old", "first-wave.example"),
                                           ("new", "second-wave.example")]):
        for i in range(4):
            out.append(app(
                f"rot-{half}-{i}", "malicious",
                ind("cert_sha256", sha(f"rot-cert-{cert}")),
                ind("url", f"https://api.{domain}/h5/index"),
                ind("sdk_app_key", "persistentchatkey000000000001"),
                ind("qq", "88776655"),
            ))
    return out


def test_a_gang_that_rotated_its_certificate_and_domains_is_one_chain() -> None:
    cs = build_chains(_rotated(), [])
    assert len(cs.chains) == 1
    assert len(cs.chains[0].artifacts) == 8


def test_two_gangs_sharing_a_supplier_stay_two_chains() -> None:
    arts = [*gang("g1", 4, team_id="RENTEDTEAM"), *gang("g2", 4, team_id="RENTEDTEAM")]
    cs = build_chains(arts, [])
    assert len(cs.chains) == 2
    assert chain_of(cs, "g1-0") != chain_of(cs, "g2-0")


# 4. victims' reports are evidence ------------------------------------------------------


def test_reported_apps_under_one_key_in_three_provinces_make_a_chain() -> None:
    apps = [app(f"kefu-{i}", "clean", ind("cert_sha256", sha("screen-share-key")))
            for i in range(3)]
    cases = [CaseRecord(case_id=f"c{i}", region=r, artifacts=[sha(f"kefu-{i}")])
             for i, r in enumerate(["江苏", "山西", "辽宁"])]
    cs = build_chains(apps, cases)
    assert len(cs.chains) == 1
    chain = cs.chains[0]
    assert chain.regions == ["山西", "江苏", "辽宁"] or len(chain.regions) == 3
    assert {m.joined.how for m in chain.members} == {"reported"}
    # the report is evidence, not a verdict: the stored verdict stays what the scan said
    assert {a.verdict for a in cs.artifacts} == {"clean"}


def test_one_report_of_a_lone_clean_app_makes_no_chain() -> None:
    genuine = app("bank", "clean", ind("cert_sha256", sha("bank-cert")))
    page = app("bank-page", "clean", ind("cert_sha256", sha("bank-cert")), kind="page")
    cs = build_chains([genuine, page], [CaseRecord(case_id="c1", region="北京",
                                                   artifacts=[sha("bank")])])
    assert cs.chains == []
    assert cs.cases[0].chains == []


def test_a_genuine_app_named_beside_the_fake_one_stays_out_of_the_chain() -> None:
    # victims name the fake app and, wrongly, the bank's own app (which shares only a CDN
    # with the gang, as clean apps of other companies do): two reports tie them, but the
    # genuine app carries nothing the chain owns, so it stays out
    fakes = [a.model_copy(update={"indicators": [*a.indicators, ind("url", CDN)]})
             for a in gang("g1", 3)]  # fmt: skip
    genuine = app("bank", "clean", ind("cert_sha256", sha("bank-cert")), ind("url", CDN))
    others = [app(f"other-{i}", "clean", ind("cert_sha256", sha(f"own-{i}")), ind("url", CDN))
              for i in range(4)]  # fmt: skip
    cases = [CaseRecord(case_id=f"c{i}", region=r, artifacts=[sha("g1-0"), sha("bank")])
             for i, r in enumerate(["江苏", "山西"])]  # fmt: skip
    cs = build_chains([*fakes, genuine, *others], cases)
    assert chain_of(cs, "g1-0") is not None
    assert chain_of(cs, "bank") is None


def test_a_reported_clean_copy_under_the_gangs_key_stays_in_the_chain() -> None:
    # counter-test: the reported, unflagged copy carries the gang's own certificate
    members = gang("g1", 3)
    copy = app("copy", "clean", ind("cert_sha256", sha("cert-g1")))
    cases = [CaseRecord(case_id="c1", region="江苏", artifacts=[sha("g1-0"), sha("copy")])]
    cs = build_chains([*members, copy], cases)
    assert chain_of(cs, "copy") is not None
    assert chain_of(cs, "copy") == chain_of(cs, "g1-0")


# 5. big campaigns stay one chain -------------------------------------------------------


def test_three_hundred_copies_of_one_landing_page_are_one_chain() -> None:
    pages = [
        app(f"copy-{i}", "malicious", ind("url", "https://dl.campaign.example/app.apk"),
            ind("url", f"https://dl.campaign.example/s/{i}.html"), kind="page")
        for i in range(300)
    ]
    cs = build_chains(pages, [])
    assert len(cs.chains) == 1 and len(cs.chains[0].artifacts) == 300


def test_a_cdn_carried_mostly_by_clean_apps_never_joins_gangs() -> None:
    cdn = "https://static.sharedcdn.example/sdk.js"  # not in the knowledge base
    arts = [*gang("g1", 3), *gang("g2", 3)]
    arts = [a.model_copy(update={"indicators": [*a.indicators, ind("url", cdn)]}) for a in arts]
    clean = [app(f"clean-{i}", "clean", ind("url", cdn), ind("package", f"com.c{i}"))
             for i in range(300)]
    cs = build_chains([*arts, *clean], [])
    assert len(cs.chains) == 2
    assert all(chain_of(cs, f"clean-{i}") is None for i in range(300))


# 6. suppliers are named, not merged ----------------------------------------------------


def test_a_shared_developer_key_is_a_ranked_supplier_serving_both_chains() -> None:
    dev = sha("developer-supplier-cert")
    arts = [*gang("g1", 3, package="com.a"), *gang("g2", 3, package="com.b")]
    arts = [a.model_copy(update={"indicators": [*a.indicators, ind("cert_sha256", dev)]})
            for a in arts]
    cs = build_chains(arts, [])
    assert len(cs.chains) == 2
    found = {(s.kind, s.value): s for s in cs.suppliers}
    supplier = found[("cert_sha256", dev)]
    assert supplier.role == "developer" and supplier.rank >= 1
    assert sorted(supplier.chains) == sorted(c.id for c in cs.chains)
    for chain in cs.chains:
        assert any(r.value == dev and r.chains == 2 for r in chain.suppliers)



def test_an_indicator_mostly_on_artifacts_outside_the_chain_does_not_pivot() -> None:
    # artifacts 0-2 are the chain; indicator 0 is its key, also on a missed copy (3);
    # indicator 1 is on one member and on three artifacts outside any chain (4-6)
    rows = np.array([0, 1, 2, 3, 0, 4, 5, 6], dtype=np.int32)
    cols = np.array([0, 0, 0, 0, 1, 1, 1, 1], dtype=np.int32)
    graph = IndicatorGraph(
        n_artifacts=7, rows=rows, cols=cols, prior=np.ones(2), common=np.zeros(2, dtype=bool),
        seed=np.array([True] * 3 + [False] * 4),
    )
    labels = np.array([0, 0, 0, -1, -1, -1, -1], dtype=np.int64)
    usable = np.ones(2, dtype=bool)
    after, via = pivot(graph, labels, np.ones(2), usable, rounds=3, margin=2.0)
    assert after.tolist() == [0, 0, 0, 0, -1, -1, -1]
    assert via[3] == 0


def test_an_sdk_domain_mostly_on_clean_apps_pulls_none_of_them_in() -> None:
    # a crash-report SDK's domain the knowledge base does not know: on two of the gang's
    # apps and on five clean apps of other companies; the gang's own missed copy, with
    # the gang's key beside it, still joins
    # (two such SDKs, so each clean app shares more than one value with the gang's)
    sdks = [ind("domain", "crash-sdk-reports.example"), ind("domain", "maps-sdk-tiles.example")]
    arts = [a.model_copy(update={"indicators": [*a.indicators, *sdks]}) if i < 2 else a
            for i, a in enumerate(gang("g1", 4))]  # fmt: skip
    bystanders = [app(f"clean-{i}", "clean", *sdks, ind("cert_sha256", sha(f"own-{i}")))
                  for i in range(5)]  # fmt: skip
    missed = app("missed", "clean", ind("cert_sha256", sha("cert-g1")))
    cs = build_chains([*arts, *bystanders, missed], [])
    gid = chain_of(cs, "g1-0")
    assert gid is not None and chain_of(cs, "missed") == gid
    assert all(chain_of(cs, f"clean-{i}") is None for i in range(5))


# 3b. rotation without kept accounts: halves that share an owned domain on part of each ---


def _half(tag: str, n: int, shared: ResultIndicator | None, on: int) -> list[ArtifactRecord]:
    """``gang``'s apps with the half's own SDK key and chat room too; ``shared`` on ``on``."""
    out = []
    for i, a in enumerate(gang(tag, n, sdk_app_key=sha(f"sdk-{tag}")[:24])):
        more = [ind("url", f"https://im.{tag}-chat.example/room")]
        if shared is not None and i < on:
            more.append(shared)
        if shared is not None and i == n - 1:  # a contact kept through the rotation
            more.append(ind("qq", "556677889"))
        out.append(a.model_copy(update={"indicators": [*a.indicators, *more]}))
    return out


def test_halves_of_a_rotated_gang_sharing_an_owned_domain_are_one_chain() -> None:
    kept = ind("url", "https://pay.kept-backend.example/gateway/submit")
    arts = [*_half("wave1", 6, kept, 3), *_half("wave2", 6, kept, 2)]
    apart = build_chains(arts, [], params=LinkParams(operation_share=0))
    assert chain_of(apart, "wave1-0") != chain_of(apart, "wave2-0")
    cs = build_chains(arts, [])
    assert chain_of(cs, "wave1-0") == chain_of(cs, "wave2-0") == chain_of(cs, "wave2-5")


def test_two_gangs_sharing_a_developer_template_stay_two_chains() -> None:
    # the developer's certificate, builder id and SDK key on half of each: not owned values
    template = [ind("cert_sha256", sha("dev-template")), ind("builder_app_id", "__UNI__DEVT01"),
                ind("sdk_app_key", "devtemplatekey0000000001")]
    arts = _half("gangx", 6, None, 0) + _half("gangy", 6, None, 0)
    arts = [a.model_copy(update={"indicators": [*a.indicators, *template]})
            if a.sha256 in {sha("gangx-0"), sha("gangx-1"), sha("gangx-2"),
                            sha("gangy-0"), sha("gangy-1"), sha("gangy-2")} else a
            for a in arts]
    cs = build_chains(arts, [])
    assert chain_of(cs, "gangx-0") != chain_of(cs, "gangy-0")


def test_a_domain_three_chains_share_merges_none_of_them() -> None:
    hosting = ind("url", "https://panel.shared-host.example/login")
    arts = [*_half("ga", 6, hosting, 3), *_half("gb", 6, hosting, 3), *_half("gc", 6, hosting, 3)]
    cs = build_chains(arts, [])
    assert len({chain_of(cs, f"{t}-0") for t in ("ga", "gb", "gc")}) == 3


def test_a_domain_on_one_app_of_each_merges_nothing() -> None:
    stray = ind("url", "https://cdn.stray-host.example/x.js")
    cs = build_chains([*_half("gp", 4, stray, 1), *_half("gq", 4, stray, 1)], [])
    assert chain_of(cs, "gp-0") != chain_of(cs, "gq-0")
