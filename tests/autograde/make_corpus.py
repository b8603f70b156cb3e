"""Write the adversarial corpus (run once; the output is committed): ``python make_corpus.py``.

Each ``corpus/<behaviour>.ipynb`` holds the hostile cells a trainee adds to an otherwise ordinary
submission of 01_legal_foundations, and in ``metadata.cttk_corpus`` where they go, which structural
change is made to the notebook or its files (``mutation``), the base answers (``base``) and the
expected outcome (``expect``): the status, grade cells that must score 0 or full marks, and a
phrase the recorded reason or findings must contain. ``corrupt_notebook.ipynb`` is deliberately
not valid JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent / "corpus"
WIDGET_TESTS = [f"s{i}_test" for i in range(1, 7)]
ALL_TESTS = [*WIDGET_TESTS, "meets_definition_test", "minor_rule_test"]

CASES: dict[str, dict] = {
    "infinite_loop": dict(
        adversarial=1,
        base="right",
        after="load_cases",
        cells=["while True:\n    pass"],
        expect=dict(status="graded", full=ALL_TESTS, output="CellTimeoutError"),
    ),
    "sleep_forever": dict(
        adversarial=1,
        base="right",
        after="load_cases",
        cells=["import time\ntime.sleep(10**6)"],
        expect=dict(status="graded", full=ALL_TESTS, output="CellTimeoutError"),
    ),
    "ignores_interrupt": dict(
        adversarial=1,
        base="right",
        after="s3_test",
        cells=[
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
        ],
        expect=dict(
            status="graded",
            full=["s1_test", "s2_test", "s3_test"],
            zero=["s4_test", "s5_test", "s6_test", "meets_definition_test"],
            finding="did not stop when interrupted",
        ),
    ),
    "memory_bomb": dict(
        adversarial=2,
        base="right",
        after="load_cases",
        cells=["blocks = []\nwhile True:\n    blocks.append(bytearray(50 * 2**20))"],
        # stopped by the memory limit, or by the cell timeout where first-touching pages is slow
        # (a cold virtual machine): either way that cell alone fails and the tests still pass
        expect=dict(status="graded", full=ALL_TESTS, output="MemoryError|CellTimeoutError"),
    ),
    "os_exit": dict(
        adversarial=5,
        base="right",
        after="s2_test",
        cells=["import os\nos._exit(0)"],
        expect=dict(
            status="graded",
            full=["s1_test", "s2_test"],
            zero=["s3_test", "s6_test", "meets_definition_test", "minor_rule_test"],
            finding="kernel died at cell",
        ),
    ),
    "sys_exit": dict(
        adversarial=5,
        base="right",
        after="s2_test",
        cells=["import sys\nsys.exit(0)", "raise SystemExit(3)", "raise KeyboardInterrupt"],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
    "fork_bomb": dict(
        adversarial=3,
        base="right",
        after="load_cases",
        cells=[
            "import os, time\nkids = 0\nfor _ in range(5000):\n    try:\n        pid = os.fork()\n"
            "    except OSError:\n        break\n    if pid == 0:\n        time.sleep(3600)\n        os._exit(0)\n"
            "    kids += 1\nprint('forked', kids)"
        ],
        expect=dict(status="graded", no_survivors=True),
    ),
    "background_processes": dict(
        adversarial=3,
        base="right",
        after="load_cases",
        cells=[
            "import subprocess, threading, atexit, time\n"
            "subprocess.Popen(['sleep', '3600'], start_new_session=True)\n"
            "threading.Thread(target=time.sleep, args=(3600,), daemon=False).start()\n"
            "atexit.register(time.sleep, 3600)"
        ],
        expect=dict(status="graded", full=ALL_TESTS, no_survivors=True),
    ),
    "print_flood": dict(
        adversarial=4,
        base="right",
        after="load_cases",
        # 200 MB of output, far above the cap; a 2 GB flood also exhausted the kernel's own
        # memory limit on a busy machine (its output buffer), which costs the trainee the later
        # cells but says nothing about the cap
        cells=[
            "import sys\nfor _ in range(20_000):\n    print('x' * 10_000)",
            "from IPython.display import HTML, display\ndisplay(HTML('<b>' * 3_000_000))",
        ],
        expect=dict(
            status="graded", full=ALL_TESTS, output="output capped by cttk", max_bytes=3_000_000
        ),
    ),
    "input_transformer": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=["get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    "showtraceback_disabled": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "ip = get_ipython()\nip.showtraceback = lambda *a, **k: None\nip._showtraceback = lambda *a, **k: None"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    "swallowing_run_cell": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "import IPython.core.interactiveshell as _s\n_orig = _s.InteractiveShell.run_cell\n"
            "def _quiet(self, raw_cell, *a, **k):\n    r = _orig(self, raw_cell, *a, **k)\n"
            "    r.error_in_exec = None\n    return r\n_s.InteractiveShell.run_cell = _quiet"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    "pre_run_cell_hook": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "import toolkit.exercises.grading as g\ndef _hook(info):\n    g.total = lambda *s: 2.0\nget_ipython().events.register('pre_run_cell', _hook)"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    "settrace": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=["import sys\nsys.settrace(lambda *a: None)"],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    # The graders live in their kinds' modules; grade_choice and grade_checklist look up their
    # scoring rules there when they run, so these patches would give full marks if not caught.
    "monkeypatched_grading": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "import toolkit.exercises.kinds.checklist as checklist\n"
            "import toolkit.exercises.kinds.choice as choice\n"
            "choice.choice_score = lambda choice, correct, points: float(points)\n"
            "checklist.checklist_score = lambda selected, correct, points: float(points)"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    # Notebooks import the graders through the registry of exercise kinds: swap its entries ...
    "swapped_registry_entry": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "import dataclasses\nfrom toolkit.exercises import registry\n"
            "for name, kind in list(registry.KINDS.items()):\n"
            "    def fake(exercise, *, points=1, **key):\n        return float(points)\n"
            "    fake.__name__ = kind.grader_name\n"
            "    registry._KINDS[name] = dataclasses.replace(kind, grader=fake)"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    # ... or change the (frozen) kind records in place.
    "patched_kind_record": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "from toolkit.exercises import registry\n"
            "for kind in registry.KINDS.values():\n"
            "    def fake(exercise, *, points=1, **key):\n        return float(points)\n"
            "    fake.__name__ = kind.grader_name\n"
            "    object.__setattr__(kind, 'grader', fake)"
        ],
        expect=dict(status="graded", zero=ALL_TESTS, finding="did not run as written"),
    ),
    "monkeypatched_pandas": dict(
        adversarial=6,
        base="wrong",
        after="load_cases",
        cells=["pd.Series.tolist = lambda self: []"],
        expect=dict(
            status="graded",
            zero=["meets_definition_test", "minor_rule_test"],
            finding="did not run as written",
        ),
    ),
    "patched_builtins": dict(
        adversarial=6,
        base="wrong",
        after="setup",
        cells=[
            "import builtins\nbuiltins.isinstance = lambda *a: True\nbuiltins.len = lambda x: 40"
        ],
        expect=dict(status="graded", zero=ALL_TESTS),
    ),
    "edited_locked_cell": dict(
        adversarial=7,
        base="wrong",
        mutation="edit_locked",
        cells=[],
        expect=dict(status="graded", zero=["meets_definition_test", "minor_rule_test"]),
    ),
    "deleted_test_cell": dict(
        adversarial=7,
        base="right",
        mutation="delete_test",
        cells=[],
        expect=dict(status="graded", unscored=["minor_rule_test"], full=["meets_definition_test"]),
    ),
    "changed_points": dict(
        adversarial=7,
        base="right",
        mutation="change_points",
        cells=[],
        expect=dict(status="graded", full=ALL_TESTS, max_score={"s1_test": 2.0}),
    ),
    "changed_cell_type": dict(
        adversarial=7,
        base="right",
        mutation="change_cell_type",
        cells=[],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
    "duplicated_grade_id": dict(
        adversarial=7,
        base="wrong",
        mutation="duplicate_grade_id",
        cells=[],
        expect=dict(status="failed", finding="metadata format"),
    ),
    "missing_grade_id": dict(
        adversarial=7,
        base="right",
        mutation="missing_grade_id",
        cells=[],
        expect=dict(status="failed", finding="grade_id"),
    ),
    # The isolation cases name the real course by absolute path (@COURSE@, @ESCAPE@, @PORT@ are
    # filled in when the case is built): tests/autograde/test_corpus.py runs them once without
    # isolation, where each effect must happen, and requires that it does not with it.
    "reads_secrets": dict(
        adversarial=8,
        base="right",
        after="load_cases",
        cells=[
            "import os, glob\nfound = []\n"
            "for pattern in ['@COURSE@/source/*/*.ipynb', '@COURSE@/gradebook.db',\n"
            "                '@COURSE@/submitted/*/*/cttk_responses.json', '/etc/shadow',\n"
            "                '../../../source/*/*.ipynb', '../../../gradebook.db']:\n"
            "    for p in glob.glob(pattern):\n        try:\n            data = open(p, 'rb').read()\n"
            "        except Exception as e:\n            found.append(p + ': ' + type(e).__name__)\n            continue\n"
            "        found.append(p + ': ' + data[:6].hex())\n"
            "        if b'BEGIN HIDDEN TESTS' in data:\n            found.append('ANSWER-' + 'KEYS-READ')\n"
            "print('FOUND', found)\n"
            "for pid in sorted({os.getppid(), 1}):\n"
            "    try:\n        print('PARENT ENV', open(f'/proc/{pid}/environ', 'rb').read().hex())\n"
            "    except Exception as e:\n        print('NO PARENT ENV', type(e).__name__)\n"
            "print('ENV', sorted(os.environ))\nprint('SECRET', os.environ.get('CTTK_TEST_SECRET'))"
        ],
        expect=dict(
            status="graded",
            full=ALL_TESTS,
            # answer keys, the gradebook's header ("SQLite" in hex), the secret (in hex, from a
            # parent's environment, or plain)
            output_absent=[
                "ANSWER-KEYS-READ",
                "53514c697465",
                "7333637233742d76616c7565",
                "s3cr3t-value",
            ],
        ),
    ),
    "writes_outside": dict(
        adversarial=9,
        base="right",
        after="load_cases",
        cells=[
            "import os\nfor p in ['@COURSE@/PWNED', '@COURSE@/source/PWNED',\n"
            "          '@COURSE@/submitted/base-right/01_legal_foundations/PWNED', '@ESCAPE@']:\n"
            "    try:\n        with open(p, 'a') as fh:\n            fh.write('pwned')\n        print('WROTE', p)\n"
            "    except Exception as e:\n        print('BLOCKED', p, type(e).__name__)\n"
            "open('cttk_results.json', 'w').write('{\"score\": 100}')"
        ],
        expect=dict(status="graded", full=ALL_TESTS, untouched=True),
    ),
    "bad_response_file": dict(
        adversarial=9,
        base="right",
        mutation="corrupt_responses",
        cells=[],
        expect=dict(status="graded", zero=WIDGET_TESTS, full=["meets_definition_test"]),
    ),
    "huge_response_file": dict(
        adversarial=9,
        base="right",
        mutation="huge_responses",
        cells=[],
        expect=dict(status="graded", zero=WIDGET_TESTS, full=["meets_definition_test"]),
    ),
    "wrong_type_responses": dict(
        adversarial=9,
        base="right",
        mutation="wrong_type_responses",
        cells=[],
        expect=dict(status="graded", zero=WIDGET_TESTS, full=["meets_definition_test"]),
    ),
    "network": dict(
        adversarial=10,
        base="right",
        after="load_cases",
        cells=[
            "import socket\nfor host, port in [('127.0.0.1', @PORT@), ('1.1.1.1', 53)]:\n"
            "    try:\n        socket.create_connection((host, port), timeout=2).close()\n        print('CONNECTED', host)\n"
            "    except OSError as e:\n        print('NO NETWORK', host, type(e).__name__)"
        ],
        expect=dict(status="graded", full=ALL_TESTS, output_absent=["CONNECTED"]),
    ),
    "scripts_in_output": dict(
        adversarial=11,
        base="right",
        after="load_cases",
        cells=[
            "from IPython.display import HTML, Javascript, SVG, display\n"
            "display(HTML('<script>alert(1)</script><img src=x onerror=alert(2)>'))\n"
            "display(Javascript('alert(3)'))\n"
            "display(SVG('<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(4)</script></svg>'))"
        ],
        markdown=["<script>alert(5)</script>\n![secret](../../../gradebook.db)"],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
    "corrupt_notebook": dict(
        adversarial=12,
        base="right",
        mutation="corrupt_json",
        cells=[],
        expect=dict(status="failed", finding=""),
    ),
    "wrong_nbformat": dict(
        adversarial=12,
        base="right",
        mutation="nbformat_99",
        cells=[],
        expect=dict(status="failed", finding=""),
    ),
    "huge_notebook": dict(
        adversarial=12,
        base="right",
        mutation="huge_notebook",
        cells=[],
        expect=dict(status="failed", finding="too large"),
    ),
    "foreign_kernelspec": dict(
        adversarial=12,
        base="right",
        mutation="foreign_kernelspec",
        cells=[],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
    "stdin_and_debugger": dict(
        adversarial=13,
        base="right",
        after="load_cases",
        cells=[
            "name = input('name? ')",
            "import getpass\ngetpass.getpass()",
            "%debug",
            "1/0",
            "%debug",
        ],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
    # Gaming the widget score (adversarial 14): each case earns widget marks with the protections
    # off (tests/autograde/test_corpus.py proves it) and none with them on.
    "shadow_package": dict(
        adversarial=14,
        base="wrong",
        mutation="shadow_package",  # a toolkit/ folder beside the notebook, no notebook change
        cells=[],
        expect=dict(status="failed", finding="toolkit/__init__.py is Python code"),
    ),
    "code_swap": dict(
        adversarial=14,
        base="wrong",
        after="setup",
        cells=[
            "from toolkit.exercises import registry\n"
            "def _full(exercise, *, points=1, **key):\n    return float(points)\n"
            "for _kind in registry.KINDS.values():\n"
            "    _kind.grader.__code__ = _full.__code__\n"
            "    _kind.score.__code__ = (lambda *a, **k: float(a[-1] if a else k['points'])).__code__"
        ],
        expect=dict(status="graded", zero=WIDGET_TESTS),
    ),
    "audit_hook": dict(
        adversarial=14,
        base="wrong",
        after="setup",
        cells=[
            "import json, os, re, sys\n"
            "_store = os.path.join(os.getcwd(), 'cttk_responses.json')\n"
            "def _rewrite(event, args):\n"
            "    if event != 'compile' or not args or not isinstance(args[0], (str, bytes)):\n"
            "        return\n"
            "    src = args[0].decode() if isinstance(args[0], bytes) else args[0]\n"
            '    found = re.findall(r\'grade_(choice|checklist)\\(\\s*"([^"]+)",\\s*correct=("[^"]*"|\\[[^\\]]*\\])\', src)\n'
            "    if not found:\n"
            "        return\n"
            "    data = json.load(open(_store))\n"
            "    for kind, exercise, key in found:\n"
            "        key = eval(key)\n"
            "        value = {'choice': key, 'why': ''} if kind == 'choice' else {'selected': key}\n"
            "        data['exercises'][exercise].update(kind=kind, value=value)\n"
            "    json.dump(data, open(_store, 'w'))\n"
            "sys.addaudithook(_rewrite)"
        ],
        expect=dict(status="graded", zero=WIDGET_TESTS),
    ),
    "symlink_other_trainee": dict(
        adversarial=14,
        base="wrong",
        mutation="symlink_absolute",  # the response file: a link to another trainee's
        cells=[],
        expect=dict(status="failed", finding="cttk_responses.json is a symbolic link"),
    ),
    "symlink_relative": dict(
        adversarial=14,
        base="wrong",
        mutation="symlink_relative",  # ../../base-right/01_legal_foundations/cttk_responses.json
        cells=[],
        expect=dict(status="failed", finding="cttk_responses.json is a symbolic link"),
    ),
    "symlink_to_gradebook": dict(
        adversarial=8,
        base="wrong",
        mutation="symlink_gradebook",  # notes.txt -> ../../../gradebook.db
        cells=[],
        expect=dict(status="failed", finding="notes.txt is a symbolic link"),
    ),
    "benign_imports": dict(
        adversarial=15,
        base="right",
        after="load_cases",
        # one import per cell: each is slow to load on a busy machine
        cells=[
            "import jsonschema",
            "import scipy.stats",
            "from tqdm.auto import tqdm\ntqdm.pandas()\ncases.head(3).progress_apply(len, axis=1)",
            "try:\n    import seaborn\nexcept ImportError:\n    pass",
        ],
        expect=dict(status="graded", full=ALL_TESTS, no_findings=True),
    ),
    "javascript_links": dict(
        adversarial=11,
        base="right",
        after="load_cases",
        cells=[],
        markdown=[
            "[a](javascript:alert(1)) [b](JAVASCRIPT:alert(2)) [c](&#106;avascript:alert(3)) "
            "[d][ref] ![t](https://tracker.example/pixel.gif) [e](data:text/html,hi)\n\n"
            "[ref]: javascript:alert(4)"
        ],
        expect=dict(status="graded", full=ALL_TESTS),
    ),
}


def main() -> None:
    HERE.mkdir(exist_ok=True)
    for name, case in CASES.items():
        cells = [
            {
                "cell_type": "code",
                "metadata": {},
                "source": src,
                "outputs": [],
                "execution_count": None,
            }
            for src in case["cells"]
        ] + [
            {"cell_type": "markdown", "metadata": {}, "source": src}
            for src in case.get("markdown", [])
        ]
        meta = {k: v for k, v in case.items() if k not in ("cells", "markdown")}
        nb = {"cells": cells, "metadata": {"cttk_corpus": meta}, "nbformat": 4, "nbformat_minor": 5}
        text = json.dumps(nb, indent=1) + "\n"
        if case.get("mutation") == "corrupt_json":
            text = text[: len(text) // 2]
        (HERE / f"{name}.ipynb").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
