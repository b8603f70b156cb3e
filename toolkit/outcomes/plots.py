"""Figures of the outcomes report, from disclosed frames, without pyplot (as
:mod:`toolkit.reports.plots`)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure


def event_study(events: pd.DataFrame, *, title: str = "") -> tuple[Figure | None, str]:
    """Effect on the clearance rate by year relative to training, with intervals; a dashed line
    at zero and a dotted one just before training; and its alt text."""
    shown = events.dropna(subset=["estimate"])
    if shown.empty:
        return None, ""
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
    return fig, _event_alt(shown, pre)


def _event_alt(shown: pd.DataFrame, pre: pd.Series) -> str:
    def span(part: pd.DataFrame) -> str:
        if part.empty:
            return "no estimate"
        return (
            f"{len(part)} years, estimates from {part['estimate'].min():+.1f} to "
            f"{part['estimate'].max():+.1f} points"
        )

    return (
        "Event study of the change in clearance rate (percentage points) by year relative to "
        f"training, with 95% intervals. Before training: {span(shown[pre])}. "
        f"From the training year on: {span(shown[~pre])}."
    )


def yearly_rates(yearly: pd.DataFrame) -> tuple[Figure | None, str]:
    """Pooled clearance rate per year, trained and comparison agencies, each point labelled with
    the number of agencies behind it; and its alt text."""
    if yearly.empty:
        return None, ""
    fig = Figure(figsize=(7, 3.4))
    ax = fig.subplots()
    for group, colour in (("trained", "#4878a8"), ("comparison", "#888888")):
        part = yearly[yearly["group"] == group]
        if not part.empty:
            ax.plot(part["year"], part["clearance_rate"], marker="o", color=colour, label=group)
            for row in part.itertuples(index=False):
                if pd.notna(row.clearance_rate):
                    ax.annotate(
                        f"n={int(row.agencies)}",
                        (row.year, row.clearance_rate),
                        textcoords="offset points",
                        xytext=(0, 5),
                        ha="center",
                        fontsize=6,
                        color=colour,
                    )
    ax.set_xlabel("year (n: reporting agencies)")
    ax.set_ylabel("offences cleared (%)")
    ax.set_title("Clearance rate of the agencies that reported, per year", fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig, _yearly_alt(yearly)


def _yearly_alt(yearly: pd.DataFrame) -> str:
    parts = []
    for group in ("trained", "comparison"):
        part = yearly[yearly["group"] == group].dropna(subset=["clearance_rate"])
        if not part.empty:
            first, last = part.iloc[0], part.iloc[-1]
            parts.append(
                f"{group} agencies: {first.clearance_rate:.0f}% in {int(first.year)} "
                f"({int(first.agencies)} agencies) to {last.clearance_rate:.0f}% in "
                f"{int(last.year)} ({int(last.agencies)} agencies)"
            )
    return "Pooled clearance rate per year. " + "; ".join(parts) + "."
