"""chaincut: take fake fraud apps apart and link them into the chains behind them.

Data flows extractors -> facts document -> (rules, engine) -> result document ->
render / store / link. See README.md, "How data flows".
"""

__version__ = "0.1.0"
