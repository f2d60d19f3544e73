"""Gangs that rotate, and victims who report the link they were sent.

Real operations change signing keys, domains and servers every few weeks and keep their
accounts (push and chat keys, phones), their app names and icons. With
``WorldSpec.rotation``, each gang with at least four apps switches midway: the second
half of its apps is signed with a key of the gang's own (no longer the developer
supplier's), and talks to new domains and a new IP. Its pages are saved with the address
the victim opened (a browser's ``saved from url=`` comment), and reports name that
address, or the QR code's link, as often as a file.

Everything is drawn from its own generator (seeded from the world seed), so worlds built
without rotation stay exactly what they were.
"""

from __future__ import annotations

import random

from chaincut.sim import names as N
from chaincut.sim.keys import Signer, signer
from chaincut.sim.world import Gang, World

MIN_APPS = 4


def rotation_rng(world: World) -> random.Random:
    return random.Random(f"{world.spec.seed}:rotation")


def rotate(gang: Gang, world: World, rng: random.Random) -> None:
    """Switch ``gang`` to new domains, a new IP and a signing key of its own."""
    gang.domains = [f"{N.word(rng, rng.randint(5, 8))}.{rng.choice(N.TLDS)}"
                    for _ in range(len(gang.domains))]  # fmt: skip
    gang.ips = [N.public_ip(rng) for _ in gang.ips]
    gang.own_signer = rotated_signer(world.spec.seed, gang.id)


def rotated_signer(seed: int, gang_id: str) -> Signer:
    return signer(f"{seed}:{gang_id}:rotated", f"{gang_id.replace('-', '')} release", None,
                  days_offset=90)  # fmt: skip


def rotates(world: World, gang: Gang, index: int) -> bool:
    """True at the app where ``gang`` switches (its middle one)."""
    return world.spec.rotation and gang.apps >= MIN_APPS and index == gang.apps // 2


def saved_from(page: bytes, url: str) -> bytes:
    """The page as a browser saves it: the address it was opened at, in a comment."""
    head, sep, rest = page.partition(b"\n")
    comment = f"<!-- saved from url=({len(url):04d}){url} -->".encode()
    if head.lower().startswith(b"<!doctype"):
        return head + sep + comment + b"\n" + rest
    return comment + b"\n" + page
