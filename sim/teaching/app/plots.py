"""The live plots of the classroom app: A and B on the same axes, told apart without colour.

Each plot follows one or two KPIs of both platforms as the worlds run
(:mod:`sim.teaching.app.live`): the
means and shares are over everything counted from the first hour until the moment shown.
Platform A is drawn solid, B dashed; of the two measures a plot may show, the first is thick and
the second thin; the legend names every line ("platform · A"), so the plots read in black and
white and on a projector.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bokeh.models import ColumnDataSource, DataRange1d, HoverTool, Range1d
from bokeh.models.annotations import Legend
from bokeh.plotting import figure

from sim.teaching.app.live import LIVE_KPIS, PAID_SHARE, Sample

#: How each platform is drawn: A solid, B dashed.
STYLE = {"A": "solid", "B": "dashed"}
#: A plot's width in pixels: two to a row on a projector, one on a phone.
WIDTH = 370
#: The first and second measure of a plot: a thick blue line and a thin orange one.
COLOURS = ("#1b6ca8", "#c2571a")
WIDTHS = (3.5, 1.8)


@dataclass(frozen=True)
class Chart:
    """One plot: a title, the measures it shows (column, label) and the top of its y axis when
    the measures cannot exceed it (shares and judgements on 0–1); otherwise the axis starts at 0
    and follows the data."""

    key: str
    title: str
    measures: tuple[tuple[str, str], ...]
    top: float | None = None  # a fixed top of the y axis, for shares and judgements


CHARTS: tuple[Chart, ...] = (
    Chart(
        "responsibility",
        "Who is held responsible (mean)",
        (
            ("mean_aggregator_responsibility", "platform"),
            ("mean_provider_responsibility", "provider"),
        ),
        top=1.0,
    ),
    Chart(
        "compensation",
        "Compensation, share of price (mean)",
        # no fixed top: the cap of expected compensation and what a platform pays are the
        # scenario's (MODEL.md 5.5, 5.8), above 1.5 for a generous one
        (("mean_expected_compensation_share", "expected"), (PAID_SHARE, "paid")),
    ),
    Chart(
        "punishment",
        "Punishment wanted for providers (mean)",
        (("mean_expected_punishment", "expected punishment"),),
        top=1.0,
    ),
    Chart(
        "complaints",
        "Complaints and low ratings (share)",
        (("complaint_rate", "complaints per failure"), ("low_rating_rate", "low ratings")),
        top=1.0,
    ),
    Chart(
        "customers",
        "Customers",
        (("customers_active_end", "active"), ("customers_churned", "lost")),
    ),
    Chart(
        "providers",
        "Providers",
        (("providers_sanctioned", "sanctioned"), ("providers_exited", "left")),
    ),
)
COLUMNS: tuple[str, ...] = ("day", *LIVE_KPIS, PAID_SHARE)


def empty_data() -> dict[str, list[float]]:
    return {column: [] for column in COLUMNS}


def row(sample: Sample) -> dict[str, Any]:
    """One sample as a row to stream into a platform's data source (days on the x axis)."""
    return {"day": [sample.hours / 24.0], **{k: [v] for k, v in sample.values.items()}}


def make_sources() -> dict[str, ColumnDataSource]:
    """One data source per platform, named ``live-A`` and ``live-B`` (a browser test reads them)."""
    return {name: ColumnDataSource(empty_data(), name=f"live-{name}") for name in STYLE}


def make_figure(chart: Chart, sources: Mapping[str, ColumnDataSource], days: Range1d):
    """The figure of ``chart``, drawing both platforms from ``sources`` over ``days`` (shared by
    all figures, so they change together with the horizon)."""
    plot = figure(
        title=chart.title,
        width=WIDTH,
        height=300,
        x_axis_label="day",
        x_range=days,
        tools="pan,box_zoom,reset,save",
        toolbar_location="above",
    )
    if chart.top is not None:  # the means are not defined before the first failure
        plot.y_range = Range1d(start=0.0, end=chart.top)
    else:
        plot.y_range = DataRange1d(start=0.0)
    items: list[Any] = []
    for (column, label), colour, width in zip(chart.measures, COLOURS, WIDTHS, strict=False):
        for name, source in sources.items():
            line = plot.line(
                "day",
                column,
                source=source,
                line_width=width,
                color=colour,
                line_dash=STYLE[name],
            )
            items.append((f"{label} · {name}", [line]))
    plot.add_layout(Legend(items=items, click_policy="hide", ncols=2), "below")
    plot.add_tools(
        HoverTool(
            tooltips=[("day", "@day{0.0}")]
            + [(label, f"@{column}{{0.00}}") for column, label in chart.measures],
            mode="vline",
        )
    )
    return plot
