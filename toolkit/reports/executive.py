"""The executive summary: page one of every report, and the ``executive`` block of its
``summary.json``.

A report builds one block (a JSON-safe dict) from its disclosed evaluation and shows it with
:func:`show_executive`; :func:`summary_envelope` puts the same block into ``summary.json`` beside
``schema_version`` and ``generated_at``. The block is generic, so any report can have one:

``title``
    the report's title (also the HTML page's title);
``headline``
    sentences a director reads first (completion, pre -> post, gain, competencies, reaction);
``figures``
    key figures, each ``{"label", "value", "detail"}`` (value and detail are display text);
``competencies``
    ``{"target", "rows": [{"name", "rate", "ci_low", "ci_high", "n", "status"}]}`` drawn as a dot
    plot with intervals and the target line, or None;
``actions``
    the most important actions (``priority``, ``area``, ``action``, ``evidence``, ``status``);
``more_actions``
    how many further actions the report lists;
``reaction``
    the level-1 headline sentence, or None.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from toolkit.reports.render import figure_html, format_p, pct
from toolkit.reports.summary import num
from toolkit.settings import EXECUTIVE_ACTIONS, INTERVAL_LEVEL, SUMMARY_SCHEMA_VERSION

if TYPE_CHECKING:
    from toolkit.reports.evaluate_cohort import CohortEvaluation
    from toolkit.reports.evaluate_gaps import GapsEvaluation

AT_TARGET, UNCERTAIN, BELOW = "at target", "uncertain", "below target"
#: Page one shows at most this much of an action's evidence.
EVIDENCE_CHARS = 150


def summary_envelope(executive: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """``summary.json``: ``schema_version``, ``generated_at`` (UTC), ``executive``, then ``body``."""
    return {
        "schema_version": SUMMARY_SCHEMA_VERSION,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "executive": executive,
        **body,
    }


def competency_status(rate: Any, ci_high: Any, target: float) -> str | None:
    """At target (rate reaches it), uncertain (its interval reaches it) or below target."""
    if num(rate) is None:
        return None
    if float(rate) >= target:
        return AT_TARGET
    return UNCERTAIN if num(ci_high) is not None and float(ci_high) >= target else BELOW


def competency_rows(mastery: pd.DataFrame, target: float) -> list[dict[str, Any]]:
    """Dot-plot rows of a (disclosed) mastery table: competency, rate, interval, n, status."""
    return [
        {
            "name": str(r.competency),
            "rate": num(r.mastery_rate),
            "ci_low": num(r.ci_low),
            "ci_high": num(r.ci_high),
            "n": None if pd.isna(r.n) else int(r.n),
            "status": competency_status(r.mastery_rate, r.ci_high, target),
        }
        for r in mastery.itertuples(index=False)
    ]


def _count_sentence(rows: list[dict[str, Any]], target: float) -> str | None:
    shown = [r for r in rows if r["status"] is not None]
    if not shown:
        return None
    at = sum(r["status"] == AT_TARGET for r in shown)
    unsure = sum(r["status"] == UNCERTAIN for r in shown)
    text = f"{at} of {len(shown)} competencies at the target of {pct(target)} of trainees"
    if unsure:
        text += f"; {unsure} uncertain (below it, but the interval reaches it)"
    return text + "."


def top_actions(actions: pd.DataFrame, k: int = EXECUTIVE_ACTIONS) -> list[dict[str, Any]]:
    """The first ``k`` actions (by priority) as JSON-safe records."""
    return [
        {
            "priority": int(r.priority),
            "area": str(r.area),
            "action": str(r.action),
            "evidence": str(r.evidence),
            "status": str(getattr(r, "status", "act")),
        }
        for r in actions.head(k).itertuples(index=False)
    ]


#: Page one folds this many or more "strengthen the teaching" actions into one line.
FOLD_AT = 3


def page_one_actions(
    actions: pd.DataFrame, k: int = EXECUTIVE_ACTIONS
) -> tuple[list[dict[str, Any]], int]:
    """Page one's actions and how many more the report lists.

    Three or more clear competency actions of the same priority (near-identical lines) become
    one line naming how many and which comes first (the actions are sorted worst first), so that
    page one has room for the other kinds of action.
    """
    records = top_actions(actions, len(actions))
    fold = [
        i
        for i, a in enumerate(records)
        if a["priority"] == 1 and a["status"] == "act" and a["area"].startswith("competency ")
    ]
    if len(fold) >= FOLD_AT:
        names = [records[i]["area"].removeprefix("competency ") for i in fold]
        first = records[fold[0]]
        line = {
            "priority": 1,
            "area": "competencies",
            "action": (
                f"{len(fold)} competencies are clearly below target: start with {names[0]}, "
                f"then {', '.join(names[1:3])} (worst first; each has its own action in the "
                "report's full list). " + first["action"]
            ),
            "evidence": first["evidence"],
            "status": "act",
        }
        folded = set(fold)
        records = (
            [a for i, a in enumerate(records) if i < fold[0] and i not in folded]
            + [line]
            + [a for i, a in enumerate(records) if i > fold[0] and i not in folded]
        )
    shown = records[:k]
    covered = sum(
        len(fold) if a["area"] == "competencies" and len(fold) >= FOLD_AT else 1 for a in shown
    )
    return shown, max(0, len(actions) - covered)


def _reaction_sentence(ev: CohortEvaluation) -> str | None:
    if ev.reaction_response is None:
        return None
    resp = ev.reaction_response.frame.iloc[0]
    answered = num(resp["n_answered"])
    if answered is None:
        return "Reaction survey: figures suppressed (the cohort is below the threshold)."
    text = f"Reaction survey: {int(answered)} of {int(resp['n_invited'])} trainees answered"
    items = ev.reaction_items.frame if ev.reaction_items is not None else pd.DataFrame()
    general = items[(items["group"] != "confidence")].dropna(subset=["mean_score"])
    if len(general):
        text += (
            f"; the {len(general)} agreement questions averaged "
            f"{general['mean_score'].astype(float).mean():.1f} of 5 (5 = most favourable, "
            "reverse-worded questions turned round)"
        )
    conf = ev.reaction_confidence.frame if ev.reaction_confidence is not None else pd.DataFrame()
    conf = conf.dropna(subset=["mean_before", "mean_after"]) if len(conf) else conf
    if len(conf):
        before = conf["mean_before"].astype(float)
        after = conf["mean_after"].astype(float)
        word = "rose" if after.mean() > before.mean() else "did not rise"
        text += (
            f"; self-rated confidence {word} on average from {before.mean():.1f} to "
            f"{after.mean():.1f} of 5 (retrospective, {len(conf)} competencies)"
        )
        fell = conf[after.round(1) < before.round(1)]
        if len(fell):
            text += ", but fell for " + ", ".join(
                f"{r.competency} ({float(r.mean_before):.1f} -> {float(r.mean_after):.1f})"
                for r in fell.itertuples(index=False)
            )
    return text + "."


def cohort_executive(ev: CohortEvaluation) -> dict[str, Any]:
    """The executive block of a disclosed cohort evaluation."""
    headline: list[str] = []
    figures: list[dict[str, Any]] = []
    tests = ev.tests.frame.set_index("assignment")
    if ev.post in tests.index:
        n_post = int(tests.at[ev.post, "n"])
        headline.append(f"{n_post} of {ev.population} trainees completed the post-test.")
        figures.append(
            {"label": "completed", "value": f"{n_post} of {ev.population}", "detail": ev.post}
        )
    if ev.gain is not None:
        g = ev.gain.frame.iloc[0]
        if num(g.mean_pre_pct) is not None:
            ci = ""
            if num(g.change_ci_low) is not None:
                ci = (
                    f" (change {g.change:+.0f} points, {INTERVAL_LEVEL:.0%} CI "
                    f"{g.change_ci_low:+.0f} to {g.change_ci_high:+.0f})"
                )
            headline.append(
                f"Pre-test {g.mean_pre_pct:.0f}% → post-test {g.mean_post_pct:.0f}%{ci}, "
                f"{int(g.n_matched)} matched trainees."
            )
            figures.append(
                {
                    "label": "pre-test → post-test",
                    "value": f"{g.mean_pre_pct:.0f}% → {g.mean_post_pct:.0f}%",
                    "detail": ci.strip(" ()") or f"n = {int(g.n_matched)}",
                }
            )
        if num(g.hake_gain) is not None:
            extra = ""
            if num(g.cohen_dz) is not None:
                extra = f"; effect size d = {g.cohen_dz:.2f} ({g.effect_band})"
            if num(g.t_p) is not None:
                extra += f"; paired t-test {format_p(g.t_p)}"
            headline.append(f"Hake's gain g = {g.hake_gain:.2f} ({g.gain_band}){extra}.")
            figures.append(
                {"label": "Hake's gain", "value": f"{g.hake_gain:.2f}", "detail": str(g.gain_band)}
            )
    dots = None
    if ev.mastery is not None:
        rows = competency_rows(ev.mastery.frame, ev.target)
        dots = {"target": ev.target, "rows": rows}
        sentence = _count_sentence(rows, ev.target)
        if sentence:
            headline.append(sentence)
            at = sum(r["status"] == AT_TARGET for r in rows)
            figures.append(
                {
                    "label": "competencies at target",
                    "value": f"{at} of {sum(r['status'] is not None for r in rows)}",
                    "detail": f"target {pct(ev.target)}",
                }
            )
    react = _reaction_sentence(ev)
    if react:
        headline.append(react)
    shown, more = page_one_actions(ev.actions.frame)
    return {
        "title": f"Cohort evaluation report: {ev.cohort}",
        "headline": headline,
        "figures": figures,
        "competencies": dots,
        "actions": shown,
        "more_actions": more,
        "reaction": react,
    }


def gaps_executive(ev: GapsEvaluation) -> dict[str, Any]:
    """The executive block of a disclosed curriculum-gaps evaluation."""
    overview = ev.overview.frame
    total = overview.iloc[-1]
    headline = [
        f"{len(ev.cohorts)} cohorts ({', '.join(ev.cohorts)}); "
        + (f"{int(total['n'])} trainees in the cohorts shown." if num(total["n"]) else "")
    ]
    figures: list[dict[str, Any]] = [
        {"label": "cohorts", "value": str(len(ev.cohorts)), "detail": ", ".join(ev.cohorts)}
    ]
    dots = None
    if ev.performance is not None:
        perf = ev.performance.frame
        clear = int((perf["severity"] == "clear").sum())
        headline.append(
            f"{len(perf)} cohort-competency results below the target of {pct(ev.target)}: "
            f"{clear} clearly, {len(perf) - clear} uncertain (the interval reaches the target)."
        )
        figures.append(
            {
                "label": "cohort-competency results below target",
                "value": str(len(perf)),
                "detail": f"of which {clear} clearly and {len(perf) - clear} uncertain",
            }
        )
    if ev.mastery is not None:
        mastery = ev.mastery.frame.dropna(subset=["mastery_rate"])
        if len(mastery):
            latest = [c for c in ev.cohorts if c in set(mastery["cohort"])][-1]
            rows = competency_rows(mastery[mastery["cohort"] == latest], ev.target)
            dots = {"target": ev.target, "rows": rows, "cohort": latest}
            sentence = _count_sentence(rows, ev.target)
            if sentence:
                headline.append(f"Latest cohort ({latest}): {sentence}")
    drift = ev.drift.frame
    significant = int(drift["drift"].astype(bool).sum()) if len(drift) else 0
    headline.append(
        f"{significant} of {len(drift)} drift tests significant after adjustment."
        if len(drift)
        else "No drift test (fewer than two cohorts large enough)."
    )
    shown, more = page_one_actions(ev.actions.frame)
    return {
        "title": "Curriculum gaps across cohorts",
        "headline": headline,
        "figures": figures,
        "competencies": dots,
        "actions": shown,
        "more_actions": more,
        "reaction": None,
    }


def executive_html(block: dict[str, Any]) -> str:
    """Page one as escaped HTML: title, headline, key figures, the competency dot plot (alt text
    included), the top actions. Wrapped in ``div.cttk-executive`` (the print CSS ends the page
    after it)."""
    from toolkit.reports import plots

    esc = html.escape
    parts = [f'<div class="cttk-executive"><h1>{esc(block["title"])}</h1>']
    parts.append('<ul class="cttk-headline">')
    parts += [f"<li>{esc(s)}</li>" for s in block["headline"]]
    parts.append("</ul>")
    if block["figures"]:
        cells = "".join(
            f'<td><div class="cttk-figure-value">{esc(f["value"])}</div>'
            f'<div class="cttk-figure-label">{esc(f["label"])}</div>'
            f'<div class="cttk-figure-detail">{esc(f["detail"])}</div></td>'
            for f in block["figures"]
        )
        parts.append(f'<table class="cttk-figures"><tbody><tr>{cells}</tr></tbody></table>')
    dots = block.get("competencies")
    if dots and any(r["rate"] is not None for r in dots["rows"]):
        fig, alt = plots.competency_dots(dots["rows"], dots["target"], cohort=dots.get("cohort"))
        parts.append(figure_html(fig, alt))
    more = int(block["more_actions"])
    count = f" ({more} more in the full list of actions)" if more else ""
    parts.append(f"<h2>What to do next{count}</h2>")
    if block["actions"]:
        items = "".join(
            f"<li><strong>{esc(a['action'])}</strong> <small>Evidence: {esc(_short(a['evidence']))}."
            "</small></li>"
            for a in block["actions"]
        )
        parts.append(f"<ol>{items}</ol>")
    else:
        parts.append("<p>No gap found: nothing to change on this evidence.</p>")
    parts.append("</div>")
    return "".join(parts)


def _clauses(text: str) -> list[str]:
    """``text`` split at each "; " outside parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith("; ", i):
            parts.append(text[start:i])
            start = i + 2
    return [*parts, text[start:]]


def _short(text: str, limit: int = EVIDENCE_CHARS) -> str:
    """Evidence cut for page one (the report's action list and summary.json keep it whole):
    whole "; "-separated parts while they fit, then a pointer to the rest; a first part that
    is itself too long is cut at a word."""
    if len(text) <= limit:
        return text
    parts = _clauses(text)
    kept: list[str] = []
    for part in parts:
        if len("; ".join([*kept, part])) > limit:
            break
        kept.append(part)
    if kept:
        return "; ".join(kept) + " (more in the report's list of actions)"
    return text[: limit - 1].rsplit(" ", 1)[0] + " …"


def show_executive(block: dict[str, Any]) -> None:
    """Display :func:`executive_html` in a report notebook."""
    from IPython.display import HTML, display

    display(HTML(executive_html(block)))
