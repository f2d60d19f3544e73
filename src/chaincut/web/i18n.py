"""The page texts in Chinese (first) and English; ``?lang=en`` or the cookie switches."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request

LANGS = ("zh", "en")
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("防诈骗 App 检测", "Fake app check"),
    "intro": (
        "收到陌生人发来的链接、二维码或安装包？先在这里查一查。",
        "Got a link, a QR code or an app from a stranger? Check it here first.",
    ),
    "upload": (
        "上传安装包 (APK/IPA)、描述文件或二维码截图",
        "Upload an APK, IPA, profile or QR screenshot",
    ),
    "or_link": ("或者粘贴链接", "or paste a link"),
    "check": ("检测", "Check"),
    "private": (
        "匿名检测：不需要登录，文件只用于分析，不会被打开或安装。",
        "Anonymous: no sign-in; files are only analysed, never opened or installed.",
    ),
    "waiting": ("正在分析，请稍候……", "Analysing, please wait..."),
    "ahead": ("前面还有 {n} 个任务", "{n} job(s) ahead of yours"),
    "failed": ("无法完成分析", "The analysis could not be completed"),
    "v_malicious": ("不要安装", "Do not install"),
    "v_suspicious": ("请小心", "Be careful"),
    "v_clean": ("未发现问题", "Looks safe"),
    "v_unknown": ("无法判断", "Could not tell"),
    "d_malicious": ("这是诈骗软件或诈骗链接。", "This is a fraud app or fraud link."),
    "d_suspicious": (
        "有可疑之处，不要付款、不要输入密码。",
        "Something is wrong with it: do not pay or enter a password.",
    ),
    "d_clean": (
        "没有发现诈骗特征，但仍请只从官方应用商店下载。",
        "No sign of fraud found; still, install apps only from the official store.",
    ),
    "d_unknown": (
        "文件无法读取，请勿安装来历不明的软件。",
        "The file could not be read; do not install apps of unknown origin.",
    ),
    "pretends": ("冒充", "Pretends to be"),
    "genuine": ("正版", "Genuine"),
    "fake": ("本文件", "This one"),
    "fraud_kind": ("诈骗类型", "Kind of fraud"),
    "reasons": ("主要原因", "Main reasons"),
    "known": (
        "该链接/软件属于一个已在 {n} 个省份被报案的诈骗团伙。",
        "It belongs to a fraud operation reported in {n} province(s).",
    ),
    "known_none": ("数据库中暂无相关报案。", "No related report in our records yet."),
    "todo": ("怎么办", "What to do"),
    "todo_delete": ("立即删除该软件，不要点开链接。", "Delete the app now; do not open the link."),
    "todo_pay": (
        "不要转账、不要付款、不要透露验证码。",
        "Do not transfer or pay money; never share a verification code.",
    ),
    "todo_call": (
        "拨打 96110 反诈专线，或报警 110。",
        "Call the anti-fraud line 96110, or the police on 110.",
    ),
    "again": ("再查一个", "Check another"),
    "signin": ("分析员登录", "Analyst sign-in"),
    "user": ("用户名", "User name"),
    "password": ("密码", "Password"),
    "bad_login": ("用户名或密码不正确", "Wrong user name or password"),
    "c_investment": ("投资理财诈骗", "investment fraud"),
    "c_loan": ("贷款诈骗", "loan fraud"),
    "c_banking": ("冒充银行诈骗", "fake bank"),
    "c_payment": ("支付诈骗", "payment fraud"),
    "c_shopping": ("购物诈骗", "shopping fraud"),
    "c_part_time_job": ("刷单兼职诈骗", "part-time job fraud"),
    "c_dating": ("交友诈骗", "dating fraud"),
    "c_gambling": ("赌博诈骗", "gambling fraud"),
    "c_fake_authority": ("冒充公检法诈骗", "fake authority"),
    "c_customer_service": ("冒充客服诈骗", "fake customer service"),
    "c_other": ("其他诈骗", "other fraud"),
}


def language(request: Request) -> str:
    """``?lang=``, else the ``lang`` cookie, else Chinese unless the browser asks English."""
    asked = request.query_params.get("lang") or request.cookies.get("lang")
    if asked in LANGS:
        return asked
    accept = request.headers.get("accept-language", "").lower()
    return "en" if accept.startswith("en") else "zh"


def translator(lang: str) -> Callable[..., str]:
    index = LANGS.index(lang)

    def t(key: str, **values: object) -> str:
        pair = TEXTS.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t
