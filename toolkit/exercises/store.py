"""The response store: one small JSON file per assignment folder, written atomically.

Widgets call :func:`save_answer` whenever an answer changes and :func:`load_answer` when they are
built; the grading helpers read answers with :func:`read_store` (see :mod:`toolkit.exercises.grading`).
The file looks like::

    {"schema": "cttk.responses/1",
     "exercises": {"legal.scenario.s1": {"kind": "choice", "value": {...},
                                         "revision": 3, "saved_at": "2026-11-28T10:00:00+00:00"}}}

The file is trainee-controlled input: readers never trust it and reject anything too large, not
JSON, or of the wrong shape with a :class:`~toolkit.errors.ResponseError`.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from toolkit.errors import ResponseError
from toolkit.settings import RESPONSE_FILENAME, RESPONSE_MAX_BYTES, RESPONSE_SCHEMA

_EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_lock = threading.Lock()

JSONValue = Any


def check_exercise_id(exercise: str) -> str:
    """Return ``exercise`` if it is a valid exercise id (lower-case, dotted, at most 80 characters)."""
    if not isinstance(exercise, str) or not _EXERCISE_ID.match(exercise):
        raise ResponseError(
            f"invalid exercise id {exercise!r}",
            hint="use lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return exercise


def store_path(folder: str | os.PathLike[str] | None = None) -> Path:
    """The response file of the assignment folder ``folder`` (default: the working directory)."""
    return Path(folder if folder is not None else os.getcwd()) / RESPONSE_FILENAME


def _empty() -> dict[str, Any]:
    return {"schema": RESPONSE_SCHEMA, "exercises": {}}


def read_store(path: Path, *, max_bytes: int = RESPONSE_MAX_BYTES) -> dict[str, Any]:
    """Read and check a response file; a missing file is an empty store.

    Raises:
        ResponseError: the file is too large, not JSON, or not a response store.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return _empty()
    except OSError as exc:
        raise ResponseError(f"response file cannot be read ({exc.strerror})", path=path) from None
    if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
        raise ResponseError("response file is not a regular file", path=path)
    if info.st_size > max_bytes:
        raise ResponseError(
            f"response file is {info.st_size:,} bytes, more than the {max_bytes:,} allowed",
            hint="answer the exercises again in the notebook",
            path=path,
        )
    try:
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)  # bounded even if the file grows meanwhile
    except OSError as exc:
        raise ResponseError(f"response file cannot be read ({exc.strerror})", path=path) from None
    if len(raw) > max_bytes:
        raise ResponseError(f"response file is more than {max_bytes:,} bytes", path=path)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ResponseError(
            f"response file is not valid JSON ({exc.__class__.__name__})",
            hint="do not edit the file by hand; answer the exercises again",
            path=path,
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("schema") != RESPONSE_SCHEMA
        or not isinstance(data.get("exercises"), dict)
    ):
        raise ResponseError(
            "response file does not follow the response schema",
            hint=f"expected {{'schema': {RESPONSE_SCHEMA!r}, 'exercises': {{...}}}}",
            path=path,
        )
    return data


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cttk-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _check_value(kind: str, value: JSONValue) -> None:
    # imported here: the kind modules import the grading helpers, which import this module
    from toolkit.exercises.registry import KINDS

    if kind not in KINDS:
        raise ResponseError(
            f"unknown exercise kind {kind!r}", hint=f"use one of: {', '.join(sorted(KINDS))}"
        )
    KINDS[kind].parse(value)


def save_answer(
    exercise: str,
    kind: str,
    value: JSONValue,
    *,
    folder: str | os.PathLike[str] | None = None,
    extra: dict[str, JSONValue] | None = None,
) -> dict[str, Any]:
    """Save the answer to ``exercise`` and return the stored record.

    The write is atomic (a temporary file renamed over the old one), so a reader sees the old or the
    new file, never half of one. A corrupt existing file is replaced rather than trusted; the other
    exercises of a corrupt file are lost, which is what the trainee would see in the notebook anyway.

    Raises:
        ResponseError: ``kind`` is not a registered exercise kind, or ``value`` is not an answer of
            that kind (checked by the kind's own parser), so a malformed answer is never saved.
    """
    check_exercise_id(exercise)
    json.dumps(value)  # refuse what cannot be stored before touching the file
    _check_value(kind, value)
    path = store_path(folder)
    with _lock:
        try:
            data = read_store(path)
        except ResponseError:
            data = _empty()
        previous = data["exercises"].get(exercise)
        before = previous.get("revision") if isinstance(previous, dict) else 0
        revision = before + 1 if type(before) is int and 0 <= before < 2**31 else 1
        record: dict[str, Any] = {
            "kind": kind,
            "value": value,
            "revision": revision,
            "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        if extra:
            record.update(extra)
        data["exercises"][exercise] = record
        _write_atomic(path, data)
    return record


def load_answer(
    exercise: str, kind: str, *, folder: str | os.PathLike[str] | None = None
) -> JSONValue | None:
    """The saved value of ``exercise`` if one of kind ``kind`` exists and is readable, else None.

    Widgets call this when they are built; they must never fail because of a bad file, so every
    problem reads as "no saved answer".
    """
    record = load_record(exercise, folder=folder)
    if record is None or record.get("kind") != kind:
        return None
    return record.get("value")


def load_record(
    exercise: str, *, folder: str | os.PathLike[str] | None = None
) -> dict[str, Any] | None:
    """The whole saved record of ``exercise``, or None when absent or unreadable."""
    try:
        data = read_store(store_path(folder))
    except ResponseError:
        return None
    record = data["exercises"].get(exercise)
    return record if isinstance(record, dict) else None
