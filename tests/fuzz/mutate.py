"""Byte mutations shared by the whole-file fuzz harnesses."""

from __future__ import annotations

from hypothesis import strategies as st

mutation = st.tuples(
    st.integers(min_value=0, max_value=10_000_000),  # position (modulo length)
    st.binary(min_size=1, max_size=8),  # bytes written there
)


def mutate(seed: bytes, mutations: list[tuple[int, bytes]], cut: int | None) -> bytes:
    """``seed`` with each chunk written at its position (modulo length), then cut."""
    data = bytearray(seed)
    for pos, chunk in mutations:
        at = pos % len(data)
        data[at : at + len(chunk)] = chunk
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    return bytes(data)
