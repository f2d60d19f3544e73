"""The knowledge base: data files validate, load once, merge extra folders, and the APK
extractor reads builders' embedded configs with them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from chaincut.detect.components import recognise
from chaincut.detect.features import extract_features
from chaincut.extractors.apk.axml import parse_axml
from chaincut.extractors.apk.configs import render_axml
from chaincut.extractors.dispatch import extract_sample, make_sample
from chaincut.extractors.findings import Findings
from chaincut.facts.models import ApkFacts, DexFacts, FactsDocument
from chaincut.knowledge.kb import DATA, FILES, KnowledgeError, load_knowledge
from chaincut.sim.axml import (
    NO,
    T_STRING,
    Doc,
    attribute,
    document,
    end,
    manifest,
    resource_map,
    start,
    string_pool,
)
from chaincut.sim.zipw import ZipItem, write_zip

ROOT = Path(__file__).resolve().parents[1]
KNOWN_KEYS = ROOT / "src/chaincut/extractors/apk/signing/known_keys.json"


def test_every_data_file_has_a_version_and_loads() -> None:
    for name in FILES:
        raw = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
        assert isinstance(raw.get("version"), str), name
    kb = load_knowledge()
    assert len(kb.version) == 12
    assert {"dcloud", "apicloud", "cordova", "flutter", "generic_webview"} <= set(kb.builders)
    assert {"jiagu_360", "legu", "bangcle", "ijiami", "naga"} <= set(kb.packers)
    assert {"jpush", "umeng", "getui", "openinstall", "meiqia", "alipay"} <= set(kb.sdks)
    assert load_knowledge() is kb  # cached


def test_common_infrastructure() -> None:
    kb = load_knowledge()
    assert kb.is_common("domain", "api.jpush.cn")
    assert kb.is_common("domain", "schemas.android.com")
    assert kb.is_common("url", "https://www.google.com/search?q=x")
    assert kb.is_common("ip", "192.168.1.10") and kb.is_common("ip", "10.0.0.172")
    assert kb.is_common("url", "http://127.0.0.1:8080/")
    assert kb.is_common("email", "someone@qq.com")
    assert not kb.is_common("domain", "jpush.cn.evil.example")
    assert not kb.is_common("ip", "47.100.1.2")
    assert not kb.is_common("url", "http://47.100.1.2:8080/api")
    assert not kb.is_common("package", "com.example")


def test_shared_test_keys_match_the_extractors_known_keys() -> None:
    kb = load_knowledge()
    known = json.loads(KNOWN_KEYS.read_text())["fingerprints"]
    for sha256 in known:
        assert kb.is_common("cert_sha256", sha256)
        assert kb.shared_key(sha256, None)
    assert kb.shared_key("00" * 32, "aosp_test_key")
    assert not kb.shared_key("00" * 32, "android_debug")  # every machine has its own


def test_extra_folder_overrides_by_id_and_merges_common(tmp_path: Path) -> None:
    (tmp_path / "sdks.yaml").write_text(
        "version: '1'\nsdks:\n  - id: jpush\n    name: JPush (mine)\n    category: push\n"
        "    clues: {class_packages: [cn.jpush.mine]}\n"
        "  - id: my_sdk\n    name: Mine\n    category: other\n    clues: {meta_data: [MINE_KEY]}\n"
    )
    (tmp_path / "common.yaml").write_text("version: '1'\ndomains:\n  mine: [corp.example]\n")
    kb = load_knowledge([tmp_path])
    assert kb.sdks["jpush"].name == "JPush (mine)" and "my_sdk" in kb.sdks
    assert "umeng" in kb.sdks
    assert kb.is_common("domain", "x.corp.example") and kb.is_common("domain", "jpush.cn")
    assert kb.version != load_knowledge().version


def test_a_broken_extra_file_names_itself(tmp_path: Path) -> None:
    (tmp_path / "packers.yaml").write_text("version: '1'\npackers:\n  - id: Bad Id\n")
    with pytest.raises(KnowledgeError, match=r"packers\.yaml"):
        load_knowledge([tmp_path])


def _widget_axml(attrs: dict[str, str], content: str) -> bytes:
    doc = Doc()

    def el(tag: str, values: dict[str, str], kids: list[bytes]) -> list[bytes]:
        enc = []
        for key, value in values.items():
            idx = doc.s(value)
            enc.append(attribute(NO, doc.s(key), idx, T_STRING, idx))
        return [start(NO, doc.s(tag), enc), *kids, end(NO, doc.s(tag))]

    body = el("widget", attrs, el("content", {"src": content}, []))
    return document(string_pool(doc.strings), resource_map([]), *body)


def _apk(items: list[ZipItem]) -> bytes:
    man = manifest({"package": (0, T_STRING, "com.example.shell")})
    return write_zip([ZipItem("AndroidManifest.xml", man), *items])


def test_render_axml_round_trips_attributes() -> None:
    data = _widget_axml({"id": "com.example.app", "version": "1.0"}, "https://a.example/")
    root = parse_axml(data, Findings(), entry="res/xml/config.xml")
    assert root is not None
    text = render_axml(root)
    assert '<widget id="com.example.app" version="1.0">' in text
    assert '<content src="https://a.example/">' in text


def test_embedded_configs_and_their_urls() -> None:
    uni = json.dumps(
        {
            "id": "__UNI__A1B2C3D",
            "name": "演示",
            "version": {"name": "1.0.3", "code": "103"},
            "launch_path": "http://shell.example.top/#/index",
        }
    ).encode()
    cordova = _widget_axml({"id": "com.example.cdv", "version": "2.0"}, "http://203.0.113.9:8080/")
    buf = _apk(
        [
            ZipItem("assets/apps/__UNI__A1B2C3D/www/manifest.json", uni),
            ZipItem(
                "assets/data/dcloud_control.xml",
                b'<hbuilder><apps><app appid="__UNI__A1B2C3D" appver=""/></apps></hbuilder>',
            ),
            ZipItem("res/xml/config.xml", cordova),
            ZipItem("assets/www/huge_ignored.js", b"x"),
        ]
    )
    doc = extract_sample(make_sample("shell.apk", buf)).document
    assert doc.apk is not None
    configs = {c.entry: c for c in doc.apk.embedded_configs}
    uni_cfg = configs["assets/apps/__UNI__A1B2C3D/www/manifest.json"]
    assert uni_cfg.builder == "dcloud"
    assert uni_cfg.values == {
        "app_id": "__UNI__A1B2C3D",
        "name": "演示",
        "version": "1.0.3",
        "start_url": "http://shell.example.top/#/index",
    }
    assert configs["assets/data/dcloud_control.xml"].values["app_id"] == "__UNI__A1B2C3D"
    cdv = configs["res/xml/config.xml"]
    assert cdv.builder == "cordova"
    assert cdv.values["app_id"] == "com.example.cdv"
    assert cdv.values["start_url"] == "http://203.0.113.9:8080/"
    urls = {(i.value, i.location.entry if i.location else None) for i in doc.indicators}
    assert ("http://203.0.113.9:8080/", "res/xml/config.xml") in urls
    assert any(v.startswith("http://shell.example.top") for v, _ in urls)


def test_configs_are_size_capped() -> None:
    big = b'{"id": "__UNI__A1B2C3D", "pad": "' + b"x" * (300 * 1024) + b'"}'
    buf = _apk([ZipItem("assets/apps/__UNI__A1B2C3D/www/manifest.json", big)])
    doc = extract_sample(make_sample("big.apk", buf)).document
    assert doc.apk is not None and doc.apk.embedded_configs == []


def test_a_builder_config_names_the_developer_account_email() -> None:
    """APICloud's config.xml ``<author email>`` and DCloud's manifest ``developer.email``
    are the developer account's e-mail: an indicator whatever the domain's suffix, since
    the field says it is one. An e-mail-shaped word elsewhere in the config is not."""
    widget = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<widget id="A6012345678901" version="1.0.0">'
        b"<name>Demo</name><author email=\"dev01@studio-mail.zz\" href=\"http://x.example\">"
        b'dev</author><content src="index.html"/>'
        b"<description>icon@2x.png</description></widget>"
    )
    uni = json.dumps(
        {"id": "__UNI__A1B2C3D", "name": "demo",
         "developer": {"name": "d", "email": "Owner@Example-Dev.test", "url": ""}}
    ).encode()
    buf = _apk([
        ZipItem("assets/widget/config.xml", widget),
        ZipItem("assets/apps/__UNI__A1B2C3D/www/manifest.json", uni),
    ])
    doc = extract_sample(make_sample("shell.apk", buf)).document
    emails = {(i.value, i.location.entry if i.location else None)
              for i in doc.indicators if i.kind == "email"}
    assert ("dev01@studio-mail.zz", "assets/widget/config.xml") in emails
    assert ("owner@example-dev.test", "assets/apps/__UNI__A1B2C3D/www/manifest.json") in emails
    assert not any("icon" in v for v, _ in emails)  # counter: not a field named e-mail


# One grounded clue per new builder entry; each document carries only that clue.
NEW_BUILDER_CLUES: list[tuple[str, dict[str, object]]] = [
    ("iapp", {"dex_packages": ["com.iapp.app.run"]}),
    ("iapp", {"native_libs": ["lib/armeabi-v7a/libygsiyu.so"]}),
    ("autojs", {"dex_packages": ["com.stardust.autojs.engine"]}),
    ("autojs", {"application": "com.stardust.auojs.inrt.App"}),
    ("app_inventor", {"dex_packages": ["com.google.appinventor.components.runtime.util"]}),
    ("app_inventor",
     {"application": "com.google.appinventor.components.runtime.multidex.MultiDexApplication"}),
    ("median", {"dex_packages": ["io.gonative.android"]}),
    ("median", {"main_activity": "co.median.android.MainActivity"}),
    ("webviewgold", {"dex_packages": ["com.webviewgold.myappname"]}),
]


def _facts(clue: dict[str, object]) -> FactsDocument:
    apk: dict[str, object] = {"package": "com.example.shell"}
    for key, value in clue.items():
        if key == "dex_packages":
            apk["dex"] = [DexFacts(name="classes.dex", classes=900, packages=value)]
        else:
            apk[key] = value
    apk.setdefault("dex", [DexFacts(name="classes.dex", classes=900,
                                    packages=["com.example.shell"])])
    return FactsDocument(sha256="0" * 64, path="x.apk", kind="apk", size=1,
                         apk=ApkFacts.model_validate(apk))


@pytest.mark.parametrize(("builder", "clue"), NEW_BUILDER_CLUES)
def test_new_builders_are_recognised_from_their_clue(
    builder: str, clue: dict[str, object]
) -> None:
    kb = load_knowledge()
    found = {c.id for c in recognise(_facts(clue), kb) if c.kind == "builder"}
    assert found == {builder}


def test_new_builders_need_their_clues() -> None:
    """Look-alike names that are not the runtimes' own are not the builders."""
    kb = load_knowledge()
    decoys = _facts({
        "dex_packages": ["com.iapp", "com.stardust", "com.google.appinventor.client",
                         "io.gonative", "co.median", "com.webviewgold"],
        "native_libs": ["lib/arm64-v8a/libygs.so"],
        "application": "com.example.shell.App",
        "main_activity": "com.example.shell.MainActivity",
    })
    found = {c.id for c in recognise(decoys, kb) if c.kind == "builder"}
    assert not found & {"iapp", "autojs", "app_inventor", "median", "webviewgold"}
    assert found == set()


def test_new_webview_builders_mark_the_app_as_web_content() -> None:
    kb = load_knowledge()
    assert kb.builders["median"].webview and kb.builders["webviewgold"].webview
    assert not any(kb.builders[b].webview for b in ("iapp", "autojs", "app_inventor"))
    fs = extract_features(_facts({"dex_packages": ["com.webviewgold.myappname"]}), kb)
    assert fs.has("builder", "webviewgold") and fs.has("builder.webview", True)
    fs = extract_features(_facts({"dex_packages": ["com.stardust.autojs"]}), kb)
    assert fs.has("builder", "autojs") and not fs.has("builder.webview", True)
