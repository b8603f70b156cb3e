"""Disclosure: the one step between a report's evaluation and anything a reader sees.

An evaluation (:mod:`toolkit.reports.evaluate_cohort`, :mod:`toolkit.reports.evaluate_gaps`)
computes with real trainee ids and suppresses nothing. Every one of its fields declares what it is:

- a :class:`Table` holds a frame and its disclosure class, the rule :func:`disclose` applies:
  :class:`Aggregate` (figures about groups of trainees, blanked for a small group),
  :class:`Counts` (group sizes beside a total: complementary suppression), :class:`Findings`
  (conclusions resting on a group: withheld for a small group), :class:`PerTrainee` (one row per
  trainee: pseudonymised, withheld for a small population) or :class:`NoPeople` (the curriculum,
  the items: shown as computed);
- any other field is declared ``field(metadata=CONTEXT)`` (labels, parameters, the settings
  used, notes).

:func:`disclose` refuses (:class:`DisclosureError`) a field that declares nothing, a table holding
names or e-mail addresses, or a trainee column in a table not declared per trainee. A table's
:attr:`Table.frame` cannot be read before disclosure, so a template and ``summary.json`` (which read
nothing else) cannot show an undisclosed figure: a new statistic is suppressed by the same step as
the others, or the report fails.

A pseudonym is a keyed hash (HMAC-SHA256) of the trainee id. The key stays with the instructor,
outside the repository: the environment variable ``CTTK_PSEUDONYM_KEY`` (hex) if set, else the file
``pseudonym.key`` in the cttk config folder (``CTTK_CONFIG_DIR``, else ``$XDG_CONFIG_HOME/cttk``,
else ``~/.config/cttk``), created on first use with owner-only permissions. The key never appears
in a report: only the pseudonyms do. The instructor's copy names trainees instead.

Any group smaller than the threshold is suppressed, and where a shown total would let a reader
recover a suppressed group by subtraction, the next smallest group is suppressed as well
(complementary suppression).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import hmac
import os
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import pandas as pd

from toolkit.errors import CttkError
from toolkit.settings import CONFIG_DIR_ENV, PSEUDONYM_KEY_ENV, SUPPRESSION_THRESHOLD

KEY_FILENAME = "pseudonym.key"
KEY_BYTES = 32
PSEUDONYM_PREFIX = "P-"
#: Columns that never leave an evaluation, whatever the table's class.
PERSONAL_COLUMNS = frozenset({"first_name", "last_name", "email"})
TRAINEE_COLUMN = "trainee"


class PrivacyError(CttkError):
    """The pseudonym key cannot be read or created, or is malformed."""


class DisclosureError(CttkError):
    """An evaluation holds something whose disclosure is not declared, or is read undisclosed."""


# -- pseudonyms --------------------------------------------------------------------------------


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


# -- suppression -------------------------------------------------------------------------------


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


def suppressed_note(what: str, n: int, threshold: int) -> str:
    """The sentence a report shows where it suppressed a group's figures."""
    return f"{what}: figures suppressed because fewer than {threshold} trainees ({n} < {threshold})"


# -- disclosure classes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """Rows are groups of trainees (a cohort on a test, the takers of an item, a competency's
    assessed trainees) with figures about them; ``n`` is the group's size. A group smaller than
    the threshold keeps its ``n`` and its ``shown`` columns (labels, notes); every other column is
    a figure and is blanked (a list becomes empty). ``note`` names a column that then says so (a
    list gets the sentence appended, a text is replaced) for groups that are not empty, naming the
    group by its first ``shown`` column. ``tallies`` are counts of trainees within a group, each
    a group itself (see the field)."""

    n: str = "n"
    shown: tuple[str, ...] = ()
    note: str | None = None
    #: Counts of trainees within the group (those who ticked an option, those whose rating
    #: rose): a count below the threshold, or one leaving fewer than the threshold outside it,
    #: is blanked with the ``tally_figures`` of its row (a share), as for the answers per option.
    tallies: tuple[str, ...] = ()
    tally_figures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Counts:
    """Rows are group sizes ``n`` (agencies, cohorts, the trainees who chose an option) of which
    a total is shown (in the table or beside it): sizes below the threshold are blanked with their
    ``figures``, plus the next smallest where a total would give one away; a ``suppressed`` column
    says which. With ``within`` (columns), each group of rows with equal values there is its own
    total (the options of one question)."""

    n: str = "n"
    figures: tuple[str, ...] = ()
    within: tuple[str, ...] = ()


@dataclass(frozen=True)
class Findings:
    """Rows are conclusions (a gap, an action, an option's statistics) each resting on a group of
    ``n`` trainees (a number, or a list with one size per group): a row resting on a group smaller
    than the threshold is withheld. A missing ``n`` means the row rests on no trainee's data."""

    n: str = "n"


@dataclass(frozen=True)
class PerTrainee:
    """One row per trainee: in the instructor's copy ``column`` is replaced by the trainee's
    name. An evaluator's copy is aggregate only: the rows are withheld, unless the rule says
    ``pseudonymous`` (then ``column`` becomes a pseudonym). Either way the rows are withheld when
    the evaluation's population is unknown or below the threshold."""

    column: str = TRAINEE_COLUMN
    pseudonymous: bool = False


@dataclass(frozen=True)
class NoPeople:
    """Rows about the curriculum or its items that hold no figure about trainees: shown as
    computed."""


Rule = Aggregate | Counts | Findings | PerTrainee | NoPeople


@dataclass(frozen=True)
class Table:
    """A table of an evaluation and its disclosure class.

    ``undisclosed`` is the table as computed (real ids, nothing suppressed), named so that no
    report reads it by accident; :attr:`frame`, the only way a report reads the table, is
    available once :func:`disclose` has applied ``rule``.
    """

    undisclosed: pd.DataFrame
    rule: Rule
    disclosed: bool = False

    @property
    def frame(self) -> pd.DataFrame:
        """The table as a reader may see it."""
        if not self.disclosed:
            raise DisclosureError(
                "a report read a table that has not been disclosed",
                hint="pass the evaluation through toolkit.reports.disclose.disclose() first",
            )
        return self.undisclosed


#: ``field(metadata=CONTEXT)`` declares a field of an evaluation that is not a table: a label, a
#: parameter, a setting used, notes. It reaches the report as it is, so it must hold no figure
#: about trainees.
CONTEXT: Mapping[str, str] = MappingProxyType({"disclosure": "context"})


@dataclass(frozen=True)
class Disclosure:
    """How an evaluation was disclosed: the threshold, whether trainees are named (the instructor's
    copy), whether the whole population is below the threshold, and the notes saying so."""

    threshold: int
    names: bool
    suppressed: bool
    notes: list[str]


@dataclass(frozen=True, kw_only=True)
class Evaluation:
    """Base of a report's evaluation: :class:`Table` fields and fields declared :data:`CONTEXT`.

    ``population`` is the number of trainees the evaluation is about (None when it spans several
    groups); ``subject`` names them in notes. ``min_group`` is the smallest group the evaluation
    pooled or compared (None: it pooled nothing), which may not be below the disclosure threshold.
    ``disclosure`` is set by :func:`disclose`.
    """

    subject: str = field(default="", metadata=CONTEXT)
    population: int | None = field(default=None, metadata=CONTEXT)
    min_group: int | None = field(default=None, metadata=CONTEXT)
    notes: list[str] = field(default_factory=list, metadata=CONTEXT)
    disclosure: Disclosure | None = field(default=None, metadata=CONTEXT)

    def all_notes(self) -> list[str]:
        """The disclosure's notes, then the evaluation's."""
        if self.disclosure is None:
            raise DisclosureError("the evaluation has not been disclosed", hint="call disclose()")
        return [*self.disclosure.notes, *self.notes]


E = TypeVar("E", bound=Evaluation)


def _blank(values: pd.Series, mask: Sequence[bool]) -> list[Any]:
    """``values`` with masked cells blanked: None, or an empty list in a column of lists."""
    lists = bool(values.map(lambda v: isinstance(v, list)).any())
    return [([] if lists else None) if hide else v for v, hide in zip(values, mask, strict=True)]


def _tallies(frame: pd.DataFrame, rule: Aggregate, threshold: int) -> pd.DataFrame:
    """Blank the tallies (and their row's ``tally_figures``) that make a group below the
    threshold: 0 < count < threshold, or 0 < n - count < threshold."""
    if not rule.tallies or frame.empty:
        return frame
    out = frame.copy()
    n = pd.to_numeric(out[rule.n], errors="coerce")
    for column in rule.tallies:
        count = pd.to_numeric(out[column], errors="coerce")
        rest = n - count
        small = ((count > 0) & (count < threshold)) | ((rest > 0) & (rest < threshold))
        mask = small.fillna(False).to_numpy()
        if not mask.any():
            continue
        for c in (column, *rule.tally_figures):
            out[c] = pd.Series(_blank(out[c], mask), index=out.index, dtype=object)
    return out


def _aggregate(frame: pd.DataFrame, rule: Aggregate, threshold: int) -> pd.DataFrame:
    n = pd.to_numeric(frame[rule.n], errors="coerce").fillna(0)
    mask = (n < threshold).to_numpy()
    if not mask.any():
        return _tallies(frame, rule, threshold)
    out = frame.copy()
    keep = {rule.n, *rule.shown}
    figures = [c for c in out.columns if c not in keep]
    for column in figures:
        out[column] = pd.Series(_blank(out[column], mask), index=out.index, dtype=object)
    if rule.note is not None:
        label = out[rule.shown[0]] if rule.shown else ["group"] * len(out)
        out[rule.note] = [
            note
            if not hide or size == 0
            else [*note, suppressed_note(str(what), int(size), threshold)]
            if isinstance(note, list)
            else suppressed_note(str(what), int(size), threshold)
            for note, hide, size, what in zip(out[rule.note], mask, n, label, strict=True)
        ]
    return _tallies(out, rule, threshold)


def _counts(frame: pd.DataFrame, rule: Counts, threshold: int) -> pd.DataFrame:
    if not rule.within or frame.empty:
        return suppress(
            frame, n_column=rule.n, columns=list(rule.figures), threshold=threshold, total=True
        )
    parts = [
        suppress(part, n_column=rule.n, columns=list(rule.figures), threshold=threshold, total=True)
        for _, part in frame.groupby(list(rule.within), sort=False)
    ]
    return pd.concat(parts).loc[frame.index]


def _findings(frame: pd.DataFrame, rule: Findings, threshold: int) -> pd.DataFrame:
    def rests_on_small_group(sizes: Any) -> bool:
        values = sizes if isinstance(sizes, list | tuple) else [sizes]
        return any(v is not None and not pd.isna(v) and v < threshold for v in values)

    if frame.empty:
        return frame
    small = frame[rule.n].map(rests_on_small_group).astype(bool)
    return frame[~small].reset_index(drop=True) if small.any() else frame


def _per_trainee(
    frame: pd.DataFrame,
    rule: PerTrainee,
    population: int | None,
    threshold: int,
    label: Callable[[Any], str],
    named: bool,
) -> pd.DataFrame:
    if population is None or population < threshold or not (named or rule.pseudonymous):
        return frame.iloc[0:0]
    return frame.assign(**{rule.column: frame[rule.column].map(label)})


def _labeller(roster: pd.DataFrame | None) -> Callable[[Any], str]:
    """How trainees are shown: by name with the roster (the instructor's copy), else by pseudonym
    (the key is read on first use)."""
    if roster is not None:
        names = {
            str(r.trainee): f"{r.first_name} {r.last_name} ({r.trainee})".strip()
            for r in roster.itertuples(index=False)
        }
        return lambda trainee: names.get(str(trainee), str(trainee))
    key = functools.cache(pseudonym_key)
    return lambda trainee: pseudonym(str(trainee), key())


def _check(name: str, frame: pd.DataFrame, rule: Rule) -> None:
    personal = sorted(PERSONAL_COLUMNS & set(map(str, frame.columns)))
    if personal:
        raise DisclosureError(f"table {name} holds {', '.join(personal)}: no report may show them")
    if TRAINEE_COLUMN in frame.columns and not isinstance(rule, PerTrainee):
        raise DisclosureError(
            f"table {name} has a trainee column but is declared {type(rule).__name__}",
            hint="declare it PerTrainee, or aggregate it",
        )


def disclose(
    evaluation: E,
    *,
    threshold: int = SUPPRESSION_THRESHOLD,
    roster: pd.DataFrame | None = None,
) -> E:
    """The evaluation as a reader may see it: every table through its disclosure class.

    Args:
        evaluation: as computed (not yet disclosed).
        threshold: groups smaller than this are suppressed.
        roster: trainee, first_name, last_name: makes the instructor's copy, which names trainees
            ("First Last (id)"); None (evaluators' reports) gives pseudonyms.

    Raises:
        DisclosureError: a field declares no disclosure class, a table holds personal columns or
            an undeclared trainee column, the evaluation pooled groups smaller than ``threshold``,
            or it was disclosed already.
        PrivacyError: the pseudonym key cannot be had.
    """
    if evaluation.disclosure is not None:
        raise DisclosureError("the evaluation is disclosed already")
    if evaluation.min_group is not None and evaluation.min_group < threshold:
        raise DisclosureError(
            f"the evaluation pooled groups of {evaluation.min_group} trainees, fewer than the "
            f"threshold {threshold}",
            hint="evaluate with min_group at least the threshold",
        )
    label = _labeller(roster)
    population = evaluation.population
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(evaluation):
        value = getattr(evaluation, f.name)
        if f.metadata.get("disclosure") == CONTEXT["disclosure"]:
            if isinstance(value, pd.DataFrame | Table):
                raise DisclosureError(f"field {f.name} is declared context but holds a table")
            continue
        if value is None:
            continue
        if not isinstance(value, Table):
            raise DisclosureError(
                f"{type(evaluation).__name__}.{f.name} declares no disclosure class",
                hint="make it a Table with a rule (Aggregate, Counts, Findings, PerTrainee, "
                "NoPeople), or declare it field(metadata=CONTEXT)",
            )
        _check(f.name, value.undisclosed, value.rule)
        rule = value.rule
        if isinstance(rule, Aggregate):
            frame = _aggregate(value.undisclosed, rule, threshold)
        elif isinstance(rule, Counts):
            frame = _counts(value.undisclosed, rule, threshold)
        elif isinstance(rule, Findings):
            frame = _findings(value.undisclosed, rule, threshold)
        elif isinstance(rule, PerTrainee):
            frame = _per_trainee(
                value.undisclosed, rule, population, threshold, label, roster is not None
            )
        elif isinstance(rule, NoPeople):
            frame = value.undisclosed
        else:
            raise DisclosureError(f"table {f.name} has an unknown disclosure class {rule!r}")
        changes[f.name] = Table(frame, rule, disclosed=True)
    suppressed = population is not None and population < threshold
    notes = []
    if population and suppressed:
        notes.append(suppressed_note(evaluation.subject, population, threshold))
    changes["disclosure"] = Disclosure(
        threshold=threshold, names=roster is not None, suppressed=suppressed, notes=notes
    )
    return dataclasses.replace(evaluation, **changes)
