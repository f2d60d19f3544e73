"""The regular expressions and word lists behind indicator extraction.

Every pattern is ASCII-only and bounded (fixed maximum repeats), so a hostile input cannot
make the regex engine backtrack for long, and every lookaround uses explicit ASCII classes
instead of ``\\b``: in Chinese text a CJK character counts as a word character, so
``电话13812345678`` has no word boundary before the digits, yet the number is there.
Internationalised host names are found in their punycode (``xn--``) form only.
"""

from __future__ import annotations

import re

SCHEMES = ("https", "http", "wss", "ws", "ftps", "ftp", "sftp", "rtmp", "rtsp")
APP_SCHEMES = ("itms-services", "itms-apps")  # iOS side-loading links; no host needed
# Patterns start with a plain character or class, not a lookbehind, so the regex engine can
# skip ahead fast; the character before a match is checked in Python (see finders.py).
SCHEME_BEFORE = re.compile(r"(?i:" + "|".join((*APP_SCHEMES, *SCHEMES)) + r")\Z")
URL_BODY = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%]{0,2048}")
URL = re.compile(r"(?i:" + "|".join((*APP_SCHEMES, *SCHEMES)) + r")://" + URL_BODY.pattern)
# A nested URL in a query string, sometimes percent-encoded: ...&url=https%3A%2F%2Fhost/...
ENCODED_SLASHES = re.compile(r"%3A%2F%2F", re.IGNORECASE)
HTML_ENTITY_END = re.compile(r"&(?:quot|lt|gt|apos|#3[49]|#x2[27]);", re.IGNORECASE)

EMAIL_LOCAL = re.compile(r"[A-Za-z0-9._%+-]{1,64}\Z")
EMAIL_DOMAIN = re.compile(
    r"(?:[A-Za-z0-9-]{1,63}\.){1,8}[A-Za-z][A-Za-z0-9-]{1,62}(?![A-Za-z0-9-]|\.[A-Za-z0-9])"
)
IPV4 = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}(?![0-9A-Za-z]|\.[0-9])")
# "version 1.2.3.4", "v1.2.3.4" (a letter right before the address is rejected anyway)
VERSION_BEFORE = re.compile(r"(?i)(?<![a-z])(?:version|ver|build|release|v)[\s:=/_-]{0,3}\Z")
# Possessive and anchored so runs like "0::0::0::..." cost one pass; addresses with an
# embedded IPv4 tail (::ffff:1.2.3.4) are not recognised.
IPV6 = re.compile(
    r"(?<![0-9A-Fa-f:])(?=[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:)"
    r"[0-9A-Fa-f:]{3,39}+(?:%[0-9A-Za-z]{1,16})?(?![0-9A-Za-z:.])"
)
# A maximal dotted run of label characters outside any URL. Possessive repeats never
# backtrack into a run, and the lookbehind lets each run start only once, so
# "example.comexample.com..." and long letter runs cost one linear pass.
BARE_HOST = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9-]++(?:\.[A-Za-z0-9-]++)++")
HOST_AFTER = frozenset("_$@")  # a run followed by one of these is an identifier or e-mail
MAX_HOST_LABELS = 10
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")

# Characters that may not touch the start of a match of each kind.
URL_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-")
IP_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.")
IPV6_GLUE = IP_GLUE | {":"}
HOST_GLUE = IP_GLUE | frozenset("_@$%-")
EMAIL_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._%+-")
PHONE_GLUE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+")

_END = r"(?![0-9A-Za-z_])"
CN_MOBILE = re.compile(r"1([3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})" + _END)
CN_MOBILE_PREFIX = re.compile(r"(?:\+|00)86[ -]?\Z")
CN_SERVICE = re.compile(r"([48]00)[ -]?([0-9]{3})[ -]?([0-9]{4})" + _END)
CN_LANDLINE = re.compile(r"0([1-9][0-9]{1,2})-([2-9][0-9]{6,7})" + _END)
CN_LANDLINE_PREFIX = re.compile(r"\+86[ -]?\Z")
INTL_PHONE = re.compile(
    r"\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){1,5}(?:[ .-]?[0-9]{1,4})?" + _END
)

# XML namespaces, DTDs and licence boilerplate: in every APK, never evidence of anything.
NOISE_HOSTS = frozenset(
    {
        "schemas.android.com",
        "www.w3.org",
        "w3.org",
        "ns.adobe.com",
        "schemas.xmlsoap.org",
        "schemas.microsoft.com",
        "schemas.openxmlformats.org",
        "xmlpull.org",
        "xml.org",
        "purl.org",
        "java.sun.com",
        "xmlns.jcp.org",
        "www.apple.com/dtds",
    }
)
NOISE_PREFIXES = (
    "www.apache.org/licenses/",
    "apache.org/licenses/",
    "www.gnu.org/licenses/",
    "opensource.org/licenses/",
    "www.apple.com/dtds/",
)

# First labels of reverse-DNS Java/Kotlin package names and JS member chains: a dotted
# token starting with one of these (or with any TLD, like com./org./cn./io.) is code.
CODE_ROOTS = frozenset(
    {
        "android", "androidx", "java", "javax", "kotlin", "kotlinx", "dalvik", "junit",
        "okhttp3", "okio", "retrofit2", "dagger", "sun", "jdk", "libcore", "this", "self",
        "window", "document", "module", "exports", "console", "navigator", "location",
        "prototype", "super", "top", "parent", "ro", "persist", "sys", "debug",
    }
)  # fmt: skip
# Suffixes accepted for a bare two-label name (name.suffix): where fraud hosts live, and
# never common JavaScript property names (".app", ".link", ".info", ".name" are left out).
HOST_TLDS = frozenset(
    {
        "com", "net", "org", "edu", "gov", "biz", "top", "xyz", "vip", "club", "site",
        "online", "shop", "store", "icu", "fun", "cyou", "wang", "ltd", "work", "tech",
        "cloud", "asia", "mobi", "xin", "ren", "pw", "tk", "cc", "cn", "hk", "tw", "mo",
        "io", "co", "me", "ru", "jp", "kr", "sg", "my", "ph", "vn", "th", "id", "uk", "us",
    }
)  # fmt: skip
# ccTLDs that double as file extensions in APKs (libfoo.so, main.py, Android.mk, ...):
# a bare name ending in one needs at least three labels.
FILE_TLDS = frozenset(
    {"so", "py", "md", "sh", "pl", "rs", "ps", "ai", "mk", "mm", "am", "in", "ac", "pm", "ml",
     "ws", "zip", "mov", "pro", "gz", "js", "kt", "cs", "ts", "do", "dll", "bin"}
)  # fmt: skip
