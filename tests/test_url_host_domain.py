"""Where a link points (host and registrable domain) read without the URL's other facts
equals what the full analysis reports."""

from __future__ import annotations

import random

from chaincut.extractors.url.analyse import analyse_url, host_and_domain

PARTS = {
    "scheme": ["http://", "https://", "HTTPS://", "itms-services://", "ftp://", "mailto:", "",
               "//", "javascript:", "weird+scheme://"],
    "user": ["", "user@", "a:b@", "@"],
    "host": ["example.com", "WWW.Example.CO.UK", "a.b.example.com.cn", "xn--80ak6aa92e.com",
             "例子.中国", "bank-login.github.io", "10.0.0.1", "0x7f.1", "2130706433",
             "[2001:db8::1]", "[::1", "999.1.1.1", "localhost", "", "exa mple.com", "a..b",
             "ｅｘａｍｐｌｅ．ｃｏｍ", "%65xample.com", "com", "example.com.", "ex_ample.com"],
    "port": ["", ":80", ":443", ":99999", ":x"],
    "rest": ["", "/", "/app.apk", "/?a=1#f", "?url=http://other.example/x", "#top", "/%zz"],
}  # fmt: skip


def test_host_and_domain_are_the_full_analysis_ones() -> None:
    rnd = random.Random(31)
    urls = [
        "".join(rnd.choice(PARTS[k]) for k in ("scheme", "user", "host", "port", "rest"))
        for _ in range(3000)
    ]
    urls += ["", " ", "http://", "https://[", "not a url", "https://例子.中国/下载"]
    named = 0
    for url in urls:
        facts = analyse_url(url)
        assert host_and_domain(url) == (facts.host, facts.registrable_domain), url
        named += facts.registrable_domain is not None
    assert named > 1000
