"""One-line block-character sparklines: a Text for table cells, and a graph widget."""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

BLOCKS = " ▁▂▃▄▅▆▇█"
"""Nine heights, from empty to a full cell."""


def sparkline_text(
    values: Sequence[float],
    width: int,
    maximum: float | None = None,
    style: Style | str = "",
) -> Text:
    """Draw the last ``width`` values as block characters, newest on the right.

    Args:
        values: the points, oldest first; negative values count as zero.
        width: cells to fill; shorter histories are padded on the left.
        maximum: the value drawn as a full cell; defaults to the largest
            value shown, so an idle series stays flat at the bottom.
        style: the style of the blocks.

    Returns:
        A Text of exactly ``width`` cells.
    """
    if width <= 0:
        return Text()
    visible = [max(0.0, value) for value in values[-width:]]
    top = maximum if maximum is not None else max(visible, default=0.0)
    cells = []
    for value in visible:
        level = 0 if top <= 0 else round(min(value, top) / top * (len(BLOCKS) - 1))
        # A point above zero gets at least the lowest block, so activity shows.
        cells.append(BLOCKS[max(level, 1 if value > 0 else 0)])
    line = " " * (width - len(cells)) + "".join(cells)
    return Text(line, style=style, no_wrap=True, end="")


def fit_points(values: Sequence[float], width: int) -> list[float]:
    """Shrink a series to at most ``width`` points, keeping each group's peak.

    Groups are taken from the newest end, so the newest point stays exact.
    """
    if width <= 0:
        return []
    if len(values) <= width:
        return list(values)
    group = -(-len(values) // width)
    newest_first = list(values)[::-1]
    peaks = [
        max(newest_first[start : start + group])
        for start in range(0, len(newest_first), group)
    ]
    return peaks[::-1]


class HistoryGraph(Widget):
    """A one-line graph of a series on a scale starting at zero.

    The whole series is fitted to the width (each cell shows the peak of
    its group of points), newest on the right.
    """

    DEFAULT_CSS = """
    HistoryGraph { height: 1; }
    """

    data: reactive[tuple[float, ...]] = reactive(())
    """The points, oldest first."""
    maximum: reactive[float | None] = reactive(None)
    """The value drawn as a full cell; None scales to the largest point."""

    def render(self) -> Text:
        """Draw the series across the widget's width."""
        width = self.size.width
        points = fit_points(self.data, width)
        top = self.maximum
        if top is not None:
            top = max(top, max(points, default=0.0))
        return sparkline_text(points, width, top)
