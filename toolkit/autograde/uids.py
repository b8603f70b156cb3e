"""The user ids lent to sandboxed kernels, and the check that an id belongs to nobody.

A kernel run as root is switched to a user id of its own, and everything left running under that
id is killed when the submission is done. So the id must belong to no account and no service: not
in the accounts the system knows (``getpwuid``: ``/etc/passwd`` and any directory service), not in
a range that systemd or the distribution hands out (see :data:`RESERVED`), and not in a range
delegated to a user's containers in ``/etc/subuid``. :func:`uid_problem` says why an id may not
be used; the lease and the kill both refuse such an id.
"""

from __future__ import annotations

import pwd
from pathlib import Path

from toolkit import settings

#: Ids lent to kernels (settings ``AUTOGRADE_UID_FIRST`` and ``AUTOGRADE_UID_COUNT``).
UID_RANGE = range(
    settings.AUTOGRADE_UID_FIRST, settings.AUTOGRADE_UID_FIRST + settings.AUTOGRADE_UID_COUNT
)
#: Ranges systemd documents as allocated ("Users, Groups, UIDs and GIDs on systemd systems"):
#: system and regular users, systemd-homed, dynamic service users, nobody, container ranges.
RESERVED: tuple[tuple[str, range], ...] = (
    ("system and regular users", range(0, 60001)),
    ("systemd-homed users", range(60001, 60578)),
    ("systemd dynamic users", range(61184, 65520)),
    ("nobody", range(65534, 65536)),
    ("container users", range(524288, 1879048192)),
    ("ids that programs mistake for negative", range(2**31, 2**32)),
)
SUBUID = Path("/etc/subuid")


def _subuid_ranges(path: Path = SUBUID) -> list[range]:
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    ranges = []
    for line in lines:
        parts = line.strip().split(":")
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            ranges.append(range(int(parts[1]), int(parts[1]) + int(parts[2])))
    return ranges


def uid_problem(uid: int) -> str | None:
    """Why ``uid`` must not be lent to a kernel (or its processes killed), or None."""
    if uid not in UID_RANGE:
        return f"user id {uid} is outside the sandbox range"
    for what, ids in RESERVED:
        if uid in ids:
            return f"user id {uid} is reserved for {what}"
    try:
        account = pwd.getpwuid(uid)
    except KeyError:
        account = None
    if account is not None:
        return f"user id {uid} belongs to the account {account.pw_name!r}"
    if any(uid in ids for ids in _subuid_ranges()):
        return f"user id {uid} is delegated to a user's containers in {SUBUID}"
    return None
