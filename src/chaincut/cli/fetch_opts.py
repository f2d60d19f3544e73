"""The ``--fetch`` options, shared by every command that takes URL inputs.

With ``--fetch`` a URL input is crawled (``chaincut.fetch.crawl``) instead of only being
analysed offline: the URL's document comes first, then every artifact reached from it.
Documents keep input order: files between URLs are extracted as usual, in their place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

import typer

from chaincut.cli.console import fail, warn

if TYPE_CHECKING:  # the fetcher (httpx, page readers) loads only when --fetch is used
    from chaincut.extractors.budget import Budget
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
    """Crawls URL inputs under one policy and remembers how the crawls ended.

    Fetched bodies are analysed under ``budget`` (default: the per-file defaults), as
    files are.
    """

    def __init__(self, policy: FetchPolicy, budget: Budget | None = None) -> None:
        self.policy = policy
        self.budget = budget
        self.private_refusals: list[str] = []
        self.private_reached: list[str] = []
        self.failed_starts: list[str] = []

    def results(self, url: str) -> Iterator[ExtractionResult]:
        """Every document of one crawl, noting refusals and a start URL that led nowhere.

        A crawl that fails unexpectedly ends with an error document; the run goes on.
        """
        from chaincut.cli.streams import writable
        from chaincut.extractors.dispatch import ExtractionResult, failed_document
        from chaincut.fetch import crawl

        try:
            for index, result in enumerate(crawl(url, self.policy, self.budget)):
                result.document = writable(result.document)
                self._note(url, index, result)
                yield result
        except Exception as exc:  # a crawler bug costs this URL's documents only
            why = f"the crawl of {url} stopped: internal error {type(exc).__name__}"
            self.failed_starts.append(url)
            yield ExtractionResult(writable(failed_document(url, url.encode(), why)))

    def _note(self, url: str, index: int, result: ExtractionResult) -> None:
        from chaincut.fetch.guard import PRIVATE_HINT

        doc = result.document
        self.private_refusals += [e for e in doc.errors if PRIVATE_HINT in e]
        self.private_reached += [a.detail for a in doc.anomalies if a.code == "fetched_private"]
        if index == 0 and doc.fetch is not None and doc.errors:
            self.failed_starts.append(url)

    def exit_code(self) -> int:
        """2 after a private refusal (one line on stderr), 1 if a start URL failed, else 0.

        Under --allow-private, one warning line says which private destinations were
        reached, so a local test never quietly becomes a proxy into a network.
        """
        if self.private_reached:
            more = len(self.private_reached) - 1
            extra = f" (and {more} more, see the fetched_private anomalies)" if more else ""
            warn(f"--allow-private: reached a private destination: {self.private_reached[0]}"
                 f"{extra}")
        if self.private_refusals and not self.policy.allow_private:
            more = len(self.private_refusals) - 1
            extra = f" ({more} more refused the same way)" if more else ""
            fail(self.private_refusals[0] + extra)
            return 2
        return 1 if self.failed_starts else 0


def crawler(
    fetch: bool,
    allow_private: bool,
    user_agent: str,
    max_mb: int,
    timeout: float,
    budget: Budget | None = None,
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
    return Crawler(policy.with_user_agent(user_agent), budget)


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
