"""Widget answers given in a real JupyterLab survive a reload and nbgrader autograde.

The released every-widget notebook is opened in headless Chromium; each widget kind is answered by
clicking and typing (the checklist and the ordering with the keyboard); the page is reloaded and the
kernel restarted, and the rebuilt widgets show the answers; then nbgrader autogrades the submission
and the gradebook holds the points the answers deserve.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.course import nbgrader_ops
from toolkit.exercises.shuffle import display_order
from toolkit.settings import RESPONSE_FILENAME

from .conftest import ASSIGNMENT, TRAINEE, Lab, chromium_path

pytestmark = pytest.mark.browser

NOTEBOOK = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
TIMEOUT_MS = 60_000
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What the answers below deserve, by the documented rules:
EXPECTED = {
    "choice_test": 1.0,  # "His safety" is right
    "checklist_test": 1.0,  # two hits, one false alarm, of two correct: (2 - 1) / 2 * 2
    "matching_test": 2.0,  # two of three pairs right: 2 / 3 * 3
    "ordering_test": 2.0,  # moved into the right order
    "roleplay_test": 0.0,  # the first completed attempt (the poor one) counts; the best is practice
}
INDICATORS = [
    "Employer holds identity documents",
    "A debt that keeps growing",
    "Works overtime now and then",
    "Lives at home with family",
]
TICKED = INDICATORS[:3]
PLAN = [
    "Secure the person's safety",
    "Refer the person to victim services",
    "Interview with an interpreter",
    "Open the joint investigation",
]
BEST_PATH = [
    "Introduce yourself and offer her water",
    "Ask to talk with her apart from the driver, with an interpreter",
]
POOR_PATH = [
    "Ask her for identity papers straight away",
    "Tell her she will be arrested if she does not answer",
]


@pytest.fixture
def page(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        yield page
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            print(f"screenshot of the failure: {tmp_path / 'failure.png'}")
        context.close()
        browser.close()


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 30) -> None:
    """Poll ``condition`` (a cheap file check) until it holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def saved(lab: Lab) -> dict[str, Any]:
    path = lab.root / ASSIGNMENT / RESPONSE_FILENAME
    try:
        return dict(json.loads(path.read_text())["exercises"])
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def value(lab: Lab, key: str) -> Any:
    return saved(lab).get(key, {}).get("value")


def wait_idle(page: Any) -> None:
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()


def wait_kernel_ready(page: Any) -> None:
    """Wait until the status bar reports the kernel idle (it is 'Unknown' while it starts):
    restarting a kernel that is still starting can leave it stuck on a slow machine."""
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for()


def ordering_on_screen(page: Any) -> tuple[list[str], list[str]]:
    """The ordering widget's rows as shown (labels without numbers) and its "Move up" titles."""
    labels = page.locator(".cttk-ordering .widget-label").all_inner_texts()
    titles = [
        b.get_attribute("title") or ""
        for b in page.locator('.cttk-ordering button[title^="Move up: "]').all()
    ]
    return (
        [re.sub(r"^\d+\. ", "", t) for t in labels if re.match(r"^\d+\. ", t)],
        [t.removeprefix("Move up: ") for t in titles],
    )


def move_up(page: Any, item: str, order: list[str]) -> None:
    """Press "Move up" on ``item`` with the keyboard and update ``order`` to match.

    Each move re-titles the buttons, so the next press must wait until the page shows the new
    order (labels and titles), or it would find a button still carrying the old title and move
    the wrong row. The key is pressed again only if the row did not move at all.
    """
    before = list(order)
    at = order.index(item)
    order[at - 1], order[at] = order[at], order[at - 1]
    for _attempt in range(3):
        page.locator(f'.cttk-ordering button[title="Move up: {item}"]').focus()
        page.keyboard.press("Enter")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if ordering_on_screen(page) == (order, order):
                return
            page.wait_for_timeout(100)
        if ordering_on_screen(page)[0] != before:
            break  # it moved, but not as expected: no second press
    raise AssertionError(f"the ordering did not show {order}: {ordering_on_screen(page)}")


def restart_and_run_all(page: Any) -> None:
    """Restart the kernel and run every cell (toolbar button, then the dialog's accept button);
    wait until the five widgets are shown and the kernel is idle again."""
    wait_kernel_ready(page)
    page.locator("jp-button[data-command='notebook:restart-run-all']").click()
    page.locator(".jp-Dialog .jp-mod-accept").click()
    page.locator(".jp-Dialog").wait_for(state="detached")
    page.locator(".cttk-exercise .cttk-status").nth(4).wait_for()
    wait_idle(page)


def test_answers_survive_reload_and_autograde(course: Path, lab: Lab, page: Any) -> None:
    started = time.monotonic()
    shutil.copytree(course / "release" / ASSIGNMENT, lab.root / ASSIGNMENT)
    page.goto(lab.notebook_url(NOTEBOOK))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    restart_and_run_all(page)

    # choice: click the option, type the reason, Enter commits it
    choice = page.locator(".cttk-choice")
    choice.get_by_role("radio", name="His safety").click()
    why = choice.get_by_role("textbox")
    why.fill("He cannot leave without his passport")
    why.press("Enter")
    wait_for(lambda: (value(lab, "fx.choice") or {}).get("why", "") != "", "the choice")

    # checklist: keyboard for the first box, mouse for the others
    checklist = page.locator(".cttk-checklist")
    checklist.get_by_role("checkbox", name="Employer holds identity documents").focus()
    page.keyboard.press("Space")
    checklist.get_by_role("checkbox", name="A debt that keeps growing").click()
    checklist.get_by_role("checkbox", name="Works overtime now and then").click()
    wait_for(lambda: len((value(lab, "fx.indicators") or {}).get("selected", [])) == 3, "ticks")

    # matching: the dropdowns are labelled by the need they match
    matching = page.locator(".cttk-matching")
    for need, service in [
        ("A safe place to sleep", "Shelter"),
        ("Medical care", "Clinic"),
        ("Advice on legal rights", "Shelter"),
    ]:
        matching.get_by_label(need).select_option(service)
    wait_for(lambda: len((value(lab, "fx.needs") or {}).get("pairs", {})) == 3, "the pairs")

    # ordering: it starts in the trainee's own order; Tab to "Move up" buttons and press Enter
    order = ordering_on_screen(page)[0]
    assert sorted(order) == sorted(PLAN) and order != PLAN
    for row, item in enumerate(PLAN):
        while order.index(item) > row:
            move_up(page, item, order)
            wait_for(
                lambda o=list(order): (value(lab, "fx.plan") or {}).get("order") == o, "a move"
            )
    if value(lab, "fx.plan") is None:  # already in order: save it as shown
        page.locator(".cttk-ordering button", has_text="Save this order").click()
    wait_for(lambda: (value(lab, "fx.plan") or {}).get("order") == PLAN, "the order")

    # role-play: a poor first attempt (graded), then the best path as practice
    roleplay = page.locator(".cttk-roleplay")
    for label in POOR_PATH:
        roleplay.get_by_role("button", name=label).click()
    roleplay.get_by_text("The chance to identify her needs is lost for now").wait_for()
    roleplay.get_by_role("button", name="Practise again").click()
    for label in BEST_PATH:
        roleplay.get_by_role("button", name=label).click()
    wait_for(
        lambda: (
            len((value(lab, "fx.contact") or {}).get("attempts", [])) == 2
            and value(lab, "fx.contact")["attempts"][-1]["completed"]
        ),
        "the role-play",
    )
    assert page.locator(".cttk-status-saved").count() == 5

    # reload the page, restart the kernel and run everything again: the answers come back
    page.reload()
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for()
    restart_and_run_all(page)
    page.locator(".cttk-status-saved").nth(4).wait_for()
    assert page.locator(".cttk-choice").get_by_role("radio", name="His safety").is_checked()
    assert page.locator(".cttk-choice").get_by_role("textbox").input_value().startswith("He cannot")
    checklist = page.locator(".cttk-checklist")
    shown = display_order(INDICATORS, "fx.indicators", TRAINEE)  # the trainee's own order
    assert checklist.locator(".widget-checkbox").all_inner_texts() == shown
    assert [b.is_checked() for b in checklist.get_by_role("checkbox").all()] == [
        o in TICKED for o in shown
    ]
    matching = page.locator(".cttk-matching")
    assert matching.get_by_label("Medical care").input_value() == "Clinic"
    ordering = page.locator(".cttk-ordering")
    ordering.get_by_text("1. Secure the person's safety", exact=True).wait_for()
    ordering.get_by_text("2. Refer the person to victim services", exact=True).wait_for()
    roleplay = page.locator(".cttk-roleplay")
    roleplay.get_by_text("She agrees to talk with a support worker present").wait_for()
    assert "Attempt 2" in roleplay.locator(".cttk-history").inner_text()

    # the trainee's folder is collected and nbgrader autogrades it in a fresh kernel
    submission = course / "submitted" / "trainee01" / ASSIGNMENT
    shutil.copytree(lab.root / ASSIGNMENT, submission)
    result = nbgrader_ops.api(course).autograde(ASSIGNMENT, "trainee01", force=True, create=True)
    assert result["success"], result.get("log")
    url = f"sqlite:///{course / 'gradebook.db'}"
    with nbgrader_ops.gradebook(url) as gb:
        scores = {
            grade_id: gb.find_grade(grade_id, ASSIGNMENT, ASSIGNMENT, "trainee01").score
            for grade_id in EXPECTED
        }
        total = gb.find_submission(ASSIGNMENT, "trainee01").score
    assert scores == EXPECTED
    assert total == sum(EXPECTED.values())
    print(f"browser test took {time.monotonic() - started:.1f} s")
