"""Find network and contact indicators (URLs, domains, IPs, e-mails, phones) in text or bytes."""

from chaincut.extractors.indicators.extract import (
    MAX_INPUT,
    find_indicators,
    find_indicators_bytes,
)

__all__ = ["MAX_INPUT", "find_indicators", "find_indicators_bytes"]
