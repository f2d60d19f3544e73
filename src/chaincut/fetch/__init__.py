"""Safe fetching (``--fetch``): follow a victim's link the way a phone would.

Every destination is resolved and checked before connecting (no private, loopback or
link-local addresses unless allowed), redirects are followed by hand so each hop is
checked and recorded, bodies are bounded, and nothing fetched is ever run or written to
disk here: downloaded bytes go to the extractors and come back as facts documents.
"""

from chaincut.fetch.crawl import crawl
from chaincut.fetch.guard import FetchRefused
from chaincut.fetch.policy import FetchPolicy, user_agent_for

__all__ = ["FetchPolicy", "FetchRefused", "crawl", "user_agent_for"]
