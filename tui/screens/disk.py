"""The disk usage screen: images, containers, volumes and build cache, with cleanups.

The screen reads ``/system/df`` once when it opens and again on ``r``, in a
thread worker, because on a big host that request can take minutes. It never polls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from ..engine.errors import EngineError
from ..state.disk import DiskSnapshot, FilesystemUsage, LabelFilter
from ..state.format import size
from ..state.prune import PruneKind, PruneReport, summarize
from .disk_tables import DETAIL_BUILDERS, summary_rows
from .prune import PruneModal

if TYPE_CHECKING:
    from ..engine.client import Engine

log = logging.getLogger(__name__)

DiskLoader = Callable[[], tuple[DiskSnapshot, FilesystemUsage | None, bool]]
"""Returns the snapshot, the data root's filesystem (None if unknown) and locality."""

PRUNE_KEYS = {
    "c": PruneKind.CONTAINERS,
    "d": PruneKind.DANGLING_IMAGES,
    "a": PruneKind.UNUSED_IMAGES,
    "v": PruneKind.VOLUMES,
    "n": PruneKind.NETWORKS,
    "b": PruneKind.BUILD_CACHE,
}


def _styles_path() -> str:
    return str(resources.files("dockertui.styles") / "disk.tcss")


def engine_loader(engine: Engine) -> DiskLoader:
    """Return a loader that reads the disk usage and the data root's free space."""
    from ..engine.disk import filesystem_usage, read_disk_usage

    def load() -> tuple[DiskSnapshot, FilesystemUsage | None, bool]:
        info = engine.info()
        snapshot = read_disk_usage(engine)
        filesystem = None
        if info.is_local and info.docker_root_dir:
            filesystem = filesystem_usage(info.docker_root_dir)
        return snapshot, filesystem, info.is_local

    return load


@dataclass
class DiskUsageLoaded(Message):
    """The disk usage was read."""

    snapshot: DiskSnapshot
    filesystem: FilesystemUsage | None
    is_local: bool


@dataclass
class DiskUsageFailed(Message):
    """Reading the disk usage failed."""

    error: EngineError


def filesystem_line(filesystem: FilesystemUsage | None, is_local: bool) -> str:
    """Describe the free space beside the engine's data root."""
    if not is_local:
        return "The engine is remote: the free space of its data root is not shown."
    if filesystem is None:
        return "The free space of the engine's data root could not be read."
    return (
        f"Data root {filesystem.path}: {size(filesystem.free)} free of "
        f"{size(filesystem.total)} ({filesystem.percent_used:.0f}% used)"
    )


class DiskScreen(Screen[None]):
    """Disk usage by kind, the objects of each kind, and previewed cleanups.

    Bindings: ``r`` reads the usage again, ``escape`` closes, and unless the
    screen is read-only ``c``, ``d``, ``a``, ``v``, ``n`` and ``b`` open the
    preview of a prune of containers, dangling images, unused images, volumes,
    networks and build cache. ``labels`` restricts every prune to objects whose
    labels match, like the engine's ``label`` prune filter.
    """

    CSS_PATH = _styles_path()
    BINDINGS = [
        Binding("escape", "close", "Close", id="disk-close"),
        Binding("r", "refresh_usage", "Refresh", id="disk-refresh"),
        Binding("c", "prune('c')", "Prune containers", id="prune-containers"),
        Binding("d", "prune('d')", "Dangling images", id="prune-dangling"),
        Binding("a", "prune('a')", "Unused images", id="prune-images"),
        Binding("v", "prune('v')", "Volumes", id="prune-volumes"),
        Binding("n", "prune('n')", "Networks", id="prune-networks"),
        Binding("b", "prune('b')", "Build cache", id="prune-build-cache"),
    ]

    def __init__(
        self,
        engine: Engine,
        read_only: bool,
        *,
        loader: DiskLoader | None = None,
        labels: LabelFilter | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.read_only = read_only
        self.loader = loader or engine_loader(engine)
        self.labels = labels or LabelFilter()
        self.snapshot: DiskSnapshot | None = None
        self.last_report: PruneReport | None = None

    def compose(self) -> ComposeResult:
        """Lay out the free-space line, the summary and the detail list."""
        yield Static("Reading disk usage…", id="disk-filesystem")
        summary: DataTable[Any] = DataTable(id="disk-summary", cursor_type="row")
        summary.add_columns("Kind", "Count", "Size", "Reclaimable", "Why")
        yield summary
        yield DataTable(id="disk-detail", cursor_type="row")
        yield Static("", id="disk-status")
        yield Footer()

    def on_mount(self) -> None:
        """Start reading the usage."""
        self.title = "Disk usage"
        self.action_refresh_usage()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide every prune on a read-only screen."""
        if action == "prune" and self.read_only:
            return False
        return True

    def action_refresh_usage(self) -> None:
        """Read the usage again in a worker, showing a loading indicator."""
        self.query_one("#disk-summary", DataTable).loading = True
        self.query_one("#disk-detail", DataTable).loading = True
        self._load()

    @work(thread=True, exclusive=True, group="disk-usage", exit_on_error=False)
    def _load(self) -> None:
        try:
            snapshot, filesystem, is_local = self.loader()
        except EngineError as error:
            self.post_message(DiskUsageFailed(error))
            return
        self.post_message(DiskUsageLoaded(snapshot, filesystem, is_local))

    @on(DiskUsageLoaded)
    def show_usage(self, message: DiskUsageLoaded) -> None:
        """Fill the tables from a fresh snapshot."""
        self.snapshot = message.snapshot
        line = filesystem_line(message.filesystem, message.is_local)
        self.query_one("#disk-filesystem", Static).update(Text(line))
        summary = self.query_one("#disk-summary", DataTable)
        cursor = summary.cursor_row
        summary.clear()
        for key, cells in summary_rows(summarize(message.snapshot)):
            summary.add_row(*cells, key=key)
        summary.loading = False
        summary.move_cursor(row=min(cursor, summary.row_count - 1))
        self.query_one("#disk-detail", DataTable).loading = False
        self._show_detail(self._highlighted_kind())
        summary.focus()

    @on(DiskUsageFailed)
    def show_failure(self, message: DiskUsageFailed) -> None:
        """Say what failed; the last figures, if any, stay on screen."""
        for table_id in ("#disk-summary", "#disk-detail"):
            self.query_one(table_id, DataTable).loading = False
        text = (
            f"Reading disk usage failed: {message.error.message} {message.error.hint}"
        )
        self.query_one("#disk-status", Static).update(Text(text.strip()))

    def _highlighted_kind(self) -> str:
        summary = self.query_one("#disk-summary", DataTable)
        if summary.row_count == 0:
            return "images"
        row_key, _ = summary.coordinate_to_cell_key(summary.cursor_coordinate)
        return str(row_key.value)

    @on(DataTable.RowHighlighted, "#disk-summary")
    def show_highlighted_kind(self, event: DataTable.RowHighlighted) -> None:
        """List the objects of the kind under the cursor."""
        if event.row_key.value is not None:
            self._show_detail(str(event.row_key.value))

    def _show_detail(self, kind: str) -> None:
        if self.snapshot is None:
            return
        columns, rows = DETAIL_BUILDERS[kind](self.snapshot)
        detail = self.query_one("#disk-detail", DataTable)
        detail.clear(columns=True)
        detail.add_columns(*columns)
        for key, cells in rows:
            detail.add_row(*cells, key=key)

    def action_close(self) -> None:
        """Leave the disk screen."""
        self.dismiss(None)

    def action_prune(self, key: str) -> None:
        """Open the preview of the cleanup bound to ``key``."""
        if self.read_only or self.snapshot is None:
            return
        modal = PruneModal(
            self.engine,
            kind=PRUNE_KEYS[key],
            snapshot=self.snapshot,
            labels=self.labels,
        )
        self.app.push_screen(modal, self._after_prune)

    def _after_prune(self, report: PruneReport | None) -> None:
        if report is None:
            return
        self.last_report = report
        self.action_refresh_usage()
