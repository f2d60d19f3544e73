"""The ``--fetch`` options, shared by every command that takes URL inputs.

With ``--fetch`` a URL input is crawled (``chaincut.fetch.crawl``) instead of only being
analysed offline: the URL's document comes first, then every artifact reached from it.
Documents keep input order: files between URLs are extracted as usual, in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

import typer

from chaincut.cli.console import fail

if TYPE_CHECKING:  # the fetcher (httpx, page readers) loads only when --fetch is used
    from chaincut.extractors.dispatch import ExtractionResult
    from chaincut.fetch import FetchPolicy

J = TypeVar("J")

FETCH = typer.Option(
    False, "--fetch", help="Follow URL inputs like a phone and analyse what they download."
)
ALLOW_PRIVATE = typer.Option(
    False, "--allow-private", help="Let --fetch reach private, loopback and link-local addresses."
)
USER_AGENT = typer.Option(
    "android", "--user-agent", help="android, iphone, wechat or a literal User-Agent string."
)
FETCH_MAX_MB = typer.Option(64, "--fetch-max-mb", help="Largest response --fetch keeps, MB.")
FETCH_TIMEOUT = typer.Option(
    20.0, "--fetch-timeout", help="Seconds --fetch waits to connect and for each read."
)


class Crawler:
    """Crawls URL inputs under one policy and remembers how the crawls ended."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.private_refusals: list[str] = []
        self.failed_starts: list[str] = []

    def results(self, url: str) -> Iterator[ExtractionResult]:
        """Every document of one crawl, noting refusals and a start URL that led nowhere."""
        from chaincut.fetch import crawl
        from chaincut.fetch.guard import PRIVATE_HINT

        for index, result in enumerate(crawl(url, self.policy)):
            doc = result.document
            refusals = [e for e in doc.errors if PRIVATE_HINT in e]
            self.private_refusals += refusals
            if index == 0 and doc.fetch is not None and doc.errors:
                self.failed_starts.append(url)
            yield result

    def exit_code(self) -> int:
        """2 after a private refusal (one line on stderr), 1 if a start URL failed, else 0."""
        if self.private_refusals and not self.policy.allow_private:
            more = len(self.private_refusals) - 1
            extra = f" ({more} more refused the same way)" if more else ""
            fail(self.private_refusals[0] + extra)
            return 2
        return 1 if self.failed_starts else 0


def crawler(
    fetch: bool, allow_private: bool, user_agent: str, max_mb: int, timeout: float
) -> Crawler | None:
    """The crawler the options ask for; None without ``--fetch``.

    A command called as a plain Python function leaves these parameters at their Typer
    defaults (OptionInfo objects), so anything but an explicit True means no fetching.
    """
    if fetch is not True:
        return None
    from chaincut.fetch import FetchPolicy
    from chaincut.fetch.policy import MB

    if max_mb <= 0 or timeout <= 0:
        fail("--fetch-max-mb and --fetch-timeout must be positive")
        raise typer.Exit(2)
    policy = FetchPolicy(allow_private=allow_private, max_bytes=max_mb * MB, timeout=timeout)
    return Crawler(policy.with_user_agent(user_agent))


def job_url(job: object) -> str | None:
    """The URL of a URL input job (``Job.url``), None for a file."""
    url = getattr(job, "url", None)
    return url if isinstance(url, str) else None


def with_crawls(
    jobs: Sequence[J],
    files: Callable[[list[J]], Iterator[ExtractionResult]],
    active: Crawler | None,
) -> Iterator[ExtractionResult]:
    """Results in input order: runs of file jobs through ``files``, URL jobs crawled."""
    if active is None:
        yield from files(list(jobs))
        return
    run: list[J] = []
    for job in jobs:
        url = job_url(job)
        if url is None:
            run.append(job)
            continue
        if run:
            yield from files(run)
            run = []
        yield from active.results(url)
    if run:
        yield from files(run)
