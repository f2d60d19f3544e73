"""Addresses a landing page's script builds: variables, objects, pieces, ternaries and
the encodings kits hide links with (base64, percent, char codes, reversed strings)."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from chaincut.detect.pipeline import ScanContext, scan_extraction
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.extractors.page import read_page
from chaincut.extractors.page.jsvalues import script_values
from chaincut.sim.web import SCRIPT_STYLES, redirect_script

APK = "https://dl.kitdl.top/pkg/app.apk"
B64 = base64.b64encode(APK.encode()).decode()


def found(code: str, line: int = 1) -> set[tuple[str, str, str | None]]:
    return {(f.value, f.sink, f.hidden) for f in script_values([(code, line)])}


def sinks(code: str) -> set[tuple[str, str]]:
    return {(f.value, f.sink) for f in script_values([(code, 1)]) if f.sink != "decoded"}


@pytest.mark.parametrize(
    "code",
    [
        f'var a = "{APK}"; btn.onclick = function () {{ location.href = a; }};',
        f'let cfg = {{android: "{APK}", ios: "x"}}; window.location.href = cfg.android;',
        f'const cfg = {{urls: {{android: "{APK}"}}}}; top.location = cfg.urls["android"];',
        'var h = "https://dl." + "kitdl.top"; location.replace(h + "/pkg/" + "app.apk");',
        f'var u = isIOS ? iosUrl : "{APK}"; window.location.assign(u);',
        f'var u = getParam("to") || "{APK}"; window.open(u);',
        'var u = "https://dl.kitdl.top"; u += "/pkg/app.apk"; location.href = u;',
        f'window.apk = "{APK}"; location.href = apk;',
    ],
)
def test_redirects_through_variables_objects_pieces_and_branches(code: str) -> None:
    assert (APK, "location") in sinks(code)


@pytest.mark.parametrize(
    ("code", "how"),
    [
        (f'location.href = atob("{B64}");', "base64"),
        (f'location.href = window.atob("{B64}");', "base64"),
        (f'location.href = Base64.decode("{B64.rstrip("=")}");', "base64"),
        ('location.href = decodeURIComponent("https%3A%2F%2Fdl.kitdl.top%2Fpkg%2Fapp.apk");',
         "percent"),
        ('location.href = unescape("%68ttps://dl.kitdl.top/pkg/app.apk");', "percent"),
        ("location.href = String.fromCharCode(" + ",".join(str(ord(c)) for c in APK) + ");",
         "char codes"),
        ("location.href = String.fromCharCode(" + ",".join(hex(ord(c)) for c in APK) + ");",
         "char codes"),
        (f'location.href = "{APK[::-1]}".split("").reverse().join("");', "reversed"),
        (f'var s = atob("{B64}"); var t = s; location.href = t;', "base64"),
    ],
)
def test_encoded_addresses_are_decoded_and_marked(code: str, how: str) -> None:
    assert (APK, "location", how) in found(code)


def test_a_decoded_address_used_elsewhere_is_still_reported() -> None:
    assert found(f'var s = atob("{B64}"); fetchAndGo(s);') == {(APK, "decoded", "base64")}


def test_element_links_set_by_script() -> None:
    for code in (
        f'document.getElementById("d").href = "{APK}";',
        f'var a = "{APK}"; $("#d").attr("href", a);',
        f'var a = "{APK}"; el.setAttribute("href", a);',
        f'var a = "{APK}"; $(".d").prop("href", a);',
    ):
        assert sinks(code) == {(APK, "href")}, code


def test_statements_without_semicolons_end_at_line_breaks() -> None:
    code = f'var a = "{APK}"\nvar b = "other"\nx = 1\nlocation.href = a\nfoo()'
    assert sinks(code) == {(APK, "location")}


def test_bindings_carry_across_a_pages_scripts_in_order() -> None:
    scripts = [(f'var a = "{APK}";', 3), ("go.onclick = function(){ location.href = a }", 9)]
    got = script_values(scripts)
    assert [(f.value, f.sink, f.line) for f in got] == [(APK, "location", 9)]


def test_what_cannot_be_followed_is_left_alone() -> None:
    assert found("location.href = buildUrl(id);") == set()
    assert found("location.href = base + path;") == set()  # unbound names
    assert found('xhr.open("GET", "https://api.kitdl.top/x");') == set()
    assert found('if (location.href == "https://a.example/") { go(); }') == set()
    assert found('var a = atob("////"); location.href = a;') == set()  # not text
    assert found('var a = atob("aGVsbG8gd29ybGQ=");') == set()  # text, but no address
    assert found('var a = "x"; a.split("").reverse();') == set()


def test_hostile_scripts_are_bounded_and_never_raise() -> None:
    assert found('location.href = "unterminated') == set()
    assert found("/* never closed location.href = 'x'") == set()
    assert found("location.href = (((((((((((") == set()
    nested = "var a = {" * 5000 + "}" * 5000 + "; location.href = a;"
    big = "location.href = " + " + ".join(['"a"'] * 50_000) + ";"
    start = time.process_time()
    script_values([(nested, 1)])
    script_values([(big, 1)])
    assert time.process_time() - start < 10  # bounded work, not a timing target


def page(tmp_path: Path, body: str, title: str = "下载") -> Path:
    path = tmp_path / "p.html"
    path.write_text(f"<html><head><title>{title}</title></head><body>{body}</body></html>",
                    encoding="utf-8")
    return path


def test_page_links_downloads_and_indicators_from_script(tmp_path: Path) -> None:
    path = page(tmp_path, f"""<a id="d">下载</a><script>
var cfg = {{android: atob("{B64}"),
           ios: "itms-services://?action=download-manifest&url=https://m.kitdl.top/m.plist"}};
var isIOS = /iPhone|iPad/i.test(navigator.userAgent);
document.getElementById("d").onclick = function () {{
  window.location.href = isIOS ? cfg.ios : cfg.android;
}};
</script>""")
    facts, indicators = read_page(path.read_bytes(), str(path), Findings())
    hidden = [(link.url, link.source, link.hidden, link.kind) for link in facts.links
              if link.hidden]
    assert hidden == [(APK, "js_location", "base64", "apk")]
    assert APK in facts.downloads and APK in facts.redirects
    assert ("domain", "kitdl.top") in {(i.kind, i.value) for i in indicators}


def test_scan_reports_the_hidden_link_and_a_plain_page_has_none(tmp_path: Path) -> None:
    ctx = ScanContext.load()
    hidden = page(tmp_path, f'<script>location.href = atob("{B64}")</script>')
    result = scan_extraction(extract_sample(make_sample(str(hidden), hidden.read_bytes())), ctx)
    items = {e.rule: e for e in result.evidence}
    assert "distribution/hidden-link" in items
    assert "base64" in (items["distribution/hidden-link"].detail or "")
    plain = page(tmp_path, f'<script>location.href = "{APK}"</script>')
    extracted = extract_sample(make_sample(str(plain), plain.read_bytes()))
    result = scan_extraction(extracted, ctx)
    assert "distribution/hidden-link" not in {e.rule for e in result.evidence}
    assert extracted.document.page is not None and APK in extracted.document.page.redirects


def test_deep_nesting_and_long_chains_stay_bounded() -> None:
    deep_parens = "location.href = " + "(" * 20_000 + '"https://a.kitdl.top/x.apk"' + ")" * 20_000
    deep_objects = "var a = " + "{k: " * 20_000 + '"v"' + "}" * 20_000 + ";"
    chain = 'var a = "https://a.kitdl.top/x.apk"' + ".trim()" * 50 + "; location.href = a;"
    long_chain = 'var a = "https://a.kitdl.top/x.apk"' + ".trim()" * 30_000 + "; location.href = a;"
    assigns = "a=" * 200_000 + "1;"
    start = time.process_time()
    # too deep or too long to follow: nothing is reported (never a guess, never an error)
    for code in (deep_parens, deep_objects, assigns, long_chain):
        assert script_values([(code, 1)]) == []
    assert sinks(chain) == {("https://a.kitdl.top/x.apk", "location")}
    assert time.process_time() - start < 20  # bounded work, not a timing target


def test_addresses_kept_in_data_attributes_are_links(tmp_path: Path) -> None:
    path = page(tmp_path, f"""<a class="down" data-url="{APK}" data-id="7">下载</a>
<button data-ios="itms-services://?action=download-manifest&amp;url=https://m.kitdl.top/m.plist"
        data-label="iPhone">iPhone</button>
<img data-src="https://img.kitdl.top/banner.png" data-original="https://img.kitdl.top/b.png">
<script data-main="https://img.kitdl.top/main.js"></script>
<div data-note="see https">x</div>""")
    facts, indicators = read_page(path.read_bytes(), str(path), Findings())
    data = {(link.url, link.kind) for link in facts.links if link.source == "data_attr"}
    assert "img.kitdl.top" not in {i.value for i in indicators}
    assert data == {
        (APK, "apk"),
        ("itms-services://?action=download-manifest&url=https://m.kitdl.top/m.plist",
         "itms_services"),
    }
    assert APK in facts.downloads
    assert ("url", APK) in {(i.kind, i.value) for i in indicators}


def test_many_sinks_and_decodes_cost_a_bounded_amount() -> None:
    sinks_page = 'location.href="https://a.kitdl.top/c";' * 30_000
    decodes = 'atob("aHR0cHM6Ly9hLmtpdGRsLnRvcC8x"),' * 30_000
    start = time.process_time()
    assert len(script_values([(sinks_page, 1)])) <= 1_000  # reports are capped
    assert len(script_values([(decodes, 1)])) <= 1_000
    assert time.process_time() - start < 10  # lines are found by bisection, not recount


@pytest.mark.parametrize(
    "code",
    [
        # a name assigned what cannot be followed no longer holds its old value
        f'var u = "{APK}?c="; u = u + getChannel(); location.href = u;',
        f'var u = "{APK}"; u = getU(); location.href = u;',
        f'var cfg = {{url: "{APK}"}}; cfg = load(); location.href = cfg.url;',
        f'var u = "{APK}"; u += getChannel(); location.href = u;',
        # "location" as a local variable or a plain object's property is no navigation
        f'function f() {{ var location = "{APK}"; log(location); }}',
        f'let location = "{APK}";',
        f'a.location = "{APK}";',
        f'getFrame().location = "{APK}";',
        # members of something not followed: XHR's open is no window.open
        'new XMLHttpRequest().open("GET", "/api/stat");',
        'getXhr().open("POST", "/api/stat");',
        # a quote inside a regex literal does not open a string
        f"var r = /'/g; var s = \"a'; location.href = '{APK}'; var z='\";",
    ],
)
def test_what_the_script_does_not_navigate_to_is_not_reported(code: str) -> None:
    assert sinks(code) == set(), code


def test_a_ternary_condition_is_never_a_value() -> None:
    code = ('var a = "https://a.kitdl.top/decoy"; '
            'location.href = a || b ? "https://x.kitdl.top/2" : "https://x.kitdl.top/3";')
    assert {v for v, _ in sinks(code)} == {"https://x.kitdl.top/2", "https://x.kitdl.top/3"}
    nested = ('var m = "https://a.kitdl.top/cond"; '
              'location.href = x ? "https://x.kitdl.top/1" : m ? "https://x.kitdl.top/2" : '
              '"https://x.kitdl.top/3";')
    assert {v for v, _ in sinks(nested)} == {f"https://x.kitdl.top/{n}" for n in (1, 2, 3)}


def test_numbers_join_as_javascript_prints_them() -> None:
    assert sinks('location.href = "https://a.kitdl.top/" + 0x10;') == {
        ("https://a.kitdl.top/16", "location")}
    assert sinks('location.href = 1 + 2 + "https://a.kitdl.top/";') == set()  # arithmetic
    assert sinks('location.href = "https://a.kitdl.top/" + 010;') == set()  # legacy octal


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # decodeURI leaves reserved escapes: the value is a relative path, not an address
        ('location.href = decodeURI("https%3A%2F%2Fa.kitdl.top%2F1");',
         "https%3A%2F%2Fa.kitdl.top%2F1"),
        ('location.href = decodeURI("https://a.kitdl.top/%E4%B8%AD");', "https://a.kitdl.top/中"),
        # malformed escapes throw URIError in a browser: nothing navigates
        ('location.href = decodeURIComponent("https://a.kitdl.top/%E0%A4%A");', None),
        ('location.href = decodeURIComponent("%u0068ttps://a.kitdl.top/");', None),
        # unescape reads bytes as Latin-1 and %u as UTF-16, in one pass
        ('location.href = unescape("https://a.kitdl.top/%E9");', "https://a.kitdl.top/é"),
        ('location.href = unescape("https://a.kitdl.top/%u0025" + "41");',
         "https://a.kitdl.top/%41"),
        # atob takes the standard alphabet only; Base64.decode also the URL-safe one
        ('location.href = atob("aHR0cHM6Ly9hLmtpdGRsLnRvcC8_eD0x");', None),
        ('location.href = Base64.decode("aHR0cHM6Ly9hLmtpdGRsLnRvcC8_eD0x");',
         "https://a.kitdl.top/?x=1"),
        # fromCharCode keeps 16 bits and joins surrogate pairs
        ("location.href = String.fromCharCode(0x10068, 116, 116, 112);", "http"),
        ("location.href = String.fromCharCode(0xD83D, 0xDE00);", "\U0001F600"),
        ("location.href = Foo.fromCharCode(104, 116);", None),
    ],
)
def test_decoders_follow_javascript(code: str, expected: str | None) -> None:
    got = {v for v, _ in sinks(code)}
    assert got == ({expected} if expected is not None else set()), code


def test_a_decoded_word_in_a_written_out_address_is_not_hiding_it() -> None:
    code = 'location.href = "https://a.kitdl.top/s?q=" + decodeURIComponent("%E4%B8%AD");'
    assert found(code) == {("https://a.kitdl.top/s?q=中", "location", None)}
    host = 'location.href = "https://" + atob("ZGwua2l0ZGwudG9wL2EuYXBr");'
    assert ("https://dl.kitdl.top/a.apk", "location", "base64") in found(host)


def test_a_later_script_is_read_after_a_large_inline_library() -> None:
    library = "var a" + "=a+b;var a" * 60_000 + "=1;"  # ~600 KB, 480k tokens
    later = f'location.href = atob("{B64}");'
    got = script_values([(library, 1), (later, 90)])
    assert [(f.value, f.sink, f.line) for f in got if f.sink == "location"] == [
        (APK, "location", 90)]


@pytest.mark.parametrize("style", SCRIPT_STYLES)
def test_every_simulator_script_style_is_read_back(style: str) -> None:
    ios = "itms-services://?action=download-manifest&url=https://m.kitdl.top/m.plist"
    html = redirect_script(APK, ios, style)
    code = html.removeprefix("<script>").removesuffix("</script>")
    got = found(code)
    hidden = "base64" if style == "base64" else None
    assert {(APK, "location", hidden), (ios, "location", hidden)} <= got
