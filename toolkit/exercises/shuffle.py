"""The order in which a widget shows its options: shuffled per trainee and per exercise.

A trainee who always picks the first option shown, or whose keys are always written first, must
not be rewarded. So the option-picking widgets (choice, checklist, the right column of a matching,
the start order of an ordering) show their options in an order drawn from a seed made of the
trainee's identity and the exercise id: the same trainee sees the same order after a reload or a
kernel restart, and two trainees usually see different orders.

The order shown never reaches the response file: answers are saved as option texts, so grading,
the response frames and the item analysis do not depend on it. :func:`display_order` is pure, so
an analysis that knows a trainee's identity can tell which position each option was shown in.
"""

from __future__ import annotations

import getpass
import hashlib
import os
import random
from collections.abc import Sequence
from typing import TypeVar

from toolkit.settings import SHUFFLE_IDENTITY_VARIABLE

T = TypeVar("T")


def trainee_identity() -> str:
    """Who is answering: the hub's user name (``JUPYTERHUB_USER``) where set, else the operating
    system's user name, else an empty text (the same order for everybody on that machine)."""
    hub = os.environ.get(SHUFFLE_IDENTITY_VARIABLE, "").strip()
    if hub:
        return hub
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name known to the system (some containers)
        return ""


def _rng(exercise: str, identity: str) -> random.Random:
    digest = hashlib.sha256(f"cttk.shuffle\0{identity}\0{exercise}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def display_order(
    items: Sequence[T], exercise: str, identity: str | None = None, *, avoid_written: bool = False
) -> list[T]:
    """``items`` in the order shown to ``identity`` (default: :func:`trainee_identity`) for
    ``exercise``.

    With ``avoid_written`` (an ordering's start order, which would otherwise sometimes be its
    answer when authors write the steps in order), an order equal to the written one is turned
    by one place.
    """
    who = trainee_identity() if identity is None else identity
    order = list(items)
    _rng(exercise, who).shuffle(order)
    if avoid_written and len(order) > 1 and order == list(items):
        order = order[1:] + order[:1]
    return order


def shown_positions(
    items: Sequence[str], exercise: str, identity: str | None = None
) -> dict[str, int]:
    """option -> the position (1 = first) it is shown in to ``identity`` for ``exercise``."""
    return {o: i + 1 for i, o in enumerate(display_order(items, exercise, identity))}


__all__ = ["display_order", "shown_positions", "trainee_identity"]
