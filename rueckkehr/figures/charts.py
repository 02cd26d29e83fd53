"""Charts as SVG, drawn on the server by pygal: no script, no request to anyone else; a hidden (small) count
draws no bar, and every chart's page shows its table beside it."""

from __future__ import annotations

import pygal
from pygal.style import Style

from .tables import Table

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b1f26",
    foreground_strong="#1b1f26",
    foreground_subtle="#5c6370",
    colors=("#1d3f7a",),
    font_family="Fira Sans, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    title_font_size=16,
)


def chart_svg(table: Table) -> bytes:
    """One figure as an SVG bar chart (a column per week for the time line, bars across for the others)."""
    over_time = table.key == "week"
    chart_class = pygal.Bar if over_time else pygal.HorizontalBar
    rows = table.rows if over_time else list(reversed(table.rows))  # pygal draws horizontal bars bottom-up
    chart = chart_class(
        style=STYLE,
        js=[],  # pygal's tooltips load a script from elsewhere: none
        show_legend=False,
        print_values=True,
        width=760,
        height=max(240, 48 * len(rows) + 120) if not over_time else 360,
        x_label_rotation=-40 if over_time else 0,
        margin=16,
        explicit_size=True,
        title=str(table.dimension.title),
    )
    chart.x_labels = [label for label, _cell in rows]
    chart.add(
        str(table.dimension.title),
        [{"value": cell.plotted, "label": cell.shown} for _label, cell in rows],
    )
    svg: bytes = chart.render()
    return svg
