"""Capped anomaly reporting: a hostile archive can repeat one trick 60 000 times.

The shared ``Findings`` keeps 500 anomalies in all; without a per-code cap one repeated
trick would crowd out every other finding. Each code keeps its first ``PER_CODE`` details,
and ``flush`` adds one line counting the rest.
"""

from __future__ import annotations

from chaincut.extractors.findings import Findings

PER_CODE = 20


class Reporter:
    """Forwards anomalies to a ``Findings``, at most ``PER_CODE`` per code."""

    __slots__ = ("counts", "findings", "flushed", "muted")

    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.counts: dict[str, int] = {}
        self.flushed: dict[str, int] = {}
        self.muted = False  # records invisible to Android (past the entry count) stay quiet

    def note(
        self, code: str, detail: str, *, entry: str | None = None, offset: int | None = None
    ) -> None:
        if self.muted:
            return
        n = self.counts.get(code, 0) + 1
        self.counts[code] = n
        if n <= PER_CODE:
            self.findings.anomaly(code, detail, entry=entry, offset=offset)

    def flush(self) -> None:
        """One summary line per code that went over the cap since the last flush."""
        for code, n in self.counts.items():
            if n > PER_CODE and self.flushed.get(code) != n:
                self.flushed[code] = n
                self.findings.anomaly(code, f"{n} occurrences in all; only {PER_CODE} listed")
