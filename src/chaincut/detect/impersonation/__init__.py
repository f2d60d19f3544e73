"""Brand impersonation: which registered brand an artifact imitates, and why.

``judge(doc, blobs, registry)`` is the entry point; the small modules hold one kind of
evidence each (labels, icons, packages, domains, identity, mentions) and ``judge`` the
documented combination.
"""

from chaincut.detect.impersonation.judge import ImpersonationJudgement, confidence, judge

__all__ = ["ImpersonationJudgement", "confidence", "judge"]
