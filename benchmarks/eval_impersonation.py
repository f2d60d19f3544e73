"""Impersonation accuracy on a seeded synthetic set: impostor variants, genuine apps, ordinary apps.

    python benchmarks/eval_impersonation.py [--impostors 200] [--seed 1]

Ten registry brands get a synthetic icon and a certificate. Impostors combine a label
transform (decorations, traditional characters, pinyin, full-width or Cyrillic letters,
emoji, or a generic label), an icon variant (crop, hue shift, badge, 48 px, JPEG, or none)
and a package (random, official prefix, brand token, or the official package with a foreign
key); every impostor keeps at least a label or an icon of the brand. Genuine apps use the
official package, certificate, label and icon; ordinary apps use unrelated labels/icons.
Prints accuracy (right brand), false claims on ordinary apps and genuine apps flagged.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path

from opencc import OpenCC
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from tests.impersonation_synth import VARIANTS, brand_icon, jpeg, png  # noqa: E402

from chaincut.detect.impersonation import judge  # noqa: E402
from chaincut.facts.models import (  # noqa: E402
    ApkFacts,
    CertificateFacts,
    FactsDocument,
    IconFacts,
    SigningFacts,
)
from chaincut.knowledge.brands import BrandRegistry, default_registry, load_registry  # noqa: E402

BRANDS = ["icbc", "ccb", "abc", "cmb", "ths", "alipay", "taobao", "jd_finance", "gjfzzx", "htsc"]
DECOR = ["Pro", "极速版", "理财", "2024", "官方版", "APP", "专业版", "Plus", "v3.2.1", "手机版"]
CYR = str.maketrans({"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "i": "і"})
GENERIC = ["安全助手", "快捷钱包", "计算器", "手电筒", "天气预报", "记事本", "便捷工具", "Notes"]


def cert(sha: str) -> CertificateFacts:
    return CertificateFacts(
        sha256=sha, sha1="0" * 40, md5="0" * 32, subject="CN=x", issuer="CN=x", serial="1",
        not_before=None, not_after=None, self_signed=True,
    )  # fmt: skip


def doc(label: str, package: str, sha: str, icon: bytes | None) -> tuple[FactsDocument, dict]:
    blobs = {}
    icon_facts = None
    if icon is not None:
        digest = hashlib.sha256(icon).hexdigest()
        blobs[digest] = icon
        icon_facts = IconFacts(best="res/ic.png", best_sha256=digest)
    apk = ApkFacts(
        package=package, label=label, labels={"default": label}, icon=icon_facts,
        signing=SigningFacts(verified=True, certificates=[cert(sha)]),
    )  # fmt: skip
    return FactsDocument(sha256="0" * 64, path="x", kind="apk", size=1, apk=apk), blobs


def build_registry(tmp: Path) -> BrandRegistry:
    base = default_registry()
    lines = ["brands:"]
    (tmp / "icons").mkdir()
    for i, bid in enumerate(BRANDS):
        b = base.brands[bid]
        (tmp / "icons" / f"{bid}.png").write_bytes(png(brand_icon(1000 + i)))
        lines += [
            f"  - id: {bid}",
            f"    names: {b.names!r}",
            f"    category: {b.category}",
            f"    packages: {b.packages!r}",
            f'    certs: ["{hashlib.sha256(bid.encode()).hexdigest()}"]',
            f"    domains: {b.domains!r}",
            f"    tokens: {b.tokens!r}",
            f'    icons: ["icons/{bid}.png"]',
        ]
    (tmp / "brands.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_registry([tmp / "brands.yaml"])


def label_variant(rng: random.Random, names: list[str], t2s: OpenCC) -> tuple[str, bool]:
    """(label, carries the brand)."""
    cjk = [n for n in names if not n.isascii() and len(n) >= 3] or [names[0]]
    latin = [n for n in names if n.isascii() and len(n) >= 3]
    name = rng.choice(cjk)
    kind = rng.randrange(9)
    if kind == 0:
        return name + rng.choice(DECOR), True
    if kind == 1:
        return t2s.convert(name) + rng.choice(["", " ", "-"]) + rng.choice(DECOR), True
    if kind == 2:
        return " ".join(lazy_pinyin(name)), True
    if kind == 3 and latin:
        return rng.choice(latin) + " " + rng.choice(DECOR), True
    if kind == 4 and latin:
        return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in latin[0]), True
    if kind == 5 and latin:
        return latin[0].lower().translate(CYR), True
    if kind == 6:
        return name + " 🔥", True
    return rng.choice(GENERIC), False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--impostors", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    t2s = OpenCC("s2t")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        reg = build_registry(Path(tmp))
        right = 0
        misses: list[str] = []
        for _ in range(args.impostors):
            i = rng.randrange(len(BRANDS))
            bid = BRANDS[i]
            brand = reg.brands[bid]
            label, carries = label_variant(rng, brand.names, t2s)
            variant = rng.choice([*VARIANTS, None]) if carries else rng.choice(list(VARIANTS))
            icon = VARIANTS[variant](brand_icon(1000 + i)) if variant else None
            pkg = rng.choice(
                [f"com.a{rng.randrange(10**6)}.app", (brand.packages or ["x"])[0] + ".loan",
                 f"com.{(brand.tokens or ['x'])[0]}.kefu", (brand.packages or ["com.x"])[0]]
            )  # fmt: skip
            d, blobs = doc(label, pkg, "f" * 64, icon)
            found = judge(d, blobs, reg).impersonation
            if found is not None and found.brand == bid:
                right += 1
            else:
                misses.append(
                    f"{bid}: {label!r} icon={variant} pkg={pkg} -> {found and found.brand}"
                )
        genuine_flagged = 0
        for i, bid in enumerate(BRANDS):
            b = reg.brands[bid]
            if not b.packages:
                continue
            for icon in (png(brand_icon(1000 + i)), jpeg(brand_icon(1000 + i), 60)):
                d, blobs = doc(b.names[0], b.packages[0], b.certs[0], icon)
                out = judge(d, blobs, reg)
                genuine_flagged += out.genuine != bid or out.impersonation is not None
        ordinary_claims = 0
        for k in range(100):
            d, blobs = doc(
                rng.choice(GENERIC), f"com.o{k}.app", "e" * 64, png(brand_icon(5000 + k))
            )
            ordinary_claims += judge(d, blobs, reg).impersonation is not None
    n = args.impostors
    print(f"impostors: {right}/{n} right brand = {right / n:.3f}")
    print(f"genuine apps flagged: {genuine_flagged} of {2 * len(BRANDS)}")
    print(f"ordinary apps with a claimed brand: {ordinary_claims} of 100")
    print(f"elapsed {time.perf_counter() - started:.1f} s")
    for m in misses[:20]:
        print("  miss", m)


if __name__ == "__main__":
    main()
