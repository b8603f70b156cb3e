"""Synthetic phone and payment records for the link-analysis exercise (module 04).

Eight phones were recovered from possible victims. Around them: one controller (in contact with all
of them and paid by most of them), a driver (in contact with many, paid by none), a landlord (paid by
a few), and unrelated numbers. Numbers use the reserved fictional range 555-01xx.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

VICTIMS = tuple(f"555-01{i:02d}" for i in range(10, 18))
CONTROLLER = "555-0142"
DRIVER = "555-0157"
LANDLORD = "555-0163"
OTHERS = tuple(f"555-01{i:02d}" for i in (71, 72, 73, 74, 75, 76))


def phones() -> pd.DataFrame:
    """Every number in the records and where it came from (``recovered`` or ``subscriber_unknown``)."""
    numbers = [*VICTIMS, CONTROLLER, DRIVER, LANDLORD, *OTHERS]
    source = ["recovered" if p in VICTIMS else "subscriber_unknown" for p in numbers]
    return pd.DataFrame({"phone": numbers, "source": source})


def call_records(seed: int = 4) -> pd.DataFrame:
    """Calls and messages: ``caller``, ``callee``, ``day`` (1-28), ``duration_s`` (0 for a text)."""
    rng = np.random.default_rng(seed)
    rows = []

    def add(a: str, b: str, k: int) -> None:
        for _ in range(k):
            caller, callee = (a, b) if rng.random() < 0.5 else (b, a)
            text = rng.random() < 0.4
            rows.append(
                (
                    caller,
                    callee,
                    int(rng.integers(1, 29)),
                    0 if text else int(rng.integers(20, 600)),
                )
            )

    for v in VICTIMS:
        add(v, CONTROLLER, int(rng.integers(3, 9)))
    for v in VICTIMS[:6]:
        add(v, DRIVER, int(rng.integers(2, 6)))
    for v in VICTIMS[:2]:
        add(v, LANDLORD, 1)
    add(CONTROLLER, DRIVER, 12)
    add(CONTROLLER, LANDLORD, 2)
    for other in OTHERS:
        for v in rng.choice(VICTIMS, size=int(rng.integers(1, 3)), replace=False):
            add(str(v), other, int(rng.integers(1, 4)))
        if rng.random() < 0.5:
            add(other, str(rng.choice(OTHERS)), 2)
    frame = pd.DataFrame(rows, columns=["caller", "callee", "day", "duration_s"])
    frame = frame[frame["caller"] != frame["callee"]]
    return frame.sort_values(["day", "caller", "callee"], kind="stable").reset_index(drop=True)


def payment_records(seed: int = 5) -> pd.DataFrame:
    """Mobile-money transfers: ``sender``, ``receiver``, ``day``, ``amount``."""
    rng = np.random.default_rng(seed)
    rows = []
    for v in VICTIMS[:7]:
        for _ in range(int(rng.integers(3, 7))):
            rows.append((v, CONTROLLER, int(rng.integers(1, 29)), int(rng.integers(8, 25)) * 10))
    for v in VICTIMS[5:8]:
        rows.append((v, LANDLORD, int(rng.integers(1, 5)), 600))
    for other in OTHERS[:3]:
        rows.append(
            (
                str(rng.choice(VICTIMS)),
                other,
                int(rng.integers(1, 29)),
                int(rng.integers(1, 6)) * 10,
            )
        )
    rows.append((CONTROLLER, DRIVER, 14, 500))
    frame = pd.DataFrame(rows, columns=["sender", "receiver", "day", "amount"])
    return frame.sort_values(["day", "sender"], kind="stable").reset_index(drop=True)
