"""A gang is one chain however its apps and pages fall apart; two gangs stay two.

Each capability with its counter-test: accounts named in URL queries (merchant ids,
channel codes) link across rotated domains, but ids other gangs or clean apps carry do
not; a gang's landing pages join its apps through a value private to the two, but pages
naming only a shared distributor stay apart; a gang whose pages and QR codes form tight
pairs stays one chain, but two gangs sharing a developer's certificate stay two.
"""

from __future__ import annotations

import numpy as np

from chaincut.link.chains import build_chains
from chaincut.link.chainset import ChainSet
from chaincut.link.derive import param_keys, url_keys
from chaincut.link.graph import from_records
from chaincut.link.merge import merge_communities, merge_whole
from chaincut.link.model import ArtifactRecord
from chaincut.link.params import LinkParams
from chaincut.link.satellites import adopt_satellites
from chaincut.result.models import ResultIndicator
from tests.link_world import ind, sha


def rec(name: str, verdict: str, *inds: ResultIndicator, kind: str = "apk") -> ArtifactRecord:
    return ArtifactRecord(sha256=sha(name), kind=kind, verdict=verdict, indicators=list(inds))


def chain_of(cs: ChainSet, name: str) -> str | None:
    info = cs.artifact(sha(name))
    return None if info is None else info.chain


# accounts in URL queries --------------------------------------------------------------


def test_query_accounts_are_keyed_without_the_host() -> None:
    keys = url_keys("https://pay.newdomain.example/gateway/submit?mch_id=5550001234")
    assert ("param", "mch_id=5550001234") in keys
    assert ("param", "channel=KP68W") in url_keys("https://f.example/a/b.apk?channel=KP68W")


def test_words_versions_and_short_values_are_not_accounts() -> None:
    assert param_keys("action=download-manifest&lang=zh&v=1.2.3&page=7&eid=ab12cd34") == [
        ("param", "eid=ab12cd34")
    ]
    assert param_keys("action=download-manifest&lang=zh&v=1.2.3&page=7") == []
    assert param_keys("%zz=%%&=") == []


def test_a_merchant_id_ties_a_gang_across_rotated_domains() -> None:
    old = rec("old", "malicious", ind("url", "https://pay.old-gw.example/submit?mch_id=4345918"))
    new = rec("new", "malicious", ind("url", "https://pay.new-gw.example/submit?mch_id=4345918"))
    rg = from_records([old, new], LinkParams())
    keys = [(k.kind, k.value) for k in rg.keys]
    shared = keys.index(("param", "mch_id=4345918"))
    assert np.count_nonzero(rg.graph.cols == shared) == 2


def test_a_query_id_clean_apps_carry_links_nothing() -> None:
    # an SDK's public id on clean apps and on two flagged ones is benign, not a tie
    sdk = ind("url", "https://sdk.analytics.example/collect?appid=PUB12345")
    arts = [rec(f"clean-{i}", "clean", sdk, ind("cert_sha256", sha(f"c{i}"))) for i in range(4)]
    arts += [rec(f"bad-{i}", "malicious", sdk, ind("qq", f"1234567{i}")) for i in range(2)]
    cs = build_chains(arts, [])
    assert chain_of(cs, "bad-0") is None or chain_of(cs, "bad-0") != chain_of(cs, "bad-1")
    assert all(chain_of(cs, f"clean-{i}") is None for i in range(4))


# landing pages join the apps they deliver (satellites.py) ------------------------------

# communities: 0 = apps 0-2, 3 = apps 3-5, 6 = pages 6-7 (delivery steps only)
LABELS = np.asarray([0, 0, 0, 3, 3, 3, 6, 6], dtype=np.int64)
DELIVERY = np.asarray([False] * 6 + [True, True])


def _adopt(links: list[tuple[int, int]], n_ind: int) -> np.ndarray:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    return adopt_satellites(rows, cols, np.ones(n_ind), LABELS, DELIVERY, 2.0)


# indicator 0: a distributor host on one app of each operation and on both pages;
# 1: operation 0's own domain; 2: operation 3's own domain; 3: the pages' own address
BASE = [(0, 0), (3, 0), (6, 0), (7, 0), (6, 3), (7, 3)]
BASE += [(a, 1) for a in range(3)] + [(a, 2) for a in range(3, 6)]


def test_pages_join_the_operation_whose_account_they_name() -> None:
    labels = _adopt([*BASE, (6, 1), (7, 1)], 4)
    assert (labels[6:] == 0).all()
    assert (labels[:3] == 0).all() and (labels[3:6] == 3).all()


def test_pages_naming_only_a_shared_distributor_stay_apart() -> None:
    labels = _adopt(BASE, 4)
    assert (labels == LABELS).all()


def test_a_report_naming_a_page_and_an_app_ties_them() -> None:
    rows = np.asarray([a for a, _ in BASE], dtype=np.int32)
    cols = np.asarray([i for _, i in BASE], dtype=np.int32)
    report = (np.asarray([7, 4], dtype=np.int64), np.asarray([0, 0], dtype=np.int64))
    labels = adopt_satellites(rows, cols, np.ones(4), LABELS, DELIVERY, 2.0, report)
    assert (labels[6:] == 3).all()
    # a report naming two pages of the satellite and nothing else ties it to no one
    alone = (np.asarray([6, 7], dtype=np.int64), np.asarray([0, 0], dtype=np.int64))
    labels = adopt_satellites(rows, cols, np.ones(4), LABELS, DELIVERY, 2.0, alone)
    assert (labels == LABELS).all()


def test_pages_tied_equally_to_two_operations_stay_apart() -> None:
    labels = _adopt([*BASE, (6, 1), (7, 2)], 4)
    assert (labels == LABELS).all()


# a value through two halves (merge.merge_whole) ------------------------------------------

HALVES = np.asarray([0] * 4 + [4] * 4, dtype=np.int64)


def _merge(links: list[tuple[int, int]], n_ind: int) -> tuple[np.ndarray, np.ndarray]:
    rows = np.asarray([a for a, _ in links], dtype=np.int32)
    cols = np.asarray([i for _, i in links], dtype=np.int32)
    w = np.ones(n_ind)
    return (
        merge_communities(rows, cols, w, HALVES, 0.7),
        merge_whole(rows, cols, w, HALVES, 0.9, 0.5),
    )


def test_halves_one_key_runs_through_are_one_operation() -> None:
    # the gang's key (0) on all eight, two of its domains (1, 2) across the cut, and a
    # value of each half's own (3, 4): association ratio 0.62, under the density test's 0.7
    links = [(a, 0) for a in range(8)] + [(a, 1) for a in range(6)]
    links += [(a, 2) for a in range(2, 8)] + [(a, 3) for a in range(4)]
    links += [(a, 4) for a in range(4, 8)]
    dense, whole = _merge(links, 5)
    assert len(set(dense.tolist())) == 2  # the density test alone keeps them apart
    assert len(set(whole.tolist())) == 1


def test_two_gangs_renting_one_chat_account_stay_apart() -> None:
    # one account (0) on every app of both gangs, three own values on each side
    links = [(a, 0) for a in range(8)]
    links += [(a, i) for a in range(4) for i in (1, 2, 3)]
    links += [(a, i) for a in range(4, 8) for i in (4, 5, 6)]
    _, whole = _merge(links, 7)
    assert (whole == HALVES).all()


# a lone gang stays one chain; two gangs sharing a supplier stay two ---------------------


def _gang(tag: str, n_apps: int, n_pages: int, *extra: ResultIndicator) -> list[ArtifactRecord]:
    """Apps on the gang's backend, chat account and key; page + QR pairs on a distributor."""
    out = []
    for i in range(n_apps):
        inds = [
            ind("cert_sha256", sha(f"cert-{tag}-{i % 2}")),
            ind("url", f"https://h5.{tag}-app.example/#/pages/index"),
            ind("qq", str(10**8 + len(tag) * 7919 + sum(map(ord, tag)))),
            *extra,
        ]
        out.append(rec(f"{tag}-app-{i}", "malicious", *inds))
    for i in range(n_pages):
        page_url = f"https://d.shared-dist.example/s/{tag}{i}.html"
        out.append(rec(
            f"{tag}-page-{i}", "malicious",
            ind("url", page_url),
            ind("url", f"https://file.shared-dist.example/apk/{tag}{i}.apk"),
            ind("url", f"https://h5.{tag}-app.example/#/pages/index"),
            kind="page",
        ))  # fmt: skip
        out.append(rec(f"{tag}-qr-{i}", "malicious", ind("url", page_url), kind="qr"))
    return out


def test_a_gang_with_many_page_pairs_is_one_chain() -> None:
    arts = _gang("alpha", 6, 6) + _gang("beta", 6, 6)
    cs = build_chains(arts, [])
    alpha = {chain_of(cs, a) for a in (f"alpha-app-{i}" for i in range(6))}
    alpha |= {chain_of(cs, f"alpha-{k}-{i}") for k in ("page", "qr") for i in range(6)}
    assert len(alpha) == 1 and None not in alpha


def test_two_gangs_sharing_a_developer_certificate_stay_two_chains() -> None:
    dev = ind("cert_sha256", sha("rented-developer-key"))
    arts = _gang("alpha", 6, 3, dev) + _gang("beta", 6, 3, dev)
    cs = build_chains(arts, [])
    a, b = chain_of(cs, "alpha-app-0"), chain_of(cs, "beta-app-0")
    assert a is not None and b is not None and a != b
    assert {chain_of(cs, f"alpha-page-{i}") for i in range(3)} == {a}
    assert {chain_of(cs, f"beta-page-{i}") for i in range(3)} == {b}
    assert any(s.value == sha("rented-developer-key") for s in cs.suppliers)


# a download link names the package file it delivers ------------------------------------


def test_file_keys_of_package_names_and_download_links() -> None:
    from chaincut.link.derive import file_key, url_file_key

    assert file_key("apks/K7yvyv.apk") == "k7yvyv.apk"
    assert url_file_key("https://file.dist.example/apk/k7yvyv.apk?channel=AB12") == "k7yvyv.apk"
    assert file_key("app.apk") is None and file_key("app-release.apk") is None  # generic
    assert file_key("notes.txt") is None and url_file_key("https://x.example/a/b.html") is None
    # versions, split parts, package names and build-tool names name no one's package
    for generic in ("1.0.0.apk", "v1.2.3.apk", "2024.apk", "split_config.arm64_v8a.apk",
                    "com.tencent.mm.apk", "app_release.apk", "payload.ipa", "update.apk"):
        assert file_key(generic) is None, generic
    assert file_key("hxloan_2.7.1.apk") == "hxloan_2.7.1.apk"  # a name with its version


def test_a_page_on_a_shared_distributor_joins_the_gang_whose_package_it_links() -> None:
    arts = _gang("alpha", 6, 0) + _gang("beta", 6, 0)
    named = {sha(f"beta-app-{i}"): [f"b3t{i}x9.apk"] for i in range(6)}
    arts = [a.model_copy(update={"files": named.get(a.sha256, [])}) for a in arts]
    pages = [rec(f"pg-{i}", "malicious",
                 ind("url", f"https://d.shared-dist.example/s/p{i}.html"),
                 ind("url", f"https://file.shared-dist.example/apk/b3t{i}x9.apk"), kind="page")
             for i in range(2)]
    cs = build_chains([*arts, *pages], [])
    beta = chain_of(cs, "beta-app-0")
    assert beta is not None and beta != chain_of(cs, "alpha-app-0")
    assert chain_of(cs, "pg-0") == chain_of(cs, "pg-1") == beta


def test_a_genuine_app_and_its_official_page_sharing_a_file_name_stay_out() -> None:
    genuine = ArtifactRecord(sha256=sha("genuine-apk"), kind="apk", verdict="clean",
                             files=["bigbank_5.1.apk"],
                             indicators=[ind("cert_sha256", sha("bank-cert"))])
    page = rec("official-page", "clean",
               ind("url", "https://download.bigbank.example/bigbank_5.1.apk"), kind="page")
    cs = build_chains([*_gang("alpha", 4, 0), genuine, page], [])
    assert chain_of(cs, "genuine-apk") is None and chain_of(cs, "official-page") is None
    assert not [s for s in cs.suppliers if s.kind == "file"]
