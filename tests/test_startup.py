"""Start-up stays cheap: the CLI imports what a command needs when that command runs.

``chaincut --help`` took 2.6 s and ``chaincut facts one.apk`` 3.1 s when every command
module imported the store, the simulator, linking and pypinyin at start-up. These check the
modules loaded, not the time, so they do not flake on a busy machine (docs/benchmarks.md has
the timings).
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.cli_helpers import FIXTURES

# Modules that cost tens to hundreds of milliseconds to import and no start-up needs.
HEAVY = (
    "sqlalchemy",
    "alembic",
    "scipy",
    "igraph",
    "networkx",
    "numpy",
    "pypinyin",
    "opencc",
    "imagehash",
    "fastapi",
    "uvicorn",
    "stix2",
    "dask",
    "distributed",
    "jinja2",
    "rich",
    "httpx",
    "tldextract",
    "chaincut.sim",
    "chaincut.store",
    "chaincut.link",
    "chaincut.detect",
    "chaincut.eval",
    "chaincut.fetch",
    "chaincut.extractors",
    "chaincut.render",
)
# Extracting facts may load its own readers and the renderers (the public suffix list is
# read without tldextract, which imports requests), never the
# store, linking, judging, simulating, serving or the fetcher.
FACTS_MAY_LOAD = {
    "numpy",
    "imagehash",
    "jinja2",
    "chaincut.extractors",
    "chaincut.render",
}
NOT_FOR_FACTS = tuple(n for n in HEAVY if n not in FACTS_MAY_LOAD)
# Help is drawn with Rich (Typer's formatter); importing the CLI must not load it.
NOT_FOR_HELP = tuple(n for n in HEAVY if n != "rich")
# Readers of other input kinds, and what only they need: registering an extractor declares
# what it sniffs, its reader is imported when a file of its kind is read.
NOT_FOR_AN_APK = (
    "PIL",
    "zxingcpp",
    "imagehash",
    "chaincut.extractors.page.extract",
    "chaincut.extractors.qr.extract",
    "chaincut.extractors.qr.decode",
    "chaincut.extractors.url",
    "chaincut.extractors.cms.signed",
    "chaincut.extractors.ios.ipa",
    "chaincut.extractors.ios.provision",
    "chaincut.extractors.ios.mobileconfig",
    "chaincut.extractors.apk.bundle.read",
    "chaincut.knowledge.brands",
    "chaincut.result",
)
# What sniffing may load: the content tests, never a reader (a file holding a URL loads
# the URL package, which then reads it).
READERS = (
    *(n for n in NOT_FOR_AN_APK if n != "chaincut.extractors.url"),
    "asn1crypto",
    "cryptography.x509",
    "tldextract",
    "chaincut.extractors.apk.extract",
    "chaincut.extractors.apk.signing",
    "chaincut.extractors.zip",
)


def _loaded(code: str) -> set[str]:
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.splitlines()[-1]))


def _heavy(loaded: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(m == n or m.startswith(n + ".") for m in loaded))


def test_importing_the_cli_loads_no_heavy_module() -> None:
    loaded = _loaded("import chaincut.cli.app")
    assert _heavy(loaded, HEAVY) == []


def test_help_lists_every_command_without_loading_heavy_modules() -> None:
    code = (
        "import contextlib, io, sys\n"
        "from chaincut.cli.app import app\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        "    app(['--help'], prog_name='chaincut')\n"
        "sys.stderr.write(out.getvalue())"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code + "\nimport json\nprint(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for command in ("facts", "scan", "demo", "ingest", "chains", "chain", "suppliers"):
        assert f" {command} " in proc.stderr, command
    for group in ("cases", "export", "eval", "brands", "rules", "store", "sim"):
        assert f" {group} " in proc.stderr, group
    assert _heavy(set(json.loads(proc.stdout)), NOT_FOR_HELP) == []


def test_facts_on_one_apk_loads_only_what_extraction_needs() -> None:
    apk = FIXTURES / "apk" / "labels_locales.apk"
    code = (
        "import contextlib, io\n"
        "from chaincut.cli.app import app\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    app(['facts', {str(apk)!r}, '-j', '1', '--timeout', '0'], prog_name='chaincut')"
    )
    loaded = _loaded(code)
    assert "chaincut.extractors.apk.extract" in loaded  # it did extract
    assert _heavy(loaded, NOT_FOR_FACTS) == []
    assert _heavy(loaded, NOT_FOR_AN_APK) == []


def test_registering_and_sniffing_extractors_imports_no_reader() -> None:
    apk = FIXTURES / "apk" / "labels_locales.apk"
    code = (
        "from chaincut.extractors.dispatch import choose_extractor, make_sample\n"
        f"buf = open({str(apk)!r}, 'rb').read()\n"
        "for b in (buf, b'<html><body>x</body></html>', b'\\x89PNG\\r\\n\\x1a\\n' + bytes(40),\n"
        "          b'https://example.com/a', b'dex\\n035\\x00'):\n"
        "    assert choose_extractor(make_sample('x', b)) is not None"
    )
    loaded = _loaded(code)
    assert "chaincut.extractors.apk.plugin" in loaded  # the built-ins are registered
    assert "chaincut.extractors.web_plugin" in loaded
    assert _heavy(loaded, READERS) == []


def test_the_link_sniff_precheck_never_drops_a_link() -> None:
    from chaincut.extractors.url.file import single_url
    from chaincut.extractors.web_plugin import _may_be_a_link

    samples = [
        b"https://a.example/x",
        b"\xef\xbb\xbf  \xc2\xa0\xe3\x80\x80HTTP://a.example",
        b"\x1c\x1d\tftp://a.example/f",
        b"itms-services://?action=download-manifest&url=https://a.example/m.plist",
        b"WSS://a.example",
        b"PK\x03\x04https://a.example",
        b"<a href='https://a.example'>",
        b"\xc3\xa9https://a.example",
        b"x" * 70 + b"https://a.example",
    ]
    for buf in samples:
        if single_url(buf) is not None:
            assert _may_be_a_link(buf), buf
    assert not _may_be_a_link(b"PK\x03\x04 https://a.example")
