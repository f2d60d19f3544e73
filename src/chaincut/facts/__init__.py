"""The facts document: what was extracted from one input, before any judgement.

Everything here is a frozen pydantic model so that every later stage (engine,
store, renderers, API) reads one typed document instead of passing dicts around.
"""

from chaincut.facts.models import (
    Anomaly,
    ApkFacts,
    CertificateFacts,
    Component,
    DexFacts,
    EntryFacts,
    FactsDocument,
    IconFacts,
    IconFile,
    Indicator,
    IntentFilter,
    Location,
    MetaData,
    SignerFacts,
    SigningFacts,
)

__all__ = [
    "Anomaly",
    "ApkFacts",
    "CertificateFacts",
    "Component",
    "DexFacts",
    "EntryFacts",
    "FactsDocument",
    "IconFacts",
    "IconFile",
    "Indicator",
    "IntentFilter",
    "Location",
    "MetaData",
    "SignerFacts",
    "SigningFacts",
]
