"""Did a grade cell run as written? Checks that do not take the trainee's kernel at its word.

nbgrader scores a grade cell from its outputs: no error and no stderr is full marks. Trainee code
runs in the same process as the tests, so it can neuter them (an input transformer that turns
every line into ``pass``, a ``pre_run_cell`` hook, ``sys.settrace``, a replaced ``showtraceback``
or ``run_cell``, monkeypatched grading helpers or builtins). cttk combines three
checks; a grade cell that fails any of them gets an error output, so nbgrader scores it 0, and
the reason is recorded:

1. **Canary.** Right before each grade cell the client sends a probe with a fresh random nonce
   (drawn by the grading process, unknown to the submission until that moment) and requires the
   nonce back. Code that stops the kernel running what it is sent (transformers, replaced
   ``run_cell``, swallowed output) loses the canary.
2. **Fingerprint.** The same probe reports the identity (for functions also that of their code
   and defaults, so a swapped ``__code__`` is seen) of everything a test relies on: builtins,
   the shell's execution methods and transformer lists, event callbacks, trace/profile hooks,
   import hooks, the functions of the modules the grading helpers live in and are imported from
   (:func:`fingerprinted_modules`: ``toolkit.exercises``, its shared grading, store and registry
   modules and the module of every registered kind) and of ``json``, every registered exercise
   kind (so a grader swapped in the registry is seen), and the methods of the pandas classes the
   tests use. The first probe runs before any notebook cell; a later probe that differs means the
   machinery was modified, except for an import finder or hook added after the existing ones and
   a new class attribute that shadows nothing (what ``import jsonschema`` and ``tqdm.pandas()``
   do). The first probe also reports the file of each fingerprinted module: the client stops a
   kernel whose ``toolkit`` is not the grader's installed copy (:func:`foreign_modules`).
3. **Expected result, checked outside the kernel.** A grade cell whose last line is a call to a
   scoring function (:func:`scoring_functions`: ``total`` and every registered kind's grader and
   scoring rule) must produce a numeric result; no result and no error means it did not run as
   written. This is decided from the cell's source (restored by nbgrader
   from the gradebook, so it is the instructor's) and the messages received, not by the kernel.

This raises the bar from "any trick works" to "a submission written against cttk's probe in
particular"; a kernel that runs hostile code cannot be made fully trustworthy from inside. The
probes run with ``store_history=False`` and in a private namespace, so they leave no trace in the
trainee's variables or execution counts.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import secrets
from dataclasses import dataclass

from toolkit.exercises import registry

PROBE_TAG = "CTTK-PROBE"
_APPEND_ONLY = frozenset({"meta_path", "path_hooks"})
_VOLATILE_BUILTINS = frozenset({"_", "__", "___", "input", "raw_input", "_ih", "_oh", "_dh"})

# Runs inside the kernel, in a fresh namespace; its inputs are the names starting with ``__``.
_PROBE_BODY = r"""
import sys, builtins, json as _json_mod
def _ident(v):
    f = getattr(v, "__func__", v)
    return [id(v), id(getattr(f, "__code__", None)), id(getattr(f, "__defaults__", None)), id(getattr(f, "__kwdefaults__", None))]
def _ids(obj):
    return {k: _ident(v) for k, v in vars(obj).items() if callable(v) or isinstance(v, (staticmethod, classmethod, property))}
def _file(m):
    f = getattr(m, "__file__", None)
    return None if f is None else __import__("os").path.realpath(f)
_ip = sys.modules["IPython"].get_ipython()
_allowed = set()
_mpl = sys.modules.get("matplotlib_inline.backend_inline")
if _mpl is not None:
    _allowed |= {id(getattr(_mpl, n)) for n in ("flush_figures", "configure_once") if hasattr(_mpl, n)}
_out = {"nonce": __nonce}
_out["builtins"] = {k: id(v) for k, v in vars(builtins).items() if k not in __volatile}
_tm = _ip.input_transformer_manager
_out["lists"] = {
    "input_transformers_cleanup": [id(x) for x in _ip.input_transformers_cleanup],
    "input_transformers_post": [id(x) for x in _ip.input_transformers_post],
    "ast_transformers": [id(x) for x in _ip.ast_transformers],
    "tm.cleanup": [id(x) for x in _tm.cleanup_transforms],
    "tm.line": [id(x) for x in _tm.line_transforms],
    "tm.token": [id(x) for x in _tm.token_transformers],
    "meta_path": [id(x) for x in sys.meta_path],
    "path_hooks": [id(x) for x in sys.path_hooks],
    "custom_exceptions": [id(x) for x in _ip.custom_exceptions],
}
for _ev, _cbs in _ip.events.callbacks.items():
    _out["lists"]["events." + _ev] = [id(c) for c in _cbs if id(c) not in _allowed and id(getattr(c, "__func__", c)) not in _allowed]
_out["hooks"] = {
    "settrace": id(sys.gettrace()), "setprofile": id(sys.getprofile()),
    "threading.trace": id(getattr(sys.modules["threading"], "_trace_hook", None)),
    "threading.profile": id(getattr(sys.modules["threading"], "_profile_hook", None)),
    "shell": id(_ip), "tm": id(_tm), "displayhook": id(sys.displayhook),
    "shell.displayhook": id(_ip.displayhook), "stdout": id(sys.stdout), "stderr": id(sys.stderr),
}
_out["shell_overrides"] = sorted(k for k, v in vars(_ip).items() if callable(v) and hasattr(type(_ip), k))
_out["objects"] = {}
_out["names"] = {}
_out["files"] = {}
for _cls in type(_ip).__mro__:
    _out["objects"]["shell:" + _cls.__qualname__] = _ids(_cls)
    _out["names"]["shell:" + _cls.__qualname__] = sorted(dir(_cls))
for _name in __modules:
    _m = sys.modules.get(_name)
    if _m is not None:
        _out["objects"]["module:" + _name] = dict(_ids(_m), __module_id__=[id(_m)])
        _out["files"][_name] = _file(_m)
_reg = sys.modules.get(__registry[0])
if _reg is not None:
    _kinds = getattr(_reg, __registry[1])
    _out["objects"]["registry"] = {_k: id(_v) for _k, _v in _kinds.items()}
    for _k, _v in _kinds.items():
        _out["objects"]["kind:" + _k] = _ids(_v)
_pd = sys.modules.get("pandas")
if _pd is not None:
    for _cls in ("Series", "DataFrame", "Index"):
        _out["objects"]["pandas." + _cls] = _ids(getattr(_pd, _cls))
        _out["names"]["pandas." + _cls] = sorted(dir(getattr(_pd, _cls)))
print(__tag + " " + _json_mod.dumps(_out, separators=(",", ":")))
"""

# Before anything else runs: load what the tests use, so that its identity is known from the start.
_BASELINE_PRELUDE = r"""
import importlib
for _name in [*__modules, "pandas"]:
    try:
        importlib.import_module(_name)
    except Exception:
        pass
"""


def new_nonce() -> str:
    """A nonce the submission cannot predict."""
    return secrets.token_hex(16)


def scoring_functions() -> frozenset[str]:
    """Names of the functions whose call, as a grade cell's last line, must produce a score:
    ``total`` and every registered kind's grader and pure scoring rule."""
    names = {"total"}
    for kind in registry.KINDS.values():
        names |= {kind.grader_name, kind.score.__name__}
    return frozenset(names)


def fingerprinted_modules() -> list[str]:
    """The modules whose functions the probe fingerprints: where the grading helpers are
    imported from (``toolkit.exercises``), what they share (grading, store), where they are
    looked up (the registry), where each registered kind's grader lives, and ``json``."""
    shared = ["toolkit.exercises", "toolkit.exercises.grading", "toolkit.exercises.store"]
    kinds = sorted({kind.grader.__module__ for kind in registry.KINDS.values()})
    return [*shared, registry.__name__, *kinds, "json"]


def probe_code(nonce: str, *, baseline: bool = False) -> str:
    """The one statement sent to the kernel: run the probe in a private namespace."""
    body = (_BASELINE_PRELUDE if baseline else "") + _PROBE_BODY
    inputs = {
        "__nonce": nonce,
        "__tag": PROBE_TAG,
        "__volatile": sorted(_VOLATILE_BUILTINS),
        "__modules": fingerprinted_modules(),
        "__registry": [registry.__name__, "KINDS"],
    }
    return f"exec({body!r}, {inputs!r})"


@dataclass(frozen=True)
class Fingerprint:
    """What one probe reported."""

    data: dict[str, object]


def read_probe(outputs: list[dict[str, object]], nonce: str) -> Fingerprint | str:
    """The fingerprint in a probe's outputs, or why there is none (lost canary, error)."""
    text = "".join(
        str(o.get("text", ""))
        for o in outputs
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )
    errors = [o for o in outputs if o.get("output_type") == "error"]
    for line in text.splitlines():
        if line.startswith(PROBE_TAG + " "):
            try:
                data = json.loads(line[len(PROBE_TAG) + 1 :])
            except json.JSONDecodeError:
                return "the integrity probe's answer was garbled"
            if not isinstance(data, dict) or data.get("nonce") != nonce:
                return "the integrity probe answered with the wrong nonce (replayed or forged)"
            return Fingerprint(data)
    if errors:
        return f"the integrity probe failed in the kernel ({errors[0].get('ename', 'error')})"
    return "the integrity probe did not run as sent (code sent to the kernel is being altered or its output hidden)"


def compare(baseline: Fingerprint, now: Fingerprint) -> list[str]:
    """What changed since the baseline (names only); empty when nothing a test relies on did."""
    changes: list[str] = []
    b, n = baseline.data, now.data
    for name, value in dict(b.get("builtins", {})).items():  # type: ignore[call-overload]
        if dict(n.get("builtins", {})).get(name) != value:  # type: ignore[call-overload]
            changes.append(f"builtin {name}")
    for section in ("lists", "hooks"):
        old, new = dict(b.get(section, {})), dict(n.get(section, {}))  # type: ignore[call-overload]
        for key in sorted(set(old) | set(new)):
            before, after = old.get(key, []), new.get(key, [])
            if key in _APPEND_ONLY and after[: len(before)] == before:
                continue  # a finder or hook added last cannot shadow what the tests use
            if before != after:
                changes.append(f"{section[:-1]} {key}")
    if n.get("shell_overrides") != b.get("shell_overrides"):
        changes.append("shell method replaced on the instance")
    old_objects = dict(b.get("objects", {}))  # type: ignore[call-overload]
    new_objects = dict(n.get("objects", {}))  # type: ignore[call-overload]
    names = dict(b.get("names", {}))  # type: ignore[call-overload]
    for obj, members in old_objects.items():
        current = new_objects.get(obj, {})
        for member in sorted(set(members) | set(current)):
            if member not in members and obj in names and member not in names[obj]:
                continue  # a new name on a class (tqdm's progress_apply) shadows nothing
            if current.get(member) != members.get(member):
                changes.append(f"{obj}.{member}")
    return changes


def foreign_modules(fingerprint: Fingerprint) -> list[str]:
    """The fingerprinted modules that the kernel loaded from another file than the grader's own
    installed copy (a ``toolkit`` folder handed in beside the notebook, say), as ``name (path)``."""
    seen = dict(fingerprint.data.get("files", {}))  # type: ignore[call-overload]
    foreign = []
    for name in fingerprinted_modules():
        mine = getattr(importlib.import_module(name), "__file__", None)
        expected = os.path.realpath(mine) if mine else None
        if seen.get(name) != expected:
            foreign.append(f"{name} ({seen.get(name)})")
    return foreign


def expects_number(source: str) -> bool:
    """Whether a grade cell ends with a call to a scoring function (see :func:`scoring_functions`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return False
    call = tree.body[-1].value
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = (
        func.id
        if isinstance(func, ast.Name)
        else func.attr
        if isinstance(func, ast.Attribute)
        else ""
    )
    return name in scoring_functions()


def missing_result(source: str, outputs: list[dict[str, object]]) -> str | None:
    """A reason when a cell that must produce a score produced neither a result nor an error."""
    if not expects_number(source):
        return None
    kinds = {o.get("output_type") for o in outputs}
    if "error" in kinds or "execute_result" in kinds:
        return None
    if any(o.get("output_type") == "stream" and o.get("name") == "stderr" for o in outputs):
        return None
    return "the test cell produced no score although its last line computes one"
