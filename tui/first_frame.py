"""A plain first frame of the containers pane, drawn before Textual starts.

Python and Textual need a few hundred milliseconds before their first frame,
longer on a loaded host. When the container list has arrived by then, this
module writes it to the alternate screen with the rows, columns and sort
order the containers pane will use. The operator reads the list at once, and
Textual's first frame later repaints the same text in the same cells.

Only the standard library and the state layer are imported here, so the frame
costs milliseconds. The frame sets no terminal mode: keys typed meanwhile
wait in the terminal's input queue and reach Textual when it starts.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from .state.records import ContainerRecord
from .state.stats import StatsTracker
from .state.stats_format import CPU_PER_CORE
from .state.store import EngineState
from .state.text import cell_width
from .state.views import (
    CONTAINER_SORT_KEY,
    Column,
    Row,
    column_title,
    container_pane_rows,
    fit_columns,
    fit_text,
    pane_columns,
    sort_rows,
)

WIDE_COLUMNS = 180
"""From this width the detail sits right of the table (see styles/app.tcss)."""
TALL_ROWS = 32
"""From this height the detail under the table is taller."""
DETAIL_SHORT, DETAIL_TALL = 7, 14
"""Heights of the detail panel under the table."""
DETAIL_SHARE = 0.34
"""Share of the width the detail takes beside the table on wide terminals."""
TABLE_TOP = 5
"""Row of the table header: two header lines, two host lines, the tabs."""
MARK_CELLS = 3
"""Width of the mark column with its padding."""
SCROLLBAR_CELLS = 2
"""Width of the table's vertical scrollbar."""
MIN_COLUMN_SPACE = 30
"""Smallest width the columns are fitted to, however narrow the table."""

ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[?7l"
LEAVE_SCREEN = "\x1b[?7h\x1b[?25h\x1b[?1049l"
RESET = "\x1b[0m"
HEADER_STYLE = "\x1b[38;5;253;48;5;17m"
TITLE_STYLE = "\x1b[1;38;5;222;48;5;17m"
HOST_STYLE = "\x1b[38;5;245;48;5;234m"
TABS_STYLE = "\x1b[38;5;253;48;5;234m"
COLUMN_HEADER_STYLE = "\x1b[1;38;5;253;48;5;233m"
ROW_STYLE = "\x1b[38;5;253;48;5;235m"


def table_width(columns: int) -> int:
    """Return the width of the containers table on a terminal this wide."""
    if columns >= WIDE_COLUMNS:
        return columns - round(columns * DETAIL_SHARE)
    return columns


def column_space(width: int) -> int:
    """Return the width left to the columns in a table this wide."""
    return max(width - MARK_CELLS - SCROLLBAR_CELLS, MIN_COLUMN_SPACE)


def table_rows(lines: int, columns: int) -> int:
    """Return how many container rows the table shows on a terminal this tall."""
    footer = 1
    detail = 0
    if columns < WIDE_COLUMNS:
        detail = DETAIL_TALL if lines >= TALL_ROWS else DETAIL_SHORT
    return max(lines - TABLE_TOP - 1 - footer - detail, 0)


def _cell(text: str, column: Column, width: int) -> str:
    """Pad one cell as the table does: a space each side, numbers to the right."""
    pad = " " * max(width - cell_width(text), 0)
    return " " + (pad + text if column.align_right else text + pad) + " "


def _row_line(row: Row, layout: list[tuple[Column, int]]) -> str:
    cells = [
        _cell(
            fit_text(row.cells.get(column.key, ""), width, column.cut_middle),
            column,
            width,
        )
        for column, width in layout
    ]
    return " " * MARK_CELLS + "".join(cells)


def _header_line(layout: list[tuple[Column, int]]) -> str:
    cells = [
        _cell(column_title(column, width, CONTAINER_SORT_KEY, False), column, width)
        for column, width in layout
    ]
    return " " * MARK_CELLS + "".join(cells)


def frame_lines(
    records: Sequence[ContainerRecord],
    endpoint: str,
    columns: int,
    lines: int,
    now: datetime,
    read_only: bool = False,
) -> list[str]:
    """Return the frame's text, one string per terminal line, without styles."""
    state = EngineState()
    state.containers.replace_all(records)
    space = column_space(table_width(columns))
    layout = fit_columns(pane_columns("containers", state), space)
    rows = container_pane_rows(state, now, layout, StatsTracker(), CPU_PER_CORE)
    rows = sort_rows(rows, CONTAINER_SORT_KEY)
    counts = state.counts()
    read_only_mark = "  READ-ONLY" if read_only else ""
    frame = [
        f" dockertui ○ connecting…{read_only_mark}  {endpoint}",
        f" ▶ {counts.running} running  ‖ {counts.paused} paused  "
        f"■ {counts.stopped} stopped",
        " host: reading figures…",
        "",
        f" 1 Containers ({len(records)})  2 Images  3 Networks  4 Volumes",
        _header_line(layout),
    ]
    frame += [_row_line(row, layout) for row in rows[: table_rows(lines, columns)]]
    return frame


def render(lines: list[str], columns: int, height: int) -> str:
    """Return the escape sequences that draw ``lines`` on a cleared screen."""
    styles = [
        TITLE_STYLE,
        HEADER_STYLE,
        HOST_STYLE,
        HOST_STYLE,
        TABS_STYLE,
        COLUMN_HEADER_STYLE,
    ]
    out = [ENTER_SCREEN, ROW_STYLE, "\x1b[2J"]
    for number, line in enumerate(lines[:height]):
        style = styles[number] if number < len(styles) else ROW_STYLE
        text = fit_text(line, columns)
        out.append(f"\x1b[{number + 1};1H{style}{text}\x1b[K")
    out.append(RESET)
    return "".join(out)


class FirstFrame:
    """The plain frame on one terminal, removed again if the app fails to start."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.drawn = False

    def draw(
        self,
        records: Sequence[ContainerRecord],
        endpoint: str,
        now: datetime,
        read_only: bool = False,
    ) -> None:
        """Draw the frame for the terminal's current size."""
        size = os.get_terminal_size(self.fd)
        lines = frame_lines(records, endpoint, size.columns, size.lines, now, read_only)
        os.write(self.fd, render(lines, size.columns, size.lines).encode())
        self.drawn = True

    def undo(self) -> None:
        """Leave the alternate screen, for when the app did not start."""
        if self.drawn:
            os.write(self.fd, (RESET + LEAVE_SCREEN).encode())
            self.drawn = False
