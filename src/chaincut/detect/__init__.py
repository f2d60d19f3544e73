"""Detection: features from facts, rules as data, impersonation, category, score, verdict."""
