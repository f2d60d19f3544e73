"""How far and how hard ``--fetch`` may go: limits, timeouts and the browser it pretends to be.

Fraud landing pages cloak: they serve the app only to a phone, and often only to the
phone the link was meant for (an iPhone gets the itms-services page, Android the APK),
so the fetcher presents a current mobile browser's User-Agent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_7 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1"
)
WECHAT_ANDROID = (
    "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
    "MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)
USER_AGENTS = {"android": ANDROID_CHROME, "iphone": IPHONE_SAFARI, "wechat": WECHAT_ANDROID}

MB = 1024 * 1024


def user_agent_for(choice: str) -> str:
    """``android``, ``iphone``, ``wechat`` or a literal User-Agent string."""
    return USER_AGENTS.get(choice.strip().lower(), choice.strip()) or ANDROID_CHROME


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Limits of one crawl. Private destinations are refused unless ``allow_private``."""

    allow_private: bool = False
    max_bytes: int = 64 * MB  # per response, after content decoding
    timeout: float = 20.0  # seconds, for the connection and for each read
    deadline: float = 300.0  # seconds for the whole crawl
    max_redirects: int = 10
    max_depth: int = 3  # links followed from the start URL
    max_artifacts: int = 50  # fetches per crawl
    user_agent: str = ANDROID_CHROME
    ios_user_agent: str = IPHONE_SAFARI  # for itms-services manifests and IPA downloads

    def with_user_agent(self, choice: str) -> FetchPolicy:
        """This policy with the User-Agent named by ``choice`` (see :func:`user_agent_for`).

        An explicit iPhone or custom string is used for iOS links too; Android and WeChat
        switch to iPhone Safari there, the browser such pages tell victims to open.
        """
        agent = user_agent_for(choice)
        keep_ios = choice.strip().lower() in ("android", "wechat")
        return replace(self, user_agent=agent, ios_user_agent=IPHONE_SAFARI if keep_ios else agent)
