"""How a gang reaches victims: landing pages, QR codes, IPAs, web-clip profiles and
itms-services manifests, hosted on its own domains or its distribution platform's.

Each function returns named files plus the supplier traces they carry, so the truth knows
which suppliers are visible in which gang's artifacts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from chaincut.knowledge.brands import Brand
from chaincut.sim import icons, ios, web
from chaincut.sim import names as N
from chaincut.sim.rotation import saved_from
from chaincut.sim.world import Gang, World, platform_signer


@dataclass(frozen=True)
class GangFile:
    """One distribution artifact of a gang before it gets its place in the world."""

    kind: str  # page | qr | ipa | mobileconfig | other
    suffix: str  # file extension
    data: bytes
    brand: str
    used: frozenset[tuple[str, str]]


def _dl_host(world: World, gang: Gang) -> tuple[str, frozenset[tuple[str, str]]]:
    platform = world.supplier(gang, "distributor")
    if platform:
        domain = next(v for k, v in platform.values if k == "domain")
        return f"dl.{domain}", frozenset({("domain", domain)})
    return f"dl.{gang.domains[-1]}", frozenset()


def _team(world: World, gang: Gang, rng: random.Random) -> tuple[str, frozenset[tuple[str, str]]]:
    platform = world.supplier(gang, "distributor")
    if platform:
        team = next(v for k, v in platform.values if k == "team_id")
        return team, frozenset({("team_id", team)})
    return "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(10)), frozenset()


def web_files(world: World, gang: Gang, brand: Brand, rng: random.Random) -> list[GangFile]:
    """One or two landing pages and a QR code per page."""
    host, used = _dl_host(world, gang)
    out: list[GangFile] = []
    for _ in range(rng.randint(1, 2)):
        slug = N.word(rng, 5)
        apk_url = f"https://{host}/d/{slug}.apk"
        ios_url = (
            f"itms-services://?action=download-manifest&url=https://{host}/m/{slug}.plist"
            if rng.random() < 0.6 else f"https://{host}/p/{slug}.mobileconfig"
        )  # fmt: skip
        wording = rng.sample(N.FRAUD_WORDING[gang.category], 3)
        lines = [*wording, f"官方客服 {rng.choice(gang.phones)}"]
        title = f"{brand.names[0]}{rng.choice(['官方下载', 'APP下载', '安全中心'])}"
        page = web.landing_page(title, brand.names[0], lines, apk_url, ios_url,
                                js_redirect=rng.random() < 0.3)  # fmt: skip
        token = (brand.tokens or [brand.id])[0]
        landing = f"https://{rng.choice(gang.domains)}/{token}/{slug}/"  # brand token in path
        if world.spec.rotation:  # saved by the victim's browser from the link it was sent
            page = saved_from(page, landing)
        out.append(GangFile("page", ".html", page, brand.id, used))
        out.append(GangFile("qr", ".png", web.qr_png(landing, rng), brand.id, frozenset()))
    return out


def ios_files(world: World, gang: Gang, brand: Brand, rng: random.Random) -> list[GangFile]:
    """An IPA (super-signed or enterprise), a web-clip profile and an itms manifest."""
    host, host_used = _dl_host(world, gang)
    team, team_used = _team(world, gang, rng)
    token = (brand.tokens or [brand.id])[0]
    label = N.fake_label(rng, brand.names)
    bundle = f"com.{token}{rng.choice(['app', 'pro', 'hd'])}.{N.word(rng, 4)}"
    icon = icons.to_png(icons.perturbed(icons.brand_icon(brand.id, token), rng))
    urls = [f"http://{rng.choice(gang.ips)}:8080/api/", f"https://{gang.domains[0]}/h5/"]
    name = token.capitalize() + "App"
    app = ios.ipa(name, bundle, label, team, urls, icon, rng, enterprise=rng.random() < 0.3)
    platform = world.supplier(gang, "distributor")
    by = platform_signer(world.spec.seed, platform.id) if platform and rng.random() < 0.6 else None
    clip = ios.webclip(label, f"https://{gang.domains[0]}/m/", "Mobile Service", icon, rng, by)
    clip_used = frozenset({("cert_sha256", by.cert_sha256)}) if by else frozenset()
    manifest = ios.itms_manifest(bundle, label, f"https://{host}/i/{N.word(rng, 5)}.ipa")
    return [
        GangFile("ipa", ".ipa", app, brand.id, team_used),
        GangFile("mobileconfig", ".mobileconfig", clip, brand.id, clip_used),
        GangFile("other", ".plist", manifest, brand.id, host_used),
    ]
