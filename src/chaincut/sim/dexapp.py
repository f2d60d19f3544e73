"""A DEX for a simulated app: its classes, the framework methods it calls, its strings.

What chaincut reads from code is names, not behaviour: defined classes (builder runtimes,
packer stubs, SDK packages), referenced framework methods (``SmsManager.sendTextMessage``)
and string constants (C2 addresses, fraud wording). The DEX holds exactly those, with the
ordering rules the format demands (sorted strings, types, methods).
"""

from __future__ import annotations

from collections.abc import Sequence

from chaincut.sim.dex import NO_INDEX, DexSpec, build

OBJECT = "Ljava/lang/Object;"
ACC_PUBLIC = 0x1


def descriptor(java_name: str) -> str:
    """``a.b.C`` → ``La/b/C;``."""
    return "L" + java_name.replace(".", "/") + ";"


def app_dex(
    classes: Sequence[str],
    calls: Sequence[tuple[str, str]] = (),
    strings: Sequence[str] = (),
    supers: dict[str, str] | None = None,
) -> bytes:
    """A DEX defining ``classes`` (Java names), calling ``calls`` ((class, method) pairs) and
    holding ``strings``; ``supers`` names a class's superclass (default Object)."""
    supers = supers or {}
    defined = sorted({descriptor(c) for c in classes})
    parents = {descriptor(c): descriptor(s) for c, s in supers.items()}
    refs = sorted({(descriptor(c), m) for c, m in calls} | {(d, "<init>") for d in defined})
    descs = set(defined) | {OBJECT, "V"} | set(parents.values()) | {c for c, _ in refs}
    pool = sorted(descs | {m for _, m in refs} | set(strings))
    index = {s: i for i, s in enumerate(pool)}
    type_list = sorted(descs, key=index.__getitem__)
    type_index = {d: i for i, d in enumerate(type_list)}
    methods = sorted((type_index[c], 0, index[m]) for c, m in refs)
    # a superclass defined here must come first; simulated apps only extend framework classes
    class_defs = [
        (type_index[d], ACC_PUBLIC, type_index[parents.get(d, OBJECT)], NO_INDEX) for d in defined
    ]
    spec = DexSpec(
        strings=list(pool),
        types=[index[d] for d in type_list],
        protos=[(index["V"], type_index["V"])],
        methods=methods,
        classes=class_defs,
    )
    return build(spec)
