"""Figures of the outcomes report, from disclosed frames, without pyplot (as
:mod:`toolkit.reports.plots`)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure


def event_study(events: pd.DataFrame, *, title: str = "") -> Figure | None:
    """Effect on the clearance rate by year relative to training, with intervals; a dashed line
    at zero and a dotted one just before training."""
    shown = events.dropna(subset=["estimate"])
    if shown.empty:
        return None
    fig = Figure(figsize=(7, 3.6))
    ax = fig.subplots()
    pre = shown["relative_year"] < 0
    for mask, colour, label in ((pre, "#888888", "before training"), (~pre, "#4878a8", "after")):
        part = shown[mask]
        ax.errorbar(
            part["relative_year"],
            part["estimate"],
            yerr=[part["estimate"] - part["ci_low"], part["ci_high"] - part["estimate"]],
            fmt="o",
            color=colour,
            capsize=3,
            label=label,
        )
    ax.axhline(0, color="black", linewidth=0.8, linestyle="--")
    ax.axvline(-0.5, color="#aa3333", linewidth=0.8, linestyle=":")
    ax.set_xlabel("years since training (0: the training year)")
    ax.set_ylabel("change in clearance rate (points)")
    ax.set_title(title or "Event study", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def yearly_rates(yearly: pd.DataFrame) -> Figure | None:
    """Pooled clearance rate per year, trained and comparison agencies."""
    if yearly.empty:
        return None
    fig = Figure(figsize=(7, 3.4))
    ax = fig.subplots()
    for group, colour in (("trained", "#4878a8"), ("comparison", "#888888")):
        part = yearly[yearly["group"] == group]
        if not part.empty:
            ax.plot(part["year"], part["clearance_rate"], marker="o", color=colour, label=group)
    ax.set_xlabel("year")
    ax.set_ylabel("offences cleared (%)")
    ax.set_title("Clearance rate of the agencies that reported, per year", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
