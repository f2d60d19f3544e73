"""Linking: the indicator graph, chains per operation, shared suppliers, cases by region."""
