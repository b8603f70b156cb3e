"""Write a response file as a trainee's hand (or a hostile submission) could: any value, unchecked.

The store refuses to save an answer its kind's parser rejects; tests of what readers do with a
malformed answer write the file directly with :func:`write_raw_answer`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from toolkit.exercises.store import read_store, store_path
from toolkit.settings import RESPONSE_SCHEMA


def write_raw_answer(folder: Path, exercise: str, kind: str, value: Any) -> None:
    """Put ``value`` in ``folder``'s response file as the answer to ``exercise``, unchecked."""
    path = store_path(folder)
    try:
        data = read_store(path)
    except Exception:
        data = {"schema": RESPONSE_SCHEMA, "exercises": {}}
    data["exercises"][exercise] = {"kind": kind, "value": value, "revision": 1}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
