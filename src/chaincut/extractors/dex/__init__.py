"""DEX: header checks, string table (MUTF-8), types, classes and method references."""

from chaincut.extractors.dex.facts import dex_facts, extract_dex_file
from chaincut.extractors.dex.reader import DexFile

__all__ = ["DexFile", "dex_facts", "extract_dex_file"]
