"""The Android apps of a world: fakes of a gang, genuine brand apps, hard negatives.

Each function turns world entities into an :class:`AppSpec`; :func:`build_apk` writes it.
Fakes carry what real ones carry (look-alike label, package and icon, builder assets with
fraud wording, finance-grade permissions, hard-coded backends, push and chat keys, some
packed); hard negatives carry the same machinery with ordinary purposes.
"""

from __future__ import annotations

import json
import random
from xml.sax.saxutils import escape

from chaincut.knowledge.brands import Brand
from chaincut.sim import icons
from chaincut.sim import names as N
from chaincut.sim.apk_writer import AppSpec
from chaincut.sim.keys import signer
from chaincut.sim.world import Gang, World, developer_signer

RISKY_PERMISSIONS = [
    "android.permission.READ_SMS", "android.permission.RECEIVE_SMS",
    "android.permission.SEND_SMS", "android.permission.READ_CONTACTS",
    "android.permission.READ_CALL_LOG", "android.permission.READ_PHONE_STATE",
    "android.permission.CALL_PHONE", "android.permission.SYSTEM_ALERT_WINDOW",
    "android.permission.RECORD_AUDIO", "android.permission.REQUEST_INSTALL_PACKAGES",
]  # fmt: skip
PLAIN_PERMISSIONS = ["android.permission.INTERNET", "android.permission.ACCESS_NETWORK_STATE",
                     "android.permission.CAMERA", "android.permission.VIBRATE"]  # fmt: skip
RISKY_CALLS = [
    ("android.telephony.SmsManager", "sendTextMessage"),
    ("android.telephony.TelephonyManager", "getDeviceId"),
    ("android.telephony.TelephonyManager", "getLine1Number"),
    ("android.content.ContentResolver", "query"),
]
WEBVIEW = ("android.webkit.WebView", "loadUrl")
PACKERS = {
    "jiagu_360": ("com.stub.StubApp", "lib/armeabi-v7a/libjiagu.so"),
    "legu": ("com.tencent.StubShell.TxAppEntry", "lib/armeabi-v7a/libshella-3.0.0.0.so"),
}
DCLOUD = ("io.dcloud.application.DCloudApplication", "io.dcloud.PandoraEntry",
          ("io.dcloud.PandoraEntryActivity", "io.dcloud.common.DHInterface.IApp"))  # fmt: skip
APICLOUD = ("com.uzmap.pkg.uzapp.UZApplication", "com.uzmap.pkg.LauncherUI",
            ("com.uzmap.pkg.uzcore.UZWebView",))  # fmt: skip
COMMON_URLS = ["https://g.alicdn.com/mtb/lib-mtop/2.6.1/mtop.js", "https://res.wx.qq.com/open/js/jweixin-1.6.0.js",
               "https://hm.baidu.com/hm.js"]  # fmt: skip
ELF_STUB = b"\x7fELF\x01\x01\x01" + bytes(9) + b"\x03\x00\x28\x00" + bytes(44)


def h5_page(title: str, lines: list[str]) -> bytes:
    """A bundled H5 page: what the WebView shows."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"</head><body>{body}</body></html>"
    ).encode()


def builder_assets(builder: str, app_id: str, name: str, start: str, page: bytes
                   ) -> tuple[tuple[str, bytes], ...]:  # fmt: skip
    """uni-app (``assets/apps/<id>/www``) or APICloud (``assets/widget``) files."""
    if builder == "dcloud":
        manifest = {"id": app_id, "name": name, "version": {"name": "1.0.0", "code": "100"},
                    "launch_path": start}  # fmt: skip
        root = f"assets/apps/{app_id}/www"
        return ((f"{root}/manifest.json", json.dumps(manifest, ensure_ascii=False).encode()),
                (f"{root}/index.html", page))  # fmt: skip
    config = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<widget id="{app_id}" version="1.0.0">'
        f"<name>{escape(name)}</name><content src=\"{escape(start)}\"/></widget>\n"
    )
    return (("assets/widget/config.xml", config.encode()), ("assets/widget/html/main.html", page))


def builder_runtime(builder: str) -> tuple[str, str, tuple[str, ...]]:
    """Application class, launcher activity and runtime classes of a builder's apps."""
    return DCLOUD if builder == "dcloud" else APICLOUD




def _packed(spec_app: str, classes: tuple[str, ...], packer: str | None
            ) -> tuple[str, tuple[str, ...], tuple[tuple[str, bytes], ...]]:  # fmt: skip
    """Application class, DEX classes and native libs once a packer has wrapped the app."""
    if packer is None:
        return spec_app, classes, ()
    stub, lib = PACKERS[packer]
    return stub, (stub,), ((lib, ELF_STUB),)


def _sdk_version(rng: random.Random, v2: bool) -> int:
    return rng.randint(30, 33) if v2 else rng.randint(24, 29)


Used = set[tuple[str, str]]  # supplier (kind, value) traces an artifact carries


def fake_app(world: World, gang: Gang, brand: Brand, rng: random.Random) -> tuple[AppSpec, Used]:
    """One app of ``gang`` imitating ``brand``, and the supplier traces it carries."""
    dev = world.supplier(gang, "developer")
    assert dev is not None and dev.builder is not None
    label = N.fake_label(rng, brand.names)
    token = (brand.tokens or [brand.id])[0]
    package = N.lookalike_package(rng, rng.choice(brand.packages), token)
    domain, ip = rng.choice(gang.domains), rng.choice(gang.ips)
    server = world.supplier(gang, "server")
    backend_ip = server.values[0][1] if server and rng.random() < 0.8 else ip
    pay = world.supplier(gang, "payment")
    chat = world.supplier(gang, "contact")
    chat_key = chat.values[0][1] if chat else gang.chat_key
    wording = rng.sample(N.FRAUD_WORDING[gang.category], 3)
    lines = [f"{brand.names[0]}官方", *wording, f"客服电话 {rng.choice(gang.phones)}"]
    if pay:
        lines.append(f"充值通道 https://{pay.values[0][1]}/pay/{N.word(rng, 4)}")
    start = f"http://{domain}/h5/index.html" if rng.random() < 0.5 else "index.html"
    app_id = rng.choice(dev.builder_ids)
    used = {("builder_app_id", app_id)}
    if gang.own_signer is None:
        used.add(dev.values[0])
    used |= {s.values[0] for s in (pay, chat) if s}
    if server and backend_ip == server.values[0][1]:
        used.add(server.values[0])
    assets = builder_assets(dev.builder, app_id, label, start, h5_page(label, lines))
    application, main, runtime = builder_runtime(dev.builder)
    application, classes, libs = _packed(application, runtime, gang.packer)
    perms = ["android.permission.INTERNET", *rng.sample(RISKY_PERMISSIONS, rng.randint(4, 8))]
    v2 = rng.random() < 0.5
    port = rng.choice([8080, 8888, 9090, 7001, 6060])
    spec = AppSpec(
        package=package, label=label,
        signer=gang.own_signer or developer_signer(world.spec.seed, dev.id),
        labels={"zh-rCN": label}, version_code=rng.randint(1, 40),
        version_name=f"{rng.randint(1, 5)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        target_sdk=_sdk_version(rng, v2), application=application, main_activity=main,
        permissions=tuple(sorted(perms)),
        meta_data=(("JPUSH_APPKEY", gang.jpush_key), ("MEIQIA_APPKEY", chat_key)),
        classes=classes, calls=(WEBVIEW, *rng.sample(RISKY_CALLS, 2)),
        strings=(f"http://{backend_ip}:{port}/api/", f"https://{domain}/app/login",
                 rng.choice(gang.phones), wording[0]),
        assets=assets, native_libs=libs,
        icon=icons.to_png(icons.perturbed(icons.brand_icon(brand.id, token), rng)), v2=v2,
    )  # fmt: skip
    return spec, used


def brand_signer_name(seed: int, brand: Brand) -> str:
    return f"{seed}:brand:{brand.id}"


def genuine_app(world: World, brand: Brand) -> AppSpec:
    """The brand's own app: official package, the brand's key and icon, plain wording."""
    key = signer(brand_signer_name(world.spec.seed, brand), brand.names[-1], brand.names[0])
    package = brand.packages[0]
    ascii_names = [n for n in brand.names if n.isascii()]
    labels = {"zh-rCN": brand.names[0], **({"en": ascii_names[0]} if ascii_names else {})}
    site = f"https://www.{brand.domains[0]}/" if brand.domains else "https://www.example.com/"
    token = (brand.tokens or [brand.id])[0]
    return AppSpec(
        package=package, label=brand.names[0], labels=labels, signer=key, version_code=700,
        version_name="7.0.1", target_sdk=33, main_activity=f"{package}.MainActivity",
        application=f"{package}.App", permissions=tuple(PLAIN_PERMISSIONS),
        calls=(WEBVIEW,), strings=(site, *N.ORDINARY_WORDING[:4]),
        icon=icons.to_png(icons.brand_icon(brand.id, token)), v2=True,
    )  # fmt: skip


def shared_builder_signer(builder: str) -> str:
    """Name of the builder's cloud-packaging certificate many of its users sign with."""
    return f"builder-shared:{builder}"


def hard_negative(world: World, n: int, rng: random.Random) -> AppSpec:
    """A legitimate app that shares fakes' machinery: builders, packers, SDKs, finance."""
    org = N.word(rng, 6)
    finance = rng.random() < 0.25
    name, pkg = rng.choice(N.LEGIT_FINANCE if finance else N.ORDINARY_APPS)
    package = pkg.format(org=org)
    style = rng.choice(["dcloud", "apicloud", "packed", "plain"])
    application, main = f"{package}.App", f"{package}.MainActivity"
    classes: tuple[str, ...] = ()
    assets: tuple[tuple[str, bytes], ...] = ()
    lines = [*rng.sample(N.ORDINARY_WORDING, 4), rng.choice(COMMON_URLS)]
    key_name = f"{world.spec.seed}:legit:{n}"
    if style in ("dcloud", "apicloud"):
        application, main, classes = builder_runtime(style)
        app_id = f"__UNI__{N.hexid(rng, 7)}" if style == "dcloud" else f"A{N.digits(rng, 13)}"
        start = f"https://m.{org}.com/" if rng.random() < 0.5 else "index.html"
        assets = builder_assets(style, app_id, name, start, h5_page(name, lines))
        if rng.random() < 0.5:
            key_name = shared_builder_signer(style)
    packer = rng.choice(list(PACKERS)) if style == "packed" else None
    application, classes, libs = _packed(application, classes, packer)
    v2 = rng.random() < 0.7
    return AppSpec(
        package=package, label=name, labels={"zh-rCN": name},
        signer=signer(key_name, f"{org} app", org), version_code=rng.randint(1, 300),
        version_name=f"{rng.randint(1, 9)}.{rng.randint(0, 20)}", target_sdk=_sdk_version(rng, v2),
        application=application, main_activity=main,
        permissions=tuple(sorted(rng.sample(PLAIN_PERMISSIONS, 3))),
        meta_data=(("JPUSH_APPKEY", "".join(rng.choice("0123456789abcdef") for _ in range(24))),),
        classes=classes, calls=(WEBVIEW,), strings=(f"https://api.{org}.com/v1/", *lines[:2]),
        assets=assets, native_libs=libs, icon=icons.to_png(icons.plain_icon(package)), v2=v2,
    )  # fmt: skip
