"""The report figures. Each takes disclosed frames (:attr:`toolkit.reports.disclose.Table.frame`)
and returns ``(Figure, alt text)`` (or None when there is nothing to draw), so a template only
displays them (:func:`toolkit.reports.render.show_figure`).

Figures are sized for an A4 page (at most :data:`WIDTH` inches wide), use the Okabe-Ito
colour-blind-safe palette, whole-number count axes, shared axes for small multiples, and say in
their alt text what they show. They are built as :class:`matplotlib.figure.Figure` objects,
without pyplot: importing this module selects no backend and registers no figure anywhere.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator, PercentFormatter

from toolkit.analysis.items import ItemFlags

#: Okabe and Ito's colour-blind-safe palette.
BLUE, ORANGE, GREEN, VERMILLION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, YELLOW, GREY = "#56B4E9", "#CC79A7", "#F0E442", "#7f7f7f"
#: A diverging five-step scale (most negative .. most positive) that stays readable in grey.
LIKERT = ("#b35806", "#f1a340", "#d9d9d9", "#998ec3", "#542788")
#: Widest figure, inches (fits A4 portrait with margins).
WIDTH = 7.0
Plot = tuple[Figure, str]


def _grid(n: int, cols: int = 4) -> tuple[int, int]:
    cols = min(cols, n)
    return math.ceil(n / cols), cols


def competency_dots(
    rows: list[dict[str, Any]], target: float, *, cohort: str | None = None
) -> Plot:
    """Mastery rate per competency as dots with their intervals and the target line (the
    executive summary's chart)."""
    shown = [r for r in rows if r["rate"] is not None]
    fig = Figure(figsize=(WIDTH, 0.75 + 0.18 * max(1, len(shown))))
    ax = fig.subplots()
    colours = {"at target": GREEN, "uncertain": ORANGE, "below target": VERMILLION}
    markers = {"at target": "o", "uncertain": "D", "below target": "s"}
    for y, r in enumerate(reversed(shown)):
        low = r["ci_low"] if r["ci_low"] is not None else r["rate"]
        high = r["ci_high"] if r["ci_high"] is not None else r["rate"]
        colour = colours.get(r["status"] or "", GREY)
        ax.plot([low, high], [y, y], color=colour, linewidth=1.6)
        marker = markers.get(r["status"] or "", "o")
        ax.plot(r["rate"], y, marker, color=colour, markersize=5, markerfacecolor=colour)
    ax.axvline(target, color="black", linestyle="--", linewidth=1, label=f"target {target:.0%}")
    ax.set_yticks(range(len(shown)), [f"{r['name']} (n={r['n']})" for r in reversed(shown)])
    ax.tick_params(axis="y", labelsize=8)
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.6, len(shown) - 0.2)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of trainees who mastered the competency (dot) with 95% interval")
    for status, colour in colours.items():
        ax.plot([], [], markers[status] + "-", color=colour, label=status)
    ax.legend(fontsize=7, loc="lower right", ncol=4, frameon=False, bbox_to_anchor=(1, 1.0))
    fig.tight_layout()
    at = sum(r["status"] == "at target" for r in shown)
    where = f" in cohort {cohort}" if cohort else ""
    alt = (
        f"Dot plot of mastery rates{where} for {len(shown)} competencies with 95% intervals and "
        f"a target line at {target:.0%}: {at} at target. "
        + "; ".join(f"{r['name']} {r['rate']:.0%}" for r in shown)
    )
    return fig, alt


def score_distributions(totals: pd.DataFrame) -> Plot | None:
    """Histograms of total score (% of maximum), small multiples with shared axes."""
    names = sorted(totals["assignment"].unique()) if len(totals) else []
    if not names:
        return None
    nrows, ncols = _grid(len(names))
    fig = Figure(figsize=(WIDTH, 1.7 * nrows + 0.6))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    bins = np.arange(0, 101, 10)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    for ax, name in zip(axes.flat, names, strict=False):
        pct = totals.loc[totals["assignment"] == name, "pct"].dropna().astype(float)
        ax.hist(pct, bins=bins, color=BLUE, edgecolor="white")
        ax.set_title(f"{name} (n={len(pct)})", fontsize=7)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(labelsize=7)
    fig.supxlabel("total score (% of maximum)", fontsize=8)
    fig.supylabel("trainees", fontsize=8)
    fig.tight_layout()
    return fig, f"Histograms of total scores for {len(names)} assignments, in 10-point bins."


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label heights moved apart by at least ``gap`` (in order), for non-overlapping labels."""
    out: list[float] = []
    for y in ys:
        out.append(max(y, out[-1] + gap) if out else y)
    return out


def item_map(items: pd.DataFrame, flags: ItemFlags | None = None) -> Plot | None:
    """Facility against discrimination of every item, one panel per assignment (shared axes);
    items whose discrimination is undefined (everyone scored the same) sit on the bottom strip;
    flagged items are labelled by their id without overlap."""
    cfg = flags or ItemFlags()
    shown = items.dropna(subset=["facility"])
    if shown.empty:
        return None
    names = list(dict.fromkeys(shown["assignment"]))
    nrows, ncols = _grid(len(names), 3)
    fig = Figure(figsize=(WIDTH, 2.3 * nrows + 0.6))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    for ax in axes.flat[len(names) :]:
        ax.set_visible(False)
    floor = -1.15
    for ax, name in zip(axes.flat, names, strict=False):
        mine = shown[shown["assignment"] == name]
        disc = mine["discrimination"].astype(float)
        y = disc.fillna(floor).to_numpy()
        flagged = (mine["flags"].map(len) > 0).to_numpy()
        undefined = disc.isna().to_numpy()
        x = mine["facility"].astype(float).to_numpy()
        ax.scatter(x[~flagged], y[~flagged], color=BLUE, s=14, label="no flag")
        ax.scatter(x[flagged], y[flagged], color=VERMILLION, marker="D", s=16, label="flagged")
        ax.scatter(x[undefined], y[undefined], facecolors="none", edgecolors=GREY, s=18)
        for v in (cfg.too_hard, cfg.too_easy):
            ax.axvline(v, color=GREY, linestyle="--", linewidth=0.7)
        ax.axhline(cfg.weak, color=GREY, linestyle="--", linewidth=0.7)
        ax.axhline(0, color="black", linewidth=0.5)
        ax.axhline(floor + 0.12, color=GREY, linewidth=0.4)
        labelled = sorted(
            (
                (float(b), float(a), str(i))
                for a, b, i, f in zip(x, y, mine["item"], flagged, strict=True)
                if f
            ),
        )
        heights = _spread([b for b, _, _ in labelled], 0.16)
        for (b, a, item), h in zip(labelled, heights, strict=True):
            right = a > 0.85  # label to the left of points at the right edge
            ax.annotate(
                item.split("/")[-1],
                (a, b),
                xytext=(a - 0.06 if right else a + 0.04, h),
                ha="right" if right else "left",
                fontsize=6,
                arrowprops={"arrowstyle": "-", "color": GREY, "linewidth": 0.5},
            )
        # the count on a line of its own, so neighbouring titles never run together
        ax.set_title(f"{name}\n({len(mine)} items)", fontsize=7)
        ax.tick_params(labelsize=7)
    axes.flat[0].set_xlim(-0.05, 1.05)
    axes.flat[0].set_ylim(floor - 0.1, 1.05)
    fig.supxlabel("facility (mean mark / maximum)", fontsize=8)
    fig.supylabel("discrimination (item-rest r); bottom strip: undefined", fontsize=8)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, loc="upper right", ncol=2, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    n_flagged = int((shown["flags"].map(len) > 0).sum())
    alt = (
        f"Item map: facility against discrimination for all {len(shown)} items in "
        f"{len(names)} assignments; {n_flagged} flagged items are labelled; dashed lines at "
        f"facility {cfg.too_hard} and {cfg.too_easy} and discrimination {cfg.weak}."
    )
    return fig, alt


def mastery_heatmap(share: pd.DataFrame, threshold: float, title: str) -> Plot | None:
    """Annotated heatmap of a (rows x competencies) table of shares; cells at or above
    ``threshold`` in bold."""
    if share.empty:
        return None
    values = share.to_numpy(dtype=float)
    height = min(9.0, 1.4 + 0.32 * share.shape[0])
    fig = Figure(figsize=(WIDTH, height))
    ax = fig.subplots()
    image = ax.imshow(values, vmin=0, vmax=1, cmap="cividis", aspect="auto")
    ax.set_xticks(
        range(share.shape[1]), [str(c) for c in share.columns], rotation=35, ha="right", fontsize=7
    )
    ax.set_yticks(range(share.shape[0]), [str(r) for r in share.index], fontsize=7)
    for (i, j), v in np.ndenumerate(values):
        text = "—" if np.isnan(v) else f"{v:.0%}"
        colour = "black" if not np.isnan(v) and v > 0.6 else "white"
        weight = "bold" if not np.isnan(v) and v >= threshold else "normal"
        ax.text(j, i, text, ha="center", va="center", fontsize=6, color=colour, weight=weight)
    # a bar as tall as the map, and not a hairline when the map has only a few rows
    bar = fig.colorbar(image, ax=ax, pad=0.02, aspect=min(20, max(5, 3 * share.shape[0])))
    bar.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    bar.ax.tick_params(labelsize=7)
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    alt = (
        f"{title}: a heatmap of {share.shape[0]} rows by {share.shape[1]} competencies, each cell "
        f"labelled with its percentage; bold at or above {threshold:.0%}."
    )
    return fig, alt


def prepost(gain: pd.DataFrame) -> Plot | None:
    """Pre-test and post-test means per scope (overall first), joined, with the change's
    interval and n written beside each."""
    shown = gain.dropna(subset=["mean_pre_pct", "mean_post_pct"])
    if shown.empty:
        return None
    fig = Figure(figsize=(WIDTH, 0.9 + 0.3 * len(shown)))
    ax = fig.subplots()
    ys = np.arange(len(shown))[::-1]
    for y, r in zip(ys, shown.itertuples(index=False), strict=True):
        pre, post = float(r.mean_pre_pct), float(r.mean_post_pct)
        ax.plot([pre, post], [y, y], color=GREY, linewidth=1)
        ax.plot(pre, y, "o", color=SKY)
        ax.plot(post, y, "o", color=BLUE if post >= pre else VERMILLION)
        ci = ""
        if pd.notna(r.change_ci_low):
            ci = f" [{float(r.change_ci_low):+.0f}, {float(r.change_ci_high):+.0f}]"
        ax.text(101, y, f"{post - pre:+.0f}{ci}; n={int(r.n_matched)}", fontsize=7, va="center")
    ax.set_yticks(ys, [str(s) for s in shown["scope"]], fontsize=7)
    ax.set_xlim(0, 100)
    ax.set_xlabel("mean score (%): pre-test (light) and post-test (dark); change [95% CI]")
    ax.plot([], [], "o", color=SKY, label="pre-test")
    ax.plot([], [], "o", color=BLUE, label="post-test")
    ax.plot([], [], "o", color=VERMILLION, label="post-test, lower than pre-test")
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False)
    fig.tight_layout()
    alt = "Pre-test and post-test mean scores, matched trainees: " + "; ".join(
        f"{r.scope} {float(r.mean_pre_pct):.0f}% to {float(r.mean_post_pct):.0f}%"
        for r in shown.itertuples(index=False)
    )
    return fig, alt


def trends(
    frame: pd.DataFrame,
    *,
    x: str,
    y: str,
    series: str,
    order: Sequence[str],
    title: str,
    ylabel: str,
    target: float | None = None,
) -> Plot | None:
    """Small multiples, one panel per ``series``, of ``y`` over the cohorts in ``order`` (shared
    axes; intervals where the frame has ``ci_low`` and ``ci_high``; missing points skipped)."""
    shown = frame.dropna(subset=[y])
    if shown.empty:
        return None
    groups = sorted(shown[series].astype(str).unique())
    nrows, ncols = _grid(len(groups))
    fig = Figure(figsize=(WIDTH, 1.5 * nrows + 0.8))
    axes = fig.subplots(nrows, ncols, squeeze=False, sharex=True, sharey=True)
    for ax in axes.flat[len(groups) :]:
        ax.set_visible(False)
    positions = {c: i for i, c in enumerate(order)}
    intervals = {"ci_low", "ci_high"} <= set(shown.columns)
    for ax, name in zip(axes.flat, groups, strict=False):
        g = shown[shown[series].astype(str) == name]
        g = g.assign(pos=g[x].map(positions)).sort_values("pos")
        values = g[y].astype(float).to_numpy()
        if intervals:
            low = g["ci_low"].astype(float).to_numpy()
            high = g["ci_high"].astype(float).to_numpy()
            ax.errorbar(
                g["pos"], values, yerr=np.clip(np.nan_to_num([values - low, high - values]), 0, None), color=BLUE, capsize=2,
                marker="o", markersize=3, linewidth=1,
            )  # fmt: skip
        else:
            ax.plot(g["pos"], values, marker="o", markersize=3, color=BLUE, linewidth=1)
        if target is not None:
            ax.axhline(target, color="black", linestyle="--", linewidth=0.7)
        ax.set_title(name, fontsize=7)
        ax.tick_params(labelsize=7)
    axes.flat[0].set_xticks(range(len(order)), [str(c) for c in order])
    axes.flat[0].set_ylim(0, 1.05)
    fig.suptitle(title, fontsize=9)
    fig.supylabel(ylabel, fontsize=8)
    fig.tight_layout()
    alt = (
        f"{title}: {len(groups)} small panels, one per {series}, over cohorts "
        f"{', '.join(map(str, order))}"
        + (f"; dashed line at the target {target:.0%}" if target is not None else "")
        + (" with 95% intervals" if intervals else "")
        + "."
    )
    return fig, alt


def _question(q: Any, limit: int | None = 55) -> str:
    """A survey row's question text (the course's prompt), else its id; cut to ``limit``."""
    prompt = getattr(q, "prompt", None)
    text = prompt if isinstance(prompt, str) and prompt else str(q.exercise).removeprefix("survey.")
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _survey_label(q: Any) -> str:
    """A question's axis label: its text on at most two lines, marked when reverse-worded (its
    answers are turned round: disagreeing is favourable), with its ``n``."""
    text = _question(q, 110)
    if bool(getattr(q, "reversed", False)):
        text += " [reverse-worded]"
    lines = textwrap.wrap(f"{text} (n={int(q.n)})", 62)
    return "\n".join(lines[:2]) + (" …" if len(lines) > 2 else "")


def likert(items: pd.DataFrame, distribution: pd.DataFrame) -> Plot | None:
    """Diverging stacked bars of the answers to each ordinal survey question (shares; the
    unfavourable answers to the left of zero). Where the answers per option of a question are
    suppressed (an answer chosen by a few trainees), the mean answer of every question instead,
    on the 1-5 scale."""
    shown = items.dropna(subset=["mean_score"])
    if shown.empty:
        return None
    dist = distribution[distribution["exercise"].isin(shown["exercise"])]
    if dist["share"].isna().any():
        return _survey_means(shown)
    rows = list(reversed(list(shown.itertuples(index=False))))
    fig = Figure(figsize=(WIDTH, 1.0 + 0.42 * len(rows)))
    ax = fig.subplots()
    for y, q in enumerate(rows):
        mine = dist[dist["exercise"] == q.exercise].sort_values("position")
        shares = mine["share"].astype(float).to_numpy()
        k = len(shares)
        middle = shares[k // 2] / 2 if k % 2 else 0.0
        left = -(shares[: k // 2].sum() + middle)
        for i, share in enumerate(shares):
            colour = LIKERT[min(len(LIKERT) - 1, round(i * (len(LIKERT) - 1) / max(1, k - 1)))]
            ax.barh(y, share, left=left, color=colour, edgecolor="white", height=0.7)
            left += share
    ax.set_yticks(range(len(rows)), [_survey_label(q) for q in rows], fontsize=6.5)
    ax.axvline(0, color="black", linewidth=0.6)
    ax.set_xlim(-1, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share of answers: unfavourable to the left, favourable to the right", fontsize=8)
    names = ("most negative", "negative", "neutral", "positive", "most positive")
    handles = [Patch(color=c, label=n) for c, n in zip(LIKERT, names, strict=True)]
    ax.legend(
        handles=handles, fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=5,
        frameon=False,
    )  # fmt: skip
    fig.tight_layout()
    alt = "Survey answers per question as diverging bars: " + "; ".join(
        f"{_question(q, None)} mean {float(q.mean_score):.1f} of 5"
        for q in shown.itertuples(index=False)
    )
    return fig, alt


def _survey_means(shown: pd.DataFrame) -> Plot:
    """The mean answer (1 most negative .. 5 most positive, reverse-worded questions turned
    round) of each survey question, as dots."""
    rows = list(reversed(list(shown.itertuples(index=False))))
    fig = Figure(figsize=(WIDTH, 1.0 + 0.3 * len(rows)))
    ax = fig.subplots()
    means = [float(q.mean_score) for q in rows]
    ax.hlines(range(len(rows)), 1, means, color=GREY, linewidth=0.8)
    ax.scatter(means, range(len(rows)), color=BLUE, s=22, zorder=3)
    for y, m in enumerate(means):
        ax.annotate(f"{m:.1f}", (m, y), xytext=(4, -3), textcoords="offset points", fontsize=6.5)
    ax.set_yticks(range(len(rows)), [_survey_label(q) for q in rows], fontsize=6.5)
    ax.set_xlim(1, 5.3)
    ax.set_xticks([1, 2, 3, 4, 5], ["1 most\nnegative", "2", "3 neutral", "4", "5 most\npositive"])
    ax.tick_params(axis="x", labelsize=7)
    ax.axvline(3, color=GREY, linestyle="--", linewidth=0.7)
    ax.set_xlabel(
        "mean answer (answers per option not shown: some were chosen by too few trainees)",
        fontsize=8,
    )
    fig.tight_layout()
    alt = "Mean survey answer per question on a 1 to 5 scale: " + "; ".join(
        f"{_question(q, None)} {float(q.mean_score):.1f}" for q in shown.itertuples(index=False)
    )
    return fig, alt


def confidence(frame: pd.DataFrame) -> Plot | None:
    """Retrospective confidence before and after the course per competency (1..5)."""
    shown = frame.dropna(subset=["mean_before", "mean_after"])
    if shown.empty:
        return None
    fig = Figure(figsize=(WIDTH, 0.9 + 0.3 * len(shown)))
    ax = fig.subplots()
    ys = np.arange(len(shown))[::-1]
    for yv, r in zip(ys, shown.itertuples(index=False), strict=True):
        ax.plot([r.mean_before, r.mean_after], [yv, yv], color=GREY, linewidth=1)
        ax.plot(r.mean_before, yv, "o", color=SKY)
        ax.plot(r.mean_after, yv, "o", color=BLUE)
    ax.set_yticks(ys, [f"{r.competency} (n={int(r.n)})" for r in shown.itertuples()], fontsize=7)
    ax.set_xlim(1, 5)
    ax.set_xticks(range(1, 6), ["not at all", "slightly", "moderately", "very", "completely"])
    ax.tick_params(axis="x", labelsize=7)
    ax.plot([], [], "o", color=SKY, label="before the course (as recalled)")
    ax.plot([], [], "o", color=BLUE, label="now")
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    alt = "Mean self-rated confidence before and after the course, per competency: " + "; ".join(
        f"{r.competency} {float(r.mean_before):.1f} to {float(r.mean_after):.1f}"
        for r in shown.itertuples(index=False)
    )
    return fig, alt
