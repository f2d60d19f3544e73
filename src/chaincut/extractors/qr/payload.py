"""What a QR payload is: a link, an iOS install, a payment, a chat contact, Wi-Fi, text.

Payment codes (WeChat ``wxp://``, Alipay ``https://qr.alipay.com/...``, UnionPay) are
where the money goes; chat codes (WeChat, QQ, WeCom groups) are how victims are kept on
the hook. Both are classified before generic URLs because many are https links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

PAYMENT_PREFIXES = (
    "wxp://",
    "weixin://wxpay",
    "alipays://",
    "alipayqr://",
    "alipay://",
    "https://qr.alipay.com/",
    "http://qr.alipay.com/",
    "https://render.alipay.com/p/s/i",
    "upwallet://",
    "unionpay://",
    "https://qr.95516.com/",
    "https://wx.tenpay.com/",
    "https://payapp.weixin.qq.com/",
    "https://mobile.qq.com/qrcode",
    "https://i.qianbao.qq.com/",
    "bitcoin:",
    "ethereum:",
    "tron:",
)
CHAT_PREFIXES = (
    "weixin://",
    "mqqapi://",
    "mqq://",
    "mqqwpa://",
    "https://u.wechat.com/",
    "http://u.wechat.com/",
    "https://weixin.qq.com/g/",
    "https://weixin.qq.com/r/",
    "http://weixin.qq.com/r/",
    "https://qm.qq.com/",
    "http://qm.qq.com/",
    "https://work.weixin.qq.com/",
    "https://qr.dingtalk.com/",
    "dingtalk://",
    "https://t.me/",
    "tg://",
    "https://line.me/",
    "https://wa.me/",
    "whatsapp://",
)
WEB_SCHEMES = ("http", "https", "ftp")
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]{0,31}):")
PayloadKind = Literal["url", "itms_services", "payment", "chat", "wifi", "text", "binary", "other"]


@dataclass(frozen=True, slots=True)
class Payload:
    kind: PayloadKind
    scheme: str | None
    url: str | None  # the link to analyse further, when there is one


def classify(text: str) -> Payload:
    """Classify a decoded text payload."""
    stripped = text.strip()
    lower = stripped.lower()
    m = SCHEME.match(stripped)
    scheme = m.group(1).lower() if m else None
    url = stripped if scheme in (*WEB_SCHEMES, "itms-services") else None
    if lower.startswith(PAYMENT_PREFIXES):
        return Payload("payment", scheme, url)
    if lower.startswith(CHAT_PREFIXES):
        return Payload("chat", scheme, url)
    if scheme == "itms-services":
        return Payload("itms_services", scheme, url)
    if scheme in WEB_SCHEMES and "://" in stripped[:12]:
        return Payload("url", scheme, url)
    if lower.startswith("wifi:"):
        return Payload("wifi", "wifi", None)
    if scheme is not None and stripped[m.end() if m else 0 :].startswith("//"):
        return Payload("other", scheme, None)
    return Payload("text", None, None)
