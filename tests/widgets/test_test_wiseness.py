"""Done when: a trainee who always picks the first option shown (or the longest) scores near chance.

The real widgets of the pre- and post-test are built in a real ipykernel, once for each of many
simulated trainees (each with its own hub user name, so its own option order); a test-wise
strategy answers through the widgets' own controls, and the real hidden tests of the source
notebook grade the saved answers. Chance is the mean score of picking one option (or, for an
ordering, one start order) uniformly at random, computed from the keys with the kinds' scoring
rules.

A control plants the cue and shows that the test can fail: with the key written first and
shuffling off, the first-option strategy earns nearly full marks; with shuffling on, chance.

Content dependence: the first-option assertion holds whatever the items' texts are; the
longest-option assertion holds because the items vary which option is longest (the authoring
checks of ``cttk validate`` require it).
"""

from __future__ import annotations

import itertools
import json
import statistics
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from toolkit.exercises.keys import AnswerKey, ExerciseSpec, keyed_exercises, read_notebook
from toolkit.exercises.registry import get_kind
from toolkit.settings import SHUFFLE_IDENTITY_VARIABLE

pytestmark = pytest.mark.slow

#: Simulated trainees per form and strategy.
TRAINEES = 16
#: How far (as a share of the form's points) a strategy's mean may sit from chance.
BAND = 0.10
FORMS = {"pretest": "00_pretest/pretest.ipynb", "posttest": "09_posttest/posttest.ipynb"}
KINDS = {"choice", "checklist", "matching", "ordering"}

DRIVER = r'''
import ast, json, os, tempfile, functools
import ipywidgets
import toolkit.exercises as ex

# Each save is flushed to disk (fsync) as in the classroom; thousands of them here would only
# measure the disk, so this harness skips the flush. What is saved, and when, is unchanged.
os.fsync = lambda fd: None

def _run(source, ns):
    """Run a cell's code and return the value of its last expression (a widget, a score)."""
    tree = ast.parse(source)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, "<cell>", "exec"), ns)
    return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns) if last else None

def _pick(texts, strategy):
    return texts[0] if strategy == "first" else max(texts, key=len)

def _answer(w, strategy):
    kind = w.kind
    if kind == "choice":
        w.radio.value = _pick(list(w.radio.options), strategy)
    elif kind == "checklist":
        boxes = {b.description: b for b in w.boxes}
        boxes[_pick([b.description for b in w.boxes], strategy)].value = True
    elif kind == "matching":
        for d in w.dropdowns:
            d.value = _pick(list(d.options)[1:], strategy)
    elif kind == "ordering":
        w.confirm.click()

def play(widget_cells, grade_cells, identities, strategy, plain):
    scores = {}
    for who in identities:
        os.environ[IDENTITY] = who
        os.chdir(tempfile.mkdtemp(prefix="trainee-", dir=BASE))
        ns = {"Choice": ex.Choice}
        for source in widget_cells:
            if plain:  # the control: options shown as written (rebound after every import)
                for name in ("Choice", "Checklist", "Matching", "Ordering"):
                    ns[name] = functools.partial(getattr(ex, name), shuffle=False)
            w = _run(source, ns)
            if getattr(w, "kind", None) in KINDS:
                _answer(w, strategy)
        scores[who] = {gid: float(_run(source, dict(ns))) for gid, source in grade_cells}
        ipywidgets.Widget.close_all()
    return scores
'''


def _chance(spec: ExerciseSpec, key: AnswerKey) -> float:
    """Mean score of one option picked uniformly at random (an ordering: a random start order
    other than the written one, saved as shown)."""
    kind = get_kind(spec.kind)
    if spec.kind == "choice":
        return statistics.mean(
            kind.score(o, set(_texts(key.correct)), key.points) for o in spec.options
        )
    if spec.kind == "checklist":
        return statistics.mean(kind.score([o], key.correct, key.points) for o in spec.options)
    if spec.kind == "matching":
        right = spec.args["right"]
        return statistics.mean(
            kind.score({left: r for left in spec.args["left"]}, key.correct, key.points)
            for r in right
        )
    items = list(spec.args["items"])
    orders = [list(p) for p in itertools.permutations(items) if list(p) != items]
    return statistics.mean(kind.score(o, key.correct, key.points) for o in orders)


def _texts(correct: Any) -> list[str]:
    return [correct] if isinstance(correct, str) else list(correct)


def _form(path: Path, key_first: bool) -> tuple[list[str], list[tuple[str, str]], float, float]:
    """The widget cells and grade cells of a form, its chance score and its points (only the
    items of the kinds a strategy can answer). With ``key_first``, each choice's key is moved to
    the front of its written options (the planted cue of the control)."""
    nb = read_notebook(path)
    keyed, _ = keyed_exercises(nb)
    usable = {s.exercise: (s, k) for s, k in keyed if s.kind in KINDS}
    chance = sum(_chance(s, k) for s, k in usable.values())
    points = sum(k.points for _, k in usable.values())
    graded_by = {k.cell: k.exercise for _, k in keyed}
    widget_cells, grade_cells = [], []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code":
            continue
        if meta.get("grade"):
            if graded_by.get(meta.get("grade_id")) in usable:
                grade_cells.append((meta["grade_id"], cell.source))
            continue
        source = cell.source
        spec = next((s for s, _ in usable.values() if s.cell == meta.get("grade_id")), None)
        if key_first and spec is not None and spec.kind == "choice":
            answer = _texts(usable[spec.exercise][1].correct)[0]
            written = [answer, *[o for o in spec.options if o != answer]]
            source = f"Choice({spec.exercise!r}, {spec.prompt!r}, {written!r})"
        widget_cells.append(source)
    return widget_cells, grade_cells, chance, points


def kernel(code: str, folder: Path) -> str:
    """Run ``code`` after the driver in a new real ipykernel; return what it wrote to the file
    ``RESULT`` (a file, not printed output: the widgets' thousands of messages to a front end
    that is not there can crowd printed output off the kernel's message channel)."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(DRIVER), nbformat.v4.new_code_cell(code)]
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return (folder / "result.json").read_text(encoding="utf-8")


def _play(
    folder: Path, form: Path, strategy: str, *, plain: bool, key_first: bool
) -> tuple[float, float, float]:
    """(mean share earned by the strategy, chance share, spread of the trainees' shares)."""
    folder.mkdir(parents=True, exist_ok=True)
    widget_cells, grade_cells, chance, points = _form(form, key_first)
    identities = [f"trainee-{i:03d}" for i in range(TRAINEES)]
    scores = json.loads(
        kernel(
            f"IDENTITY = {SHUFFLE_IDENTITY_VARIABLE!r}; KINDS = {sorted(KINDS)!r}; "
            f"BASE = {str(folder)!r}\n"
            f"result = play({widget_cells!r}, {grade_cells!r}, {identities!r}, "
            f"{strategy!r}, {plain!r})\n"
            f"open(os.path.join(BASE, 'result.json'), 'w').write(json.dumps(result))",
            folder,
        )
    )
    shares = [sum(s.values()) / points for s in scores.values()]
    assert len(shares) == TRAINEES and all(len(s) == len(grade_cells) for s in scores.values())
    return statistics.mean(shares), chance / points, statistics.pstdev(shares)


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("strategy", ["first", "longest"])
def test_a_test_wise_strategy_scores_near_chance(
    tmp_path: Path, repo_root: Path, form: str, strategy: str
) -> None:
    mean, chance, spread = _play(
        tmp_path, repo_root / "source" / FORMS[form], strategy, plain=False, key_first=False
    )
    print(f"{form} {strategy}: mean {mean:.3f}, chance {chance:.3f}, sd {spread:.3f}")
    assert abs(mean - chance) <= BAND, (mean, chance)


def test_the_control_shows_the_cue_shuffling_removes(tmp_path: Path, repo_root: Path) -> None:
    form = repo_root / "source" / FORMS["posttest"]
    cued, chance, _ = _play(tmp_path / "plain", form, "first", plain=True, key_first=True)
    shuffled, _, _ = _play(tmp_path / "shuffled", form, "first", plain=False, key_first=True)
    print(f"key written first: unshuffled {cued:.3f}, shuffled {shuffled:.3f}, chance {chance:.3f}")
    assert cued >= 0.9
    assert abs(shuffled - chance) <= BAND
