"""The evaluation's metric functions and report on hand-made inputs."""

from __future__ import annotations

import pytest

from chaincut.eval import metrics as M
from chaincut.eval.report import evaluate, linking
from chaincut.link.chainset import CaseRef, Chain, ChainSet, SupplierRef
from chaincut.result.models import Impersonation, ScanResult
from chaincut.sim.truth import ArtifactTruth, CaseTruth, SupplierTruth, WorldTruth


def test_prf_counts() -> None:
    score = M.binary_prf([True, True, True, False, False], [True, True, False, True, False])
    assert (score.tp, score.fp, score.fn) == (2, 1, 1)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.f1 == pytest.approx(2 / 3)
    assert M.prf(0, 0, 0).f1 == 0.0


def test_macro_f1_averages_labels_of_the_truth() -> None:
    assert M.macro_f1(["a", "a", "b", "b"], ["a", "a", "b", "b"]) == 1.0
    # a: p=1/2 r=1/2; b: p=1/2 r=1/2 → F1 1/2 each
    assert M.macro_f1(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.5)
    # a missing prediction is wrong, never a label of its own
    assert M.macro_f1(["a", "b"], ["a", None]) == pytest.approx((1.0 + 0.0) / 2)


def test_ari_on_known_partitions() -> None:
    assert M.adjusted_rand_index([0, 0, 1, 1], ["x", "x", "y", "y"]) == pytest.approx(1.0)
    assert M.adjusted_rand_index([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(
        0.24242424
    )  # worked by hand: index 1, expected 9·7/15, max 6.5
    assert M.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(-0.5)
    assert M.adjusted_rand_index([1, 2, 3], [4, 5, 6]) == 1.0  # all singletons both sides
    with pytest.raises(ValueError):
        M.adjusted_rand_index([1], [1, 2])


def test_pair_agreement() -> None:
    found = M.pair_agreement(["g1", "g1", "g2", "g2"], ["c1", "c1", "c1", None])
    assert (found.same_pairs, found.cross_pairs) == (2, 4)
    assert found.same_together == pytest.approx(0.5)  # g2's pair is not together (None)
    assert found.apart == pytest.approx(0.5)  # two cross pairs share c1


def _art(n: int, role: str, gang: str | None = None) -> ArtifactTruth:
    return ArtifactTruth(path=f"apk/{n}.apk", sha256=f"{n:064x}", kind="apk", role=role,  # type: ignore[arg-type]
                         gang=gang, brand="icbc" if gang else None,
                         category="banking" if gang else None)  # fmt: skip


def _result(n: int, verdict: str, brand: str | None = None, cat: str | None = None) -> ScanResult:
    imp = Impersonation(brand=brand, confidence=0.9) if brand else None
    return ScanResult(sha256=f"{n:064x}", path=f"{n}", kind="apk", verdict=verdict,  # type: ignore[arg-type]
                      score=60, impersonates=imp, category=cat)  # type: ignore[arg-type]  # fmt: skip


def _world() -> WorldTruth:
    arts = [_art(1, "fake", "g1"), _art(2, "fake", "g1"), _art(3, "fake", "g2"),
            _art(4, "hard_negative"), _art(5, "genuine")]  # fmt: skip
    cases = [
        CaseTruth(case_id=f"c{i + 1}", region=region, gang=gang, artifacts=[arts[i].sha256])
        for i, (region, gang) in enumerate([("广东", "g1"), ("浙江", "g1"), ("北京", "g2")])
    ]
    sup = SupplierTruth(kind="ip", value="47.1.2.3", role="server", supplier="server-0",
                        gangs=["g1", "g2"])  # fmt: skip
    return WorldTruth(seed=1, size="tiny", artifacts=arts, suppliers=[sup], cases=cases)


def test_report_on_hand_made_results() -> None:
    results = [
        _result(1, "malicious", "icbc", "banking"),
        _result(2, "suspicious", "icbc", "banking"),
        _result(3, "clean"),
        _result(4, "suspicious"),
        _result(5, "clean"),
    ]
    report = evaluate(_world(), results, None)
    by = {m.name: m for m in report.metrics}
    assert by["detection precision"].value == pytest.approx(2 / 3)
    assert by["detection recall"].value == pytest.approx(2 / 3)
    assert by["false positives on hard negatives"].value == 1.0
    assert by["false positives on hard negatives"].met is False
    assert by["false positives on genuines"].value == 0.0
    assert by["impersonation accuracy"].value == pytest.approx(2 / 3)
    assert not report.linking and "linking not available" in report.notes[0]
    assert not report.all_met


def _chain(cid: str, shas: list[str], cases: list[str], suppliers: list[str]) -> Chain:
    return Chain(
        id=cid, artifacts=shas, infrastructure=[], regions=[],
        cases=[CaseRef(case_id=c, region="x") for c in cases],
        suppliers=[SupplierRef(kind="ip", value=v, role="server", chains=2) for v in suppliers],
    )  # fmt: skip


def test_linking_metrics_on_hand_made_chains() -> None:
    world = _world()
    s = [a.sha256 for a in world.artifacts]
    chains = ChainSet(
        chains=[_chain("A", s[:2], ["c1", "c2"], ["47.1.2.3"]), _chain("B", s[2:3], ["c3"], [])],
        suppliers=[], artifacts=[], cases=[],
    )  # fmt: skip
    by = {m.name: m for m in linking(world, chains)}
    assert by["chains vs gangs ARI"].value == pytest.approx(1.0)
    assert by["supplier recall"].value == 1.0
    assert by["same-gang case pairs together"].value == 1.0
    assert by["cross-gang case pairs apart"].value == 1.0
    merged = ChainSet(chains=[_chain("A", s[:3], ["c1", "c2", "c3"], [])], suppliers=[],
                      artifacts=[], cases=[])  # fmt: skip
    by = {m.name: m for m in linking(world, merged)}
    assert by["chains vs gangs ARI"].value == pytest.approx(0.0)
    assert by["supplier recall"].value == 0.0
    assert by["cross-gang case pairs apart"].value == 0.0


def test_detection_with_chains_counts_what_linking_re_judges() -> None:
    """Fake 3 is linked through the certificate the flagged fakes carry; the hard
    negative was reported and grouped with g1 only through an SDK domain: with chains,
    the missed fake counts as found and the hard negative stays clean."""
    from chaincut.link.chainset import ArtifactInfo, InfraItem, Joined, Member

    sha = [f"{n:064x}" for n in range(1, 6)]
    cert, sdk = ("cert_sha256", "e" * 64), ("domain", "push-sdk.example")
    infos = [
        ArtifactInfo(sha256=sha[0], kind="apk", verdict="malicious", chain="ch-1",
                     joined=Joined(how="flagged"), indicators=[cert, sdk]),
        ArtifactInfo(sha256=sha[1], kind="apk", verdict="suspicious", chain="ch-1",
                     joined=Joined(how="flagged"), indicators=[cert, sdk]),
        ArtifactInfo(sha256=sha[2], kind="apk", verdict="clean", chain="ch-1",
                     joined=Joined(how="linked", kind=cert[0], value=cert[1]),
                     indicators=[cert]),
        ArtifactInfo(sha256=sha[3], kind="apk", verdict="clean", chain="ch-1",
                     joined=Joined(how="reported"), indicators=[sdk]),
        *[ArtifactInfo(sha256=f"{n:064x}", kind="apk", verdict="clean", indicators=[sdk])
          for n in range(5, 10)],  # the SDK is on clean apps outside every chain too
    ]  # fmt: skip
    chain = Chain(
        id="ch-1", artifacts=sha[:4], regions=["广东"], suppliers=[],
        cases=[CaseRef(case_id="c1", region="广东")],
        infrastructure=[InfraItem(kind=k, value=v, role="unknown", artifacts=n)
                        for (k, v), n in ((cert, 3), (sdk, 3))],
        members=[Member(sha256=i.sha256, joined=i.joined) for i in infos[:4] if i.joined],
    )  # fmt: skip
    chains = ChainSet(chains=[chain], suppliers=[], artifacts=infos, cases=[])
    results = [_result(1, "malicious"), _result(2, "suspicious"), _result(3, "clean"),
               _result(4, "clean"), _result(5, "clean")]  # fmt: skip
    by = {m.name: m for m in evaluate(_world(), results, chains).metrics}
    assert by["detection recall"].value == pytest.approx(2 / 3)
    assert by["detection F1 (with chains)"].value == pytest.approx(1.0)
    assert by["false positives on hard negatives (with chains)"].value == 0.0
    assert by["false positives on genuines (with chains)"].value == 0.0


def test_eval_records_carry_file_names_as_the_store_does() -> None:
    """Linking in ``chaincut eval`` sees the names files were scanned under, like the
    store's records (``file`` keys tie a page's download link to the package)."""
    from chaincut.eval.run import records
    from chaincut.link.model import file_name
    from chaincut.store.util import looks_like_url

    apk = _result(1, "malicious").model_copy(update={"path": "w/apks/k7yvyv.apk"})
    win = _result(2, "clean").model_copy(update={"path": "C:\\in\\q9z.apk"})
    url = _result(3, "suspicious").model_copy(
        update={"kind": "url", "path": "https://x.example/dl/k7yvyv.apk"})
    # a file on disk holding one URL is read as a URL, but arrived as a file
    link_file = _result(4, "suspicious").model_copy(
        update={"kind": "url", "path": "w/links/pay-link.txt"})
    got = {r.sha256: r.files for r in records([apk, win, url, link_file])}
    assert got == {apk.sha256: ["k7yvyv.apk"], win.sha256: ["q9z.apk"], url.sha256: [],
                   link_file.sha256: ["pay-link.txt"]}  # fmt: skip
    assert file_name("a\\b/c.ipa") == "c.ipa" and file_name("") == ""
    # the store keeps a name as a URL exactly when eval gives it no file name
    for name in (apk.path, win.path, url.path, link_file.path, "itms-services://?a=b"):
        assert looks_like_url(name) is (records([apk.model_copy(update={"path": name})])[0]
                                        .files == [])
