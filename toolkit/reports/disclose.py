"""Privacy of evaluators' reports: pseudonyms and small-group suppression.

A pseudonym is a keyed hash (HMAC-SHA256) of the trainee id. The key stays with the instructor,
outside the repository: the environment variable ``CTTK_PSEUDONYM_KEY`` (hex) if set, else the file
``pseudonym.key`` in the cttk config folder (``CTTK_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/cttk``,
else ``~/.config/cttk``), created on first use with owner-only permissions. The key never appears
in a report: only the pseudonyms do.

Any group smaller than the threshold is suppressed, and where a shown total would let a reader
recover a suppressed group by subtraction, the next smallest group is suppressed as well
(complementary suppression).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from toolkit.errors import CttkError
from toolkit.settings import CONFIG_DIR_ENV, PSEUDONYM_KEY_ENV, SUPPRESSION_THRESHOLD

KEY_FILENAME = "pseudonym.key"
KEY_BYTES = 32
PSEUDONYM_PREFIX = "P-"


class PrivacyError(CttkError):
    """The pseudonym key cannot be read or created, or is malformed."""


def config_dir() -> Path:
    """The instructor's cttk config folder (never inside a course repository)."""
    if os.environ.get(CONFIG_DIR_ENV):
        return Path(os.environ[CONFIG_DIR_ENV])
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "cttk"


def pseudonym_key() -> bytes:
    """The pseudonym key: from the environment, else the key file (created on first use)."""
    text = os.environ.get(PSEUDONYM_KEY_ENV)
    if text:
        try:
            key = bytes.fromhex(text.strip())
        except ValueError:
            raise PrivacyError(
                f"{PSEUDONYM_KEY_ENV} is not hexadecimal",
                hint="set it to 64 hex digits, or unset it to use the key file",
            ) from None
        if len(key) < 16:
            raise PrivacyError(
                f"{PSEUDONYM_KEY_ENV} is shorter than 16 bytes", hint="use at least 32 hex digits"
            )
        return key
    path = config_dir() / KEY_FILENAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # created meanwhile by another process: read theirs
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(KEY_BYTES) + "\n")
    try:
        return bytes.fromhex(path.read_text().strip())
    except (OSError, ValueError) as exc:
        raise PrivacyError(
            "the pseudonym key file cannot be read",
            path=path,
            hint="restore it from backup; a new key changes every pseudonym",
        ) from exc


def pseudonym(trainee: str, key: bytes) -> str:
    """The stable pseudonym of ``trainee`` under ``key`` (``P-`` and 10 hex digits)."""
    digest = hmac.new(key, str(trainee).encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:10]


def pseudonymise(frame: pd.DataFrame, key: bytes, column: str = "trainee") -> pd.DataFrame:
    """``frame`` with ``column`` replaced by pseudonyms and name/email columns dropped."""
    out = frame.drop(columns=[c for c in ("first_name", "last_name", "email") if c in frame])
    return out.assign(**{column: out[column].map(lambda t: pseudonym(t, key))})


def suppression_mask(
    n: Sequence[int] | pd.Series, threshold: int = SUPPRESSION_THRESHOLD, *, total: bool = False
) -> pd.Series:
    """Which groups to suppress: those with 0 < n < threshold, and, when a total of the groups is
    shown and exactly one group is suppressed, the smallest other non-empty group too."""
    counts = pd.Series(list(n), dtype=float).fillna(0)
    mask = (counts > 0) & (counts < threshold)
    if total and int(mask.sum()) == 1:
        others = counts[~mask & (counts > 0)]
        if len(others):
            mask.loc[others.idxmin()] = True
    return mask


def suppress(
    table: pd.DataFrame,
    *,
    n_column: str = "n",
    columns: Sequence[str] | None = None,
    threshold: int = SUPPRESSION_THRESHOLD,
    total: bool = False,
) -> pd.DataFrame:
    """``table`` with the figures of suppressed groups blanked (None) and a ``suppressed`` column.

    Args:
        n_column: the group size column (blanked too).
        columns: figures to blank (default: every column but the first, the group label).
        total: a total of the groups is shown elsewhere (apply complementary suppression).
    """
    mask = suppression_mask(table[n_column], threshold, total=total).to_numpy()
    out = table.copy().astype(object)
    blank = list(columns) if columns is not None else list(table.columns[1:])
    if n_column not in blank:
        blank.append(n_column)
    out.loc[mask, blank] = None
    out["suppressed"] = mask
    return out
