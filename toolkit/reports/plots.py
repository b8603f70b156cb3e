"""The report figures. Each takes disclosed frames (:attr:`toolkit.reports.disclose.Table.frame`)
and returns a Figure (or None when there is nothing to draw), so a template only displays them.

Figures are built as :class:`matplotlib.figure.Figure` objects, without pyplot: importing this
module selects no backend and registers no figure anywhere; :func:`toolkit.reports.render.show_figure`
renders them to PNG.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from toolkit.analysis.items import ItemFlags


def score_distributions(totals: pd.DataFrame) -> Figure | None:
    """Histogram of total score (% of maximum), one panel per assignment."""
    names = sorted(totals["assignment"].unique()) if len(totals) else []
    if not names:
        return None
    fig = Figure(figsize=(min(4 * len(names), 12), 3))
    axes = fig.subplots(1, len(names), squeeze=False)
    for ax, name in zip(axes[0], names, strict=True):
        pct = totals.loc[totals["assignment"] == name, "pct"].dropna()
        ax.hist(pct, bins=np.arange(0, 105, 10), color="#4878a8", edgecolor="white")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("total score (% of maximum)")
    axes[0][0].set_ylabel("trainees")
    fig.suptitle("Score distributions")
    fig.tight_layout()
    return fig


def item_map(items: pd.DataFrame, flags: ItemFlags | None = None) -> Figure | None:
    """Facility against discrimination; flagged items labelled; dashed lines at the flag limits."""
    cfg = flags or ItemFlags()
    shown = items.dropna(subset=["facility", "discrimination"])
    if shown.empty:
        return None
    fig = Figure(figsize=(7, 4.5))
    ax = fig.subplots()
    flagged = shown["flags"].map(len) > 0
    ax.scatter(
        shown.loc[~flagged, "facility"],
        shown.loc[~flagged, "discrimination"],
        color="#4878a8",
        label="no flag",
    )
    ax.scatter(
        shown.loc[flagged, "facility"],
        shown.loc[flagged, "discrimination"],
        color="#c0504d",
        marker="D",
        label="flagged",
    )
    for row in shown[flagged].itertuples(index=False):
        ax.annotate(
            str(row.item).split("/")[-1],
            (row.facility, row.discrimination),
            fontsize=7,
            xytext=(4, 4),
            textcoords="offset points",
        )
    for x in (cfg.too_hard, cfg.too_easy):
        ax.axvline(x, color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(cfg.weak, color="grey", linestyle="--", linewidth=0.8)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlim(-0.05, 1.05)
    ax.set_xlabel("facility (mean mark / maximum)")
    ax.set_ylabel("discrimination (item-rest correlation)")
    ax.set_title("Item map")
    ax.legend(fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig


def mastery_heatmap(share: pd.DataFrame, threshold: float, title: str) -> Figure | None:
    """Heatmap of a (rows x competencies) table of shares; cells at or above threshold marked."""
    if share.empty:
        return None
    values = share.to_numpy(dtype=float)
    fig = Figure(figsize=(1.2 + 0.7 * share.shape[1], 1 + 0.3 * share.shape[0]))
    ax = fig.subplots()
    image = ax.imshow(values, vmin=0, vmax=1, cmap="RdYlGn", aspect="auto")
    ax.set_xticks(
        range(share.shape[1]), [str(c) for c in share.columns], rotation=45, ha="right", fontsize=8
    )
    ax.set_yticks(range(share.shape[0]), [str(r) for r in share.index], fontsize=7)
    for (i, j), v in np.ndenumerate(values):
        if not np.isnan(v) and v >= threshold:
            ax.text(j, i, "✓", ha="center", va="center", fontsize=7)
    fig.colorbar(image, ax=ax, fraction=0.04)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def prepost(gain: pd.DataFrame) -> Figure | None:
    """Mean pre-test and post-test percentage, overall and per competency."""
    shown = gain.dropna(subset=["mean_pre_pct", "mean_post_pct"])
    if shown.empty:
        return None
    x = np.arange(len(shown))
    fig = Figure(figsize=(max(4, 0.9 * len(shown) + 2), 3.5))
    ax = fig.subplots()
    ax.bar(x - 0.2, shown["mean_pre_pct"].astype(float), 0.4, label="pre-test", color="#9db9d6")
    ax.bar(x + 0.2, shown["mean_post_pct"].astype(float), 0.4, label="post-test", color="#2f5d8a")
    ax.set_xticks(x, [str(s) for s in shown["scope"]], rotation=30, ha="right")
    ax.set_ylim(0, 100)
    ax.set_ylabel("mean score (%)")
    ax.set_title("Pre-test and post-test by competency (matched trainees)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


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
) -> Figure | None:
    """One line per ``series`` of ``y`` over the cohorts in ``order`` (missing points skipped)."""
    shown = frame.dropna(subset=[y])
    if shown.empty:
        return None
    fig = Figure(figsize=(7, 3.8))
    ax = fig.subplots()
    positions = {c: i for i, c in enumerate(order)}
    for name, group in shown.groupby(series, sort=True):
        group = group.assign(pos=group[x].map(positions)).sort_values("pos")
        ax.plot(group["pos"], group[y].astype(float), marker="o", label=str(name))
    if target is not None:
        ax.axhline(target, color="grey", linestyle="--", linewidth=0.8, label="target")
    ax.set_xticks(range(len(order)), [str(c) for c in order])
    ax.set_ylim(0, 1.05)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return fig
