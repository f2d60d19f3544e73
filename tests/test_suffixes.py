"""Our public-suffix reader gives tldextract's answers: every host found in the corpora's
DEX strings and resources, and synthetic names around every ICANN rule (wildcards,
exceptions, punycode, upper case, trailing dots, IP literals)."""

from __future__ import annotations

import random
import zipfile

import pytest

from chaincut.extractors.indicators import hosts, suffixes
from tests.corpus import corpus_files

tldextract = pytest.importorskip("tldextract")
HOST_BYTES = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"
SPACES = bytes(c if c in HOST_BYTES else 32 for c in range(256))  # the rest splits tokens


@pytest.fixture(scope="module")
def reference() -> object:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def _expected(extract: object, host: str) -> tuple[str, str]:
    result = extract.extract_str(host, include_psl_private_domains=False)  # type: ignore[attr-defined]
    return result.domain, result.suffix


def _corpus_hosts(limit: int = 6000) -> list[str]:
    found: set[str] = set()
    for name in ("androguard", "malware"):
        for path in corpus_files(name):
            try:
                with zipfile.ZipFile(path) as z:
                    for info in z.infolist():
                        if info.filename.endswith((".dex", ".arsc", ".xml", ".json", ".js")):
                            data = z.read(info)[:1_000_000]
                            tokens = data.translate(SPACES).split()
                            found.update(t.strip(b".").decode() for t in tokens if b"." in t)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
                continue
    return sorted(found)[:limit] if len(found) <= limit else random.Random(3).sample(
        sorted(found), limit
    )


def _synthetic() -> list[str]:
    rng = random.Random(11)
    rules, _ = suffixes._rules()
    out: list[str] = []
    for rule in sorted(rules):
        text = ".".join(reversed(rule))
        plain = text.replace("*.", "").lstrip("!")
        wild = text.replace("*", "w" + str(rng.randint(0, 9)))
        out += [plain, f"example.{plain}", f"a.b-c.{plain}", f"x.{wild}", wild]
        out += [f"Shop.{plain.upper()}", f"example.{plain}.", f"{plain}.zz"]
        try:
            puny = plain.encode("idna").decode("ascii")
        except UnicodeError:
            puny = ""
        if puny and puny != plain:
            out += [f"pay.{puny}", puny, f"m.pay.{puny.upper()}"]
    out += ["1.2.3.4", "256.1.1.1", "10.0.0.1.com", "com", "", ".", "a..com", "xn--.com"]
    out += ["xn--fiqs8s", "www.xn--fiqs8s", "a.xn--zz-invalid", "www.ck", "a.b.ck", "b.ck"]
    out += ["city.kawasaki.jp", "x.city.kawasaki.jp", "a.b.kawasaki.jp", "kawasaki.jp"]
    out += ["[::1]", "[1:2::3]", "[nope]", "a.com\u3002", "a\u3002b\uff0ecom", " a.com "]
    return out


def test_equal_to_tldextract_on_corpus_hosts(reference: object) -> None:
    found = _corpus_hosts()
    assert len(found) > 1000
    for host in found:
        for variant in (host, host.lower()):
            assert suffixes.split_host(variant) == _expected(reference, variant), variant


def test_equal_to_tldextract_on_synthetic_hosts(reference: object) -> None:
    names = _synthetic()
    assert len(names) > 20_000
    for host in names:
        assert suffixes.split_host(host) == _expected(reference, host), host


def _parts(extract: object, host: str, private: bool) -> tuple[str, str, str]:
    r = extract.extract_str(host, include_psl_private_domains=private)  # type: ignore[attr-defined]
    return r.subdomain, r.domain, r.suffix


def _private_synthetic() -> list[str]:
    """Names around every private rule (tenants of hosting platforms, their wildcards)."""
    rules, _ = suffixes._rules(private=True)
    icann, _ = suffixes._rules()
    out = []
    for rule in sorted(rules - icann):
        plain = ".".join(reversed(rule)).replace("*.", "").lstrip("!")
        out += [plain, f"shop.{plain}", f"a.b.{plain}", f"x.w1.{plain}"]
    return out


@pytest.mark.parametrize("private", [False, True])
def test_parts_equal_tldextract_both_ways(reference: object, private: bool) -> None:
    """Subdomain, domain and suffix, with the ICANN rules alone and with the private
    ones (what URL analysis reads as the registrable domain and the tenant)."""
    names = _synthetic()[::7] + _private_synthetic() + _corpus_hosts(1500)
    assert len(names) > 5000
    for host in names:
        got = suffixes.split_parts(host, private=private)
        assert got == _parts(reference, host, private), (host, private)


def test_url_host_split_reads_the_same_list(reference: object) -> None:
    """URL analysis splits hosts with this reader: registrable domain, subdomain, suffix
    and tenant as tldextract gives them."""
    from chaincut.extractors.url import host as url_host

    for name in [*_private_synthetic()[::5], "pay.example.co.uk", "x.github.io", "com"]:
        icann, private = _parts(reference, name, False), _parts(reference, name, True)
        got = url_host.split(name)
        if not icann[2] or not icann[1]:
            assert got == url_host.Split(None, None, icann[2] or None, None), name
            continue
        tenant = f"{private[1]}.{private[2]}" if private[1] else None
        want = url_host.Split(f"{icann[1]}.{icann[2]}", icann[0] or None, icann[2], tenant)
        assert got == want, name


def test_reading_the_list_imports_no_tldextract() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from chaincut.extractors.indicators.hosts import registrable\n"
        "assert registrable('www.example.co.uk') == 'example.co.uk'\n"
        "assert registrable('pay.xn--fiqs8s') == 'pay.xn--fiqs8s'\n"
        "from chaincut.extractors.url.analyse import analyse_url\n"
        "assert analyse_url('https://a.b.github.io/x').registrable_domain == 'github.io'\n"
        "bad = [m for m in ('tldextract', 'requests') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_hosts_keep_their_answers() -> None:
    assert hosts.registrable("api.example-fraud.top") == "example-fraud.top"
    assert hosts.bare_host_domain("cdn.example.com.cn") == "example.com.cn"
    assert hosts.bare_host_domain("com.tencent.mm") is None
