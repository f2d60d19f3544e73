"""Fraud that imitates no one, brands' own download pages, harmless icon look-alikes.

Most real fraud platforms are their own brand: rebate-task and part-time-job scams,
pig-butchering investment, gambling, dating that leads into investment, loan apps that
charge fees, fake police. This module adds them to a world, kept apart from the
brand-imitating gangs of :mod:`chaincut.sim.world` (its own random stream, drawn after
everything else, so the rest of a seed's world is unchanged):

* **own-brand gangs**: a made-up platform name with the word of its trade ("XX兼职",
  "XX体育", "XX心动"...), a few app shapes (builder app with wording in its H5 page; thin
  native shell whose config loads a remote H5 site; packed shells), a contact channel, a
  payment merchant URL, some landing pages (user-agent branching, an "open in browser"
  overlay, itms-services or profile downloads) and ad-hoc IPAs;
* **official pages**: each brand's own download page as a browser saves it (saved-from
  stamp, canonical link, downloads on the brand's domains and the App Store);
* **icon look-alikes**: ordinary apps whose launcher icon happens to look like a brand's
  (hard negatives: icon likeness alone is no imitation).

This is chaincut's own model of these kinds of fraud, written from public descriptions of
them; it is not a copy of any other generator.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from html import escape

from chaincut.knowledge.brands import Brand
from chaincut.sim import icons, web
from chaincut.sim import names as N
from chaincut.sim.apk_writer import AppSpec, build_apk
from chaincut.sim.apps import (
    PACKERS,
    PLAIN_PERMISSIONS,
    WEBVIEW,
    builder_assets,
    builder_runtime,
    h5_page,
)
from chaincut.sim.keys import signer
from chaincut.sim.world import Gang, World

# The word of each trade in the platform's own name, and what its pages say.
TRADE_NAMES: dict[str, list[str]] = {
    "part_time_job": ["兼职", "任务", "赚"],
    "investment": ["资本", "理财", "财富", "证券"],
    "gambling": ["体育", "娱乐", "彩票", "棋牌"],
    "dating": ["心动", "交友", "缘"],
    "loan": ["闪借", "花", "贷"],
    "fake_authority": ["公安", "安全防护", "反诈中心"],
}
OWN_WORDING: dict[str, list[str]] = {
    "part_time_job": ["点赞关注即可领佣金", "新人首单垫付立返", "任务大厅每日更新",
                      "宝妈学生在家赚钱", "刷单返利日结"],
    "investment": ["老师带单每日收益", "保本保息年化30%", "数字货币合约翻倍",
                   "跟单出金秒到", "内部认购原始股"],
    "gambling": ["信誉平台提款秒到", "百家乐真人视讯", "时时彩稳中计划", "首充送彩金",
                 "体育投注高赔率"],
    "dating": ["同城交友真实认证", "附近的人一对一视频", "充值解锁私聊",
               "导师带你投资理财", "红娘一对一牵线"],
    "loan": ["不看征信秒下款", "放款前缴纳解冻金", "刷流水提额", "身份证借钱",
             "工本费到账即退"],
    "fake_authority": ["您的账户涉嫌洗钱", "请将资金转入安全账户", "配合调查远程视频笔录",
                       "资金清查冻结账户", "专案组通知"],
}  # fmt: skip
CONTACT_FORMS = ("qq", "chat_url", "meiqia")
SHAPES = ("builder", "remote_h5", "packed_shell")


@dataclass(frozen=True)
class OwnFile:
    """An artifact before it gets its place: kind, bytes, role and truth."""

    kind: str
    suffix: str
    data: bytes
    role: str  # fake | official_page | hard_negative
    gang: str | None = None
    brand: str | None = None
    category: str | None = None


def _rng(world: World) -> random.Random:
    return random.Random(f"{world.spec.seed}:own-brand")


def own_gangs(world: World) -> list[Gang]:
    """Gangs that imitate no brand: about as many as the brand-imitating ones."""
    rng = _rng(world)
    cats = sorted(TRADE_NAMES)
    lo, hi = world.spec.sizes.apps_per_gang
    out = []
    for i in range(max(2, len(world.gangs))):
        out.append(
            Gang(
                id=f"own-{i}", category=cats[i % len(cats)], brands=[],
                apps=rng.randint(lo, hi),
                domains=[f"{N.word(rng, 6)}.{rng.choice(N.TLDS)}" for _ in range(2)],
                ips=[N.public_ip(rng)], phones=[N.phone(rng)],
                jpush_key=N.hexid(rng, 24).lower(), chat_key=N.hexid(rng, 32).lower(),
                regions=rng.sample(N.PROVINCES, rng.randint(2, 3)),
                web=rng.random() < 0.7, ios=rng.random() < 0.5,
                packer=rng.choice([None, "jiagu_360", "legu"]),
            )
        )  # fmt: skip
    return out


def _platform_name(rng: random.Random, category: str) -> str:
    first = rng.choice(["金", "鑫", "盛", "华", "恒", "汇", "博", "乐", "星", "瑞"])
    second = rng.choice(["达", "源", "丰", "泰", "誉", "通", "宏", "悦", "鼎", "嘉"])
    return first + second + rng.choice(TRADE_NAMES[category])


def _contact(gang: Gang, rng: random.Random) -> tuple[tuple[tuple[str, str], ...], str]:
    form = rng.choice(CONTACT_FORMS)
    if form == "meiqia":
        return (("MEIQIA_APPKEY", gang.chat_key),), ""
    if form == "qq":
        return (), f"客服QQ {rng.randint(10_000_000, 3_999_999_999)}"
    return (), f"https://kefu.{gang.domains[-1]}/chat/standalone.html?id={gang.chat_key[:16]}"


def own_app(world: World, gang: Gang, name: str, rng: random.Random) -> AppSpec:
    """One app of an own-brand platform, in one of a few shapes."""
    shape = rng.choice(SHAPES)
    meta, contact = _contact(gang, rng)
    lines = [*rng.sample(OWN_WORDING[gang.category], 3), contact]
    pay = f"https://pay.{gang.domains[0]}/gateway/submit?mch_id={N.digits(rng, 10)}"
    h5 = f"https://h5.{gang.domains[0]}/#/pages/index/index"
    package = f"com.{N.word(rng, 5)}.app"
    application, main = f"{package}.App", f"{package}.ui.SplashActivity"
    assets: tuple[tuple[str, bytes], ...] = ()
    classes: tuple[str, ...] = ()
    if shape == "builder":
        builder = rng.choice(["dcloud", "apicloud"])
        app_id = f"__UNI__{N.hexid(rng, 7)}" if builder == "dcloud" else f"A{N.digits(rng, 13)}"
        assets = builder_assets(builder, app_id, name, "index.html", h5_page(name, lines))
        application, main, classes = builder_runtime(builder)
    else:
        config = {"h5": h5, "api": f"https://api.{gang.domains[1]}/", "pay": pay}
        assets = (("assets/app_config.json", json.dumps(config).encode()),)
    packer = gang.packer if shape != "builder" or rng.random() < 0.3 else None
    libs: tuple[tuple[str, bytes], ...] = ()
    if packer is not None:
        stub, lib = PACKERS[packer]
        application, classes = stub, (stub,)
        libs = ((lib, b"\x7fELF\x01\x01\x01" + bytes(61)),)
    perms = ["android.permission.INTERNET", "android.permission.READ_PHONE_STATE"]
    if gang.category in ("loan", "fake_authority"):
        perms += ["android.permission.READ_CONTACTS", "android.permission.READ_CALL_LOG",
                  "android.permission.READ_SMS"]  # fmt: skip
    if rng.random() < 0.5:
        perms.append("android.permission.REQUEST_INSTALL_PACKAGES")
    return AppSpec(
        package=package, label=name, labels={"zh-rCN": name},
        signer=signer(f"{world.spec.seed}:{gang.id}", f"{gang.id} dev", None),
        version_code=rng.randint(1, 60), version_name=f"{rng.randint(1, 6)}.{rng.randint(0, 9)}",
        target_sdk=rng.randint(26, 33), application=application, main_activity=main,
        permissions=tuple(sorted(set(perms))),
        meta_data=(("JPUSH_APPKEY", gang.jpush_key), *meta), classes=classes,
        calls=(WEBVIEW,), strings=(h5, pay, contact), assets=assets, native_libs=libs,
        icon=icons.to_png(icons.plain_icon(f"{gang.id}:{name}")), v2=rng.random() < 0.6,
    )  # fmt: skip


def own_landing_page(gang: Gang, name: str, rng: random.Random) -> bytes:
    """A download page of an own-brand platform: branches on the phone, hides from
    WeChat's browser, offers an APK and an iOS install outside the App Store."""
    host = f"dl.{gang.domains[-1]}"
    slug = N.word(rng, 5)
    ios_url = rng.choice([
        f"itms-services://?action=download-manifest&url=https://{host}/m/{slug}.plist",
        f"https://{host}/p/{slug}.mobileconfig",
    ])  # fmt: skip
    lines = [*rng.sample(OWN_WORDING[gang.category], 2), f"客服 {gang.phones[0]}"]
    page = web.landing_page(f"{name} - APP下载", name, lines, f"https://{host}/d/{slug}.apk",
                            ios_url, js_redirect=rng.random() < 0.5)  # fmt: skip
    overlay = (
        "<script>if(/MicroMessenger|QQ\\//i.test(navigator.userAgent)){"
        "document.getElementById('tip').style.display='block';}</script>"
        '<div id="tip" style="display:none">请点击右上角，选择在浏览器中打开</div>'
    )
    return page.replace(b"</body>", overlay.encode() + b"</body>") if rng.random() < 0.7 else page


def official_page(brand: Brand, rng: random.Random) -> bytes:
    """The brand's own download page as a browser saves it."""
    domain = brand.domains[0]
    home = f"https://www.{domain}/app/"
    name = brand.names[0]
    apk = f"https://download.{domain}/app/{brand.id}_{rng.randint(5, 9)}.{rng.randint(0, 9)}.apk"
    store = f"https://apps.apple.com/cn/app/id{rng.randint(10**9, 2 * 10**9)}"
    stamp = f"<!-- saved from url=({len(home):04d}){home} -->\n"
    return (
        f'{stamp}<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f'<title>{escape(name)} - 客户端下载</title><link rel="canonical" href="{home}">'
        f'</head><body><h1>{escape(name)}</h1><p>{escape(name)}官方客户端</p>'
        f'<a href="{apk}">Android 下载</a><a href="{store}">App Store 下载</a>'
        f"<p>请认准官方网站 www.{domain} 下载，谨防仿冒。</p></body></html>"
    ).encode()


def icon_lookalike(world: World, brand: Brand, n: int, rng: random.Random) -> AppSpec:
    """An ordinary app whose launcher icon resembles ``brand``'s: a hard negative."""
    org = N.word(rng, 6)
    name, pkg = rng.choice(N.ORDINARY_APPS)
    package = pkg.format(org=org)
    token = (brand.tokens or [brand.id])[0]
    return AppSpec(
        package=package, label=name, labels={"zh-rCN": name},
        signer=signer(f"{world.spec.seed}:lookalike:{n}", f"{org} app", org),
        version_code=rng.randint(1, 300), target_sdk=rng.randint(28, 33),
        application=f"{package}.App", main_activity=f"{package}.MainActivity",
        permissions=tuple(sorted(rng.sample(PLAIN_PERMISSIONS, 3))), calls=(WEBVIEW,),
        strings=(f"https://api.{org}.com/v1/", *rng.sample(N.ORDINARY_WORDING, 2)),
        icon=icons.to_png(icons.perturbed(icons.brand_icon(brand.id, token), rng)),
        v2=True,
    )  # fmt: skip


def own_brand_files(world: World) -> tuple[list[Gang], list[OwnFile]]:
    """Own-brand gangs with their apps and pages, brands' official pages and icon
    look-alikes; APKs are returned as specs built by the caller (``build_apk``)."""
    gangs = own_gangs(world)
    rng = random.Random(f"{world.spec.seed}:own-brand-files")
    out: list[OwnFile] = []
    for gang in gangs:
        name = _platform_name(rng, gang.category)
        for _ in range(gang.apps):
            label = name + rng.choice(["", "", "VIP", "Pro", "极速版"])
            out.append(OwnFile("apk", ".apk", build_apk(own_app(world, gang, label, rng)),
                               "fake", gang.id, None, gang.category))  # fmt: skip
        for _ in range(rng.randint(1, 2) if gang.web else 0):
            out.append(OwnFile("page", ".html", own_landing_page(gang, name, rng), "fake",
                               gang.id, None, gang.category))  # fmt: skip
            url = f"https://{gang.domains[0]}/{N.word(rng, 6)}"
            out.append(OwnFile("qr", ".png", web.qr_png(url, rng), "fake", gang.id, None,
                               gang.category))  # fmt: skip
    for brand in world.brands:
        if brand.domains:
            out.append(OwnFile("page", ".html", official_page(brand, rng), "official_page",
                               brand=brand.id))  # fmt: skip
    for n, brand in enumerate(world.brands[: max(1, len(world.brands) // 2)]):
        spec = icon_lookalike(world, brand, n, rng)
        out.append(OwnFile("apk", ".apk", build_apk(spec), "hard_negative"))
    return gangs, out
