"""Web artifacts of a world: download landing pages and the QR codes that point at them.

A landing page shows the brand's name in a banner, fraud wording, a contact number, an
Android button (APK URL) and an iOS button (itms-services or a profile); one variant
sends the visitor on by user agent in JavaScript instead, its addresses written out,
kept in an object picked by a ternary, or hidden in base64, as kits do. QR codes encode
landing-page URLs; some are rotated or noisy, as photos of posters and chat screenshots
are.
"""

from __future__ import annotations

import base64
import io
import random
from html import escape

import qrcode
from PIL import Image, ImageFilter

SCRIPT_STYLES = ("literal", "object", "base64")


def redirect_script(apk_url: str, ios_url: str, style: str) -> str:
    """The script that sends a phone to its download: addresses written out, kept in an
    object picked by a ternary, or hidden in base64 (``atob``)."""
    if style == "object":
        return (
            f"<script>var links={{android:'{apk_url}',ios:'{ios_url}'}};"
            "var isIOS=/iPhone|iPad|iPod/i.test(navigator.userAgent);"
            "window.location.href=isIOS?links.ios:links.android;</script>"
        )
    if style == "base64":
        a, i = (base64.b64encode(u.encode()).decode() for u in (apk_url, ios_url))
        return (
            f"<script>var ua=navigator.userAgent;var a=atob('{a}'),i=atob('{i}');"
            "if(/iPhone|iPad|iPod/i.test(ua)){window.location.href=i;}"
            "else{window.location.href=a;}</script>"
        )
    return (
        "<script>var ua=navigator.userAgent;"
        f"if(/iPhone|iPad|iPod/i.test(ua)){{window.location.href='{ios_url}';}}"
        f"else{{window.location.href='{apk_url}';}}</script>"
    )


def landing_page(title: str, banner: str, lines: list[str], apk_url: str, ios_url: str,
                 js_redirect: bool = False) -> bytes:  # fmt: skip
    """The HTML of one download page. The redirect script's style is drawn from the
    page's own addresses (not the world's random stream, so adding styles leaves every
    other draw of a seed as it was)."""
    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    if js_redirect:
        style = random.Random(f"{apk_url} {ios_url}").choice(SCRIPT_STYLES)
        script = redirect_script(apk_url, ios_url, style)
        buttons = ""
    else:
        script = ""
        buttons = (
            f'<a class="btn" href="{escape(apk_url)}">安卓下载</a>'
            f'<a class="btn" href="{escape(ios_url)}">苹果下载</a>'
        )
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>"
        f'<div class="banner"><h1>{escape(banner)}</h1></div>{body}{buttons}{script}'
        "</body></html>"
    ).encode()


def qr_png(url: str, rng: random.Random) -> bytes:
    """A QR code PNG of ``url``; a third are rotated, a third get noise and blur."""
    code = qrcode.QRCode(border=4, box_size=6, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    img = code.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    style = rng.randrange(3)
    if style == 1:
        img = img.rotate(rng.uniform(-25, 25), expand=True, fillcolor=(255, 255, 255))
    elif style == 2:
        px = img.load()
        assert px is not None
        for _ in range(img.width * img.height // 60):
            x, y = rng.randrange(img.width), rng.randrange(img.height)
            px[x, y] = (rng.randrange(256),) * 3
        img = img.filter(ImageFilter.GaussianBlur(0.6))
    canvas = Image.new("RGB", (img.width + 40, img.height + 40), (250, 250, 250))
    canvas.paste(img, (20, 20))
    out = io.BytesIO()
    canvas.save(out, "PNG")
    return out.getvalue()
