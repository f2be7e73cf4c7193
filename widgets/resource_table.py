"""A table of engine objects that updates row by row, by key."""

from __future__ import annotations

from collections.abc import Sequence

from dockertui.state.views import Column, Row, column_title, fit_text
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

MARK_COLUMN = "mark"
TONES = ("running", "stopped", "warning", "error")


class RowLabel(Text):
    """The mark cell of a row: a Text that also carries the row's key for sorting."""

    def __init__(self, text: str, row_key: str) -> None:
        super().__init__(text)
        self.row_key = row_key


class ResourceTable(DataTable[Text]):
    """A table of containers, images, networks or volumes.

    Rows are keyed by the object's id. ``show_rows`` adds, updates and removes
    only the rows and cells that changed, and keeps the cursor on the same
    object and at the same height on screen when rows come, go or move.

    Messages:
        ResourceTable.SortRequested: the user clicked a column header.

    Component classes:
        resourcetable--running, resourcetable--stopped, resourcetable--warning,
        resourcetable--error: row colours by state; resourcetable--marked: the
        mark of a marked row.
    """

    COMPONENT_CLASSES = {
        "resourcetable--running",
        "resourcetable--stopped",
        "resourcetable--warning",
        "resourcetable--error",
        "resourcetable--marked",
    }

    DEFAULT_CSS = """
    ResourceTable {
        height: 1fr;
    }
    ResourceTable > .resourcetable--running { color: $text-success; }
    ResourceTable > .resourcetable--stopped { color: $text-muted; }
    ResourceTable > .resourcetable--warning { color: $text-warning; }
    ResourceTable > .resourcetable--error { color: $text-error; }
    ResourceTable > .resourcetable--marked { color: $text-accent; text-style: bold; }
    """

    class SortRequested(Message):
        """The user asked to sort by a column, by clicking its header."""

        def __init__(self, table: ResourceTable, column_key: str) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key

        @property
        def control(self) -> ResourceTable:
            """The table whose header was clicked."""
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._layout: list[tuple[str, int, bool]] = []
        self._columns: list[tuple[Column, int]] = []
        self._rows: dict[str, Row] = {}
        self._order: list[str] = []
        self._marked: frozenset[str] = frozenset()
        self._row_refresh_only = False
        self.stale = False

    @property
    def cursor_key(self) -> str | None:
        """The key of the highlighted row, or None for an empty table."""
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # noqa: BLE001 - the cursor can sit past the last row
            return None
        return row_key.value

    def shown_keys(self) -> list[str]:
        """Return the keys of the shown rows, top to bottom."""
        return list(self._order)

    def show_rows(
        self,
        columns: list[tuple[Column, int]],
        rows: Sequence[Row],
        marked: frozenset[str] = frozenset(),
        stale: bool = False,
        sort_key: str = "",
        sort_reverse: bool = False,
    ) -> None:
        """Show ``rows`` in this order, changing as few cells as possible."""
        layout = [
            (column.key, width, column.key == sort_key and (sort_reverse or None))
            for column, width in columns
        ]
        keep_key = self.cursor_key
        keep_index = self.cursor_row
        screen_offset = self.cursor_row - round(self.scroll_y)
        at_top = round(self.scroll_y) == 0
        restyle = stale != self.stale or marked != self._marked
        self.stale = stale
        self._marked = marked
        if layout != self._layout:
            self._rebuild(columns, rows, sort_key, sort_reverse)
        else:
            self._update(rows, restyle)
        self._layout = layout
        self._restore_cursor(keep_key, keep_index, screen_offset, at_top)

    def _rebuild(
        self,
        columns: list[tuple[Column, int]],
        rows: Sequence[Row],
        sort_key: str,
        sort_reverse: bool,
    ) -> None:
        self.clear(columns=True)
        self._columns = columns
        self.add_column(" ", key=MARK_COLUMN, width=1)
        for column, width in columns:
            title = column_title(column, width, sort_key, sort_reverse)
            label = Text(title, justify="right" if column.align_right else "left")
            self.add_column(label, key=column.key, width=width)
        self._rows = {}
        self._order = []
        for row in rows:
            self._add(row)

    def _update(self, rows: Sequence[Row], restyle: bool) -> None:
        incoming = {row.key: row for row in rows}
        wanted = [row.key for row in rows]
        if wanted == self._order and not restyle:
            self._update_cells_only(rows)
            return
        for key in [key for key in self._order if key not in incoming]:
            self.remove_row(key)
            del self._rows[key]
        self._order = [key for key in self._order if key in incoming]
        for row in rows:
            previous = self._rows.get(row.key)
            if previous is None:
                self._add(row)
            elif restyle or previous != row:
                self._change(previous, row, restyle)
        if wanted != self._order:
            position = {key: index for index, key in enumerate(wanted)}
            self.sort(MARK_COLUMN, key=lambda label: position[label.row_key])
            self._order = wanted

    def _update_cells_only(self, rows: Sequence[Row]) -> None:
        """Change cells of rows that stay in place, repainting only those rows.

        ``DataTable.update_cell`` (Textual 8.2.8) refreshes the whole widget,
        which rewrites every visible line of the table on the terminal. Over
        SSH that is most of the bytes a dashboard sends while idle, so while
        cells change, full refreshes are turned into refreshes of their rows.
        """
        changed: list[str] = []
        self._row_refresh_only = True
        try:
            for row in rows:
                previous = self._rows[row.key]
                if previous != row and self._change(previous, row, restyle=False):
                    changed.append(row.key)
        finally:
            self._row_refresh_only = False
        for key in changed:
            self.refresh_row(self.get_row_index(key))

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> ResourceTable:
        """Refresh the table, or nothing while a cell update repaints its own row."""
        row_only = getattr(self, "_row_refresh_only", False)
        if row_only and not regions and not layout and not recompose:
            return self
        return super().refresh(
            *regions, repaint=repaint, layout=layout, recompose=recompose
        )

    def _add(self, row: Row) -> None:
        self.add_row(*self._cells(row), key=row.key)
        self._rows[row.key] = row
        self._order.append(row.key)

    def _change(self, previous: Row, row: Row, restyle: bool) -> bool:
        """Update the shown cells of ``row`` that differ; return whether any did.

        A row that differs only in sort values or hidden columns changes
        nothing on screen, so it returns False.
        """
        self._rows[row.key] = row
        if restyle or previous.tone != row.tone:
            new_cells = self._cells(row)
            for column_key, cell in zip(self._column_keys(), new_cells, strict=True):
                self.update_cell(row.key, column_key, cell)
            return True
        changed = [
            index
            for index, (column, _) in enumerate(self._columns, start=1)
            if previous.cells.get(column.key) != row.cells.get(column.key)
        ]
        if changed:
            new_cells = self._cells(row)
            keys = self._column_keys()
            for index in changed:
                self.update_cell(row.key, keys[index], new_cells[index])
        return bool(changed)

    def _column_keys(self) -> list[str]:
        return [MARK_COLUMN] + [column.key for column, _ in self._columns]

    def _cells(self, row: Row) -> list[Text]:
        style = self._row_style(row)
        marked = row.key in self._marked
        mark = RowLabel("●" if marked else " ", row.key)
        if marked:
            mark.stylize(self.get_component_rich_style("resourcetable--marked"))
        cells: list[Text] = [mark]
        for column, width in self._columns:
            text = fit_text(row.cells.get(column.key, ""), width, column.cut_middle)
            cell = Text(text, style=style, no_wrap=True, overflow="ellipsis")
            if column.align_right:
                cell.justify = "right"
            cells.append(cell)
        return cells

    def _row_style(self, row: Row) -> Style | str:
        if self.stale:
            return self.get_component_rich_style("resourcetable--stopped")
        if row.tone in TONES:
            return self.get_component_rich_style(f"resourcetable--{row.tone}")
        return ""

    def _restore_cursor(
        self, keep_key: str | None, keep_index: int, screen_offset: int, at_top: bool
    ) -> None:
        """Keep the selected container selected after the rows moved.

        The selection follows its row, so an action never lands on another
        container. The view keeps the selection's place on screen. A view
        that shows the first rows keeps showing them while the selection
        stays visible, so in a list sorted by CPU a container that becomes
        the busiest appears at the top, not above the screen.
        """
        if not self.row_count:
            return
        if keep_key is not None and keep_key in self._rows:
            index = self.get_row_index(keep_key)
        else:
            index = min(keep_index, self.row_count - 1)
        if index != self.cursor_row:
            self.move_cursor(row=index, animate=False, scroll=False)
            visible_rows = self.scrollable_content_region.height - self.header_height
            top = 0 if at_top and index < visible_rows else index - screen_offset
            self.scroll_to(y=max(top, 0), animate=False, immediate=True)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        """Turn a header click into a sort request for the screen."""
        event.stop()
        column_key = event.column_key.value
        if column_key and column_key != MARK_COLUMN:
            self.post_message(self.SortRequested(self, column_key))

    def row_key_at_cursor(self) -> RowKey | None:
        """Return the RowKey of the highlighted row, or None."""
        key = self.cursor_key
        return RowKey(key) if key is not None else None
