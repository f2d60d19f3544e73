"""The rule engine: rules as data (one YAML file per rule), matched against features.

See docs/rules.md for the format and the feature kinds rules may name.
"""

from chaincut.detect.rules.loader import RuleError, RuleSet, load_rules, read_rule
from chaincut.detect.rules.model import Rule, RuleMatch, RuleMeta

__all__ = ["Rule", "RuleError", "RuleMatch", "RuleMeta", "RuleSet", "load_rules", "read_rule"]
