"""A collector that readers use to report anomalies and errors instead of raising.

Hostile input is the normal case: a reader that meets something odd records it
here with a stable code and goes on with whatever it can still read.
"""

from __future__ import annotations

from chaincut.facts.models import Anomaly, Location

MAX_ANOMALIES = 500  # a file with more is itself the finding; keep the document bounded


class Findings:
    """Anomalies and errors gathered while reading one input."""

    __slots__ = ("_seen", "anomalies", "errors", "truncated")

    def __init__(self) -> None:
        self.anomalies: list[Anomaly] = []
        self.errors: list[str] = []
        self.truncated = 0
        self._seen: set[tuple[str, str]] = set()

    def anomaly(
        self, code: str, detail: str = "", *, entry: str | None = None, offset: int | None = None
    ) -> None:
        """Record one anomaly; exact repeats are dropped and the total is capped."""
        key = (code, f"{detail}|{entry}|{offset}")
        if key in self._seen:
            return
        self._seen.add(key)
        if len(self.anomalies) >= MAX_ANOMALIES:
            self.truncated += 1
            return
        location = (
            Location(entry=entry, offset=offset)
            if entry is not None or offset is not None
            else None
        )
        self.anomalies.append(Anomaly(code=code, detail=detail, location=location))

    def error(self, message: str) -> None:
        """Record something that could not be read, in words a user understands."""
        if message not in self.errors:
            self.errors.append(message)

    def extend(self, other: Findings) -> None:
        """Merge another collector's findings (e.g. from a nested reader)."""
        for a in other.anomalies:
            loc = a.location
            self.anomaly(
                a.code,
                a.detail,
                entry=loc.entry if loc else None,
                offset=loc.offset if loc else None,
            )
        for e in other.errors:
            self.error(e)
        self.truncated += other.truncated

    def finalized_anomalies(self) -> list[Anomaly]:
        """The anomalies, with a marker when the cap dropped some."""
        if not self.truncated:
            return list(self.anomalies)
        return [
            *self.anomalies,
            Anomaly(code="anomalies_truncated", detail=f"{self.truncated} more not listed"),
        ]
