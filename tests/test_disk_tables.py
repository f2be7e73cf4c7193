"""Unit tests of the disk screen's table rows: safe text and figures."""

from __future__ import annotations

from dockertui.screens.disk_tables import build_cache_rows, cell, summary_rows
from dockertui.state.disk import BuildCacheUsage, CategoryUsage, DiskSnapshot


def test_cell_keeps_markup_literal_and_drops_escapes() -> None:
    text = cell("x[bold]y[/]\x1b[31mz\x07")

    assert text.plain == "x[bold]y[/]z"
    assert text.spans == []


def test_cell_cuts_long_names_in_middle() -> None:
    text = cell("a" * 30 + "b" * 30, 11)

    assert text.plain == "aaaaa…bbbbb"


def test_build_cache_description_sanitised() -> None:
    record = BuildCacheUsage("id1", "regular", 5, False, False, "RUN \x1b]0;own\x07x")
    snapshot = DiskSnapshot(api_version="1.41", build_cache=(record,))

    columns, rows = build_cache_rows(snapshot)

    assert columns[-1] == "Description"
    assert rows[0][1][-1].plain == "RUN x"


def test_summary_row_share_of_size() -> None:
    line = CategoryUsage("images", "Images", 3, 1000, 250, 1, "1 unused (0 dangling)")

    key, cells = summary_rows([line])[0]

    assert key == "images"
    assert cells[3].plain == "250B (25%)"
