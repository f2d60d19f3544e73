"""One odd character must not stop a batch (issue 14 item 1).

A page whose script holds an escaped lone surrogate used to make the JSON writer fail, so
a batch of that page plus an APK wrote 0 documents. Every document is now valid Unicode
(replaced, with an ``invalid_unicode`` anomaly), and a document that still cannot be
written becomes an error record instead of ending the run.
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from chaincut.cli.app import app
from chaincut.cli.streams import writable
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.facts.models import FactsDocument
from chaincut.facts.unicode import usv, valid_document
from tests.cli_helpers import FIXTURES

PAGE = (
    '<html><body><script>var u = "https://a.example/\\ud800x.apk";'
    ' location.href = "https://b.example/\\ud83d\\ude00/\\udc00";</script></body></html>'
)


def test_a_page_with_a_lone_surrogate_and_an_apk_both_get_written(tmp_path: Path) -> None:
    page = tmp_path / "kit.html"
    page.write_text(PAGE, encoding="utf-8")
    apk = FIXTURES / "apk" / "v2v3.apk"
    result = CliRunner().invoke(app, ["facts", "-j", "1", "-q", str(page), str(apk)])
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [d["path"] for d in docs] == [str(page), str(apk)]
    codes = [a["code"] for a in docs[0]["anomalies"]]
    assert "invalid_unicode" in codes
    assert docs[0]["page"]["redirects"][0] == "https://b.example/\U0001f600/\ufffd"
    assert docs[1]["kind"] == "apk"


def test_scan_writes_both_results_too(tmp_path: Path) -> None:
    page = tmp_path / "kit.html"
    page.write_text(PAGE, encoding="utf-8")
    apk = FIXTURES / "apk" / "v2v3.apk"
    result = CliRunner().invoke(app, ["scan", "-j", "1", "-q", "-f", "jsonl", str(page), str(apk)])
    docs = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [d["path"] for d in docs] == [str(page), str(apk)]


def test_pairs_are_joined_and_lone_halves_replaced() -> None:
    assert usv("a\ud83d\ude00b\ud800") == "a\U0001f600b\ufffd"
    doc = extract_sample(make_sample("p.html", PAGE.encode())).document
    doc.model_dump_json()
    note = next(a for a in doc.anomalies if a.code == "invalid_unicode")
    assert "page.redirects[0]" in note.detail


def test_a_document_that_cannot_be_written_becomes_an_error_record() -> None:
    broken = FactsDocument.model_construct(
        sha256="ab" * 32, path="x.apk", kind="apk", size=3, format="zip",
        indicators=[object()],  # not serialisable, not repairable
    )
    record = writable(broken)
    assert record.sha256 == "ab" * 32 and record.size == 3
    assert record.errors[0].startswith("the document could not be written: ")
    record.model_dump_json()


def test_a_valid_document_is_returned_as_is() -> None:
    doc = FactsDocument(sha256="cd" * 32, path="ok", kind="other", size=0)
    assert valid_document(doc) is doc
