"""A cleanup dialog: the exact list and the bytes freed first, then progress, then
what was removed, what was reclaimed and what the engine refused.

The same dialog serves the disk screen's prunes and the removal of marked rows:
``open_prune`` and ``remove_objects`` push it from anywhere in the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, ProgressBar, Static

from ..engine.errors import EngineError
from ..state.disk import DiskSnapshot, LabelFilter
from ..state.format import size
from ..state.prune import PlanItem, PruneKind, PrunePlan, PruneReport, plan_prune
from ..state.removal import plan_removal
from ..state.text import clean, ellipsize_middle

if TYPE_CHECKING:
    from ..engine.client import Engine

log = logging.getLogger(__name__)

Remover = Callable[
    [PrunePlan, DiskSnapshot, Callable[[int, int, PlanItem], None], Callable[[], bool]],
    PruneReport,
]
"""Removes a plan's objects and reports; the default calls the engine."""


def _styles_path() -> str:
    return str(resources.files("dockertui.styles") / "disk.tcss")


@dataclass
class PlanReady(Message):
    """The preview is computed."""

    snapshot: DiskSnapshot
    plan: PrunePlan


@dataclass
class PlanFailed(Message):
    """Reading what to remove failed."""

    error: EngineError


@dataclass
class RemovalProgressed(Message):
    """The remover started on object ``index`` of ``total``."""

    index: int
    total: int
    name: str

    def can_replace(self, message: Message) -> bool:
        """Keep only the newest progress in the queue."""
        return isinstance(message, RemovalProgressed)


@dataclass
class RemovalFinished(Message):
    """The remover is done (or was stopped)."""

    report: PruneReport


def plan_lines(plan: PrunePlan, kept_title: str = "Kept") -> list[str]:
    """Return the text under the list: the notes, then each kept object and why."""
    lines = list(plan.notes)
    for refusal in plan.kept:
        lines.append(
            f"{kept_title}: {refusal.kind} {refusal.name}: {refusal.describe()}"
        )
    return lines


def report_lines(report: PruneReport) -> list[str]:
    """Return what a finished cleanup removed, reclaimed and was refused."""
    lines = [f"Removed {len(report.removed)}, reclaimed {size(report.reclaimed)}."]
    if report.cancelled:
        lines.append("Stopped before the end: the rest was not removed.")
    if report.refused:
        lines.append(f"Refused {len(report.refused)}:")
    for refusal in report.refused:
        lines.append(f"  {refusal.kind} {refusal.name}: {refusal.describe()}")
    return lines


def _item_cells(item: PlanItem) -> tuple[Text, ...]:
    short = item.id.removeprefix("sha256:")[:12]
    reason = item.reason + (f"; {item.note}" if item.note else "")
    return (
        Text(item.kind),
        Text(ellipsize_middle(clean(item.name), 32)),
        Text(short),
        Text(size(item.size), justify="right"),
        Text(clean(reason)),
    )


class PruneModal(ModalScreen[PruneReport | None]):
    """Preview a cleanup, ask y / n, remove with progress and report.

    Dismisses with the ``PruneReport`` after a removal, or None when cancelled
    before anything was removed. Escape cancels the preview, stops a running
    removal after the current object, and closes the report.
    """

    CSS_PATH = _styles_path()
    BINDINGS = [
        Binding("y", "confirm", "Yes, remove", id="prune-yes"),
        Binding("n", "cancel", "No", id="prune-no"),
        Binding("escape", "cancel", "Cancel", id="prune-cancel"),
        Binding(
            "enter",
            "close_report",
            "Close",
            show=False,
            priority=True,
            id="prune-close",
        ),
    ]

    def __init__(
        self,
        engine: Engine | None,
        *,
        kind: PruneKind | None = None,
        object_kind: str = "",
        ids: Sequence[str] = (),
        snapshot: DiskSnapshot | None = None,
        labels: LabelFilter | None = None,
        loader: Callable[[], DiskSnapshot] | None = None,
        remover: Remover | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.kind = kind
        self.object_kind = object_kind
        self.ids = list(ids)
        self.snapshot = snapshot
        self.labels = labels or LabelFilter()
        self.loader = loader
        self.remover = remover
        self.plan: PrunePlan | None = None
        self.report: PruneReport | None = None
        self.phase = "loading"
        self._stop = threading.Event()

    def compose(self) -> ComposeResult:
        """Lay out title, list, notes, progress bar and key hints."""
        with Vertical(id="prune-dialog"):
            yield Label("Reading what would be removed…", id="prune-title")
            table: DataTable[Any] = DataTable(id="prune-items", cursor_type="row")
            table.add_columns("Kind", "Name", "ID", "Frees", "Why")
            yield table
            yield Static("", id="prune-notes")
            yield ProgressBar(id="prune-progress", show_eta=False)
            yield Static("", id="prune-hint")

    def on_mount(self) -> None:
        """Compute the plan, from the given snapshot or a fresh one."""
        self.query_one("#prune-progress").display = False
        self.query_one("#prune-items", DataTable).loading = True
        self._compute_plan()

    # Preview

    def _make_plan(self, snapshot: DiskSnapshot) -> PrunePlan:
        if self.kind is not None:
            return plan_prune(snapshot, self.kind, self.labels)
        return plan_removal(snapshot, self.object_kind, self.ids)

    def _read_snapshot(self) -> DiskSnapshot:
        if self.snapshot is not None:
            return self.snapshot
        if self.loader is not None:
            return self.loader()
        from ..engine.disk import read_disk_usage

        assert self.engine is not None
        return read_disk_usage(self.engine)

    @work(thread=True, exclusive=True, group="prune-plan", exit_on_error=False)
    def _compute_plan(self) -> None:
        try:
            snapshot = self._read_snapshot()
        except EngineError as error:
            self.post_message(PlanFailed(error))
            return
        self.post_message(PlanReady(snapshot, self._make_plan(snapshot)))

    @on(PlanReady)
    def show_plan(self, message: PlanReady) -> None:
        """Show the exact list, the bytes it frees and the question."""
        self.snapshot, self.plan, self.phase = message.snapshot, message.plan, "preview"
        plan = message.plan
        table = self.query_one("#prune-items", DataTable)
        table.loading = False
        for item in plan.items:
            table.add_row(*_item_cells(item), key=item.id)
        title = f"{plan.title}: frees {size(plan.reclaim)}"
        if plan.empty:
            title = f"{plan.title}: nothing to remove"
        self.query_one("#prune-title", Label).update(Text(title))
        kept_title = "Kept" if self.kind is not None else "Refused"
        notes = "\n".join(plan_lines(plan, kept_title))
        self.query_one("#prune-notes", Static).update(Text(notes))
        hint = "escape closes" if plan.empty else "y remove   n / escape cancel"
        self.query_one("#prune-hint", Static).update(Text(hint))
        self.refresh_bindings()

    @on(PlanFailed)
    def show_plan_failure(self, message: PlanFailed) -> None:
        """Say why no preview could be made."""
        self.phase = "failed"
        self.query_one("#prune-items", DataTable).loading = False
        text = f"Reading what would be removed failed: {message.error.message}"
        self.query_one("#prune-title", Label).update(Text(text))
        self.query_one("#prune-hint", Static).update(Text("escape closes"))

    # Removal

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enable y only while a non-empty preview waits for confirmation."""
        if action == "confirm":
            return (
                self.phase == "preview"
                and self.plan is not None
                and not self.plan.empty
            )
        return True

    def action_confirm(self) -> None:
        """Remove the previewed objects, one by one, in a worker."""
        if not self.check_action("confirm", ()):
            return
        self.phase = "running"
        bar = self.query_one("#prune-progress", ProgressBar)
        bar.display = True
        assert self.plan is not None
        bar.update(total=len(self.plan.items), progress=0)
        self.query_one("#prune-hint", Static).update(
            Text("escape stops after this one")
        )
        self.refresh_bindings()
        self._remove()

    @work(thread=True, exclusive=True, group="prune-remove", exit_on_error=False)
    def _remove(self) -> None:
        assert self.plan is not None and self.snapshot is not None

        def progressed(index: int, total: int, item: PlanItem) -> None:
            self.post_message(RemovalProgressed(index, total, item.name))

        remover = self.remover or self._engine_remover
        report = remover(self.plan, self.snapshot, progressed, self._stop.is_set)
        self.post_message(RemovalFinished(report))

    def _engine_remover(
        self,
        plan: PrunePlan,
        snapshot: DiskSnapshot,
        progressed: Callable[[int, int, PlanItem], None],
        stopped: Callable[[], bool],
    ) -> PruneReport:
        from ..engine.disk import remove_planned

        assert self.engine is not None
        return remove_planned(self.engine, plan, snapshot, progressed, stopped)

    @on(RemovalProgressed)
    def show_progress(self, message: RemovalProgressed) -> None:
        """Advance the bar and name the object being removed."""
        self.query_one("#prune-progress", ProgressBar).update(progress=message.index)
        name = clean(message.name)
        text = f"Removing {message.index + 1} of {message.total}: {name}"
        self.query_one("#prune-title", Label).update(Text(text))

    @on(RemovalFinished)
    def show_report(self, message: RemovalFinished) -> None:
        """Replace the preview by what was removed, reclaimed and refused."""
        self.report, self.phase = message.report, "done"
        report = message.report
        bar = self.query_one("#prune-progress", ProgressBar)
        bar.update(progress=len(report.removed) + len(report.refused))
        table = self.query_one("#prune-items", DataTable)
        removed_ids = {item.id for item in report.removed}
        for item in self.plan.items if self.plan else ():
            if item.id not in removed_ids:
                table.remove_row(item.id)
        title = "Removed" if not report.refused else "Removed, with refusals"
        self.query_one("#prune-title", Label).update(Text(title))
        self.query_one("#prune-notes", Static).update(
            Text("\n".join(report_lines(report)))
        )
        self.query_one("#prune-hint", Static).update(Text("enter / escape closes"))
        self.refresh_bindings()

    def action_cancel(self) -> None:
        """Cancel the preview, stop a running removal, or close the report."""
        if self.phase == "running":
            self._stop.set()
            return
        self.dismiss(self.report)

    def action_close_report(self) -> None:
        """Close the report."""
        if self.phase in ("done", "failed"):
            self.dismiss(self.report)


def open_prune(
    app: App[Any],
    engine: Engine,
    kind: PruneKind,
    callback: Callable[[PruneReport | None], None] | None = None,
) -> PruneModal:
    """Push the preview of the cleanup ``kind`` and return the dialog."""
    modal = PruneModal(engine, kind=kind)
    app.push_screen(modal, callback)
    return modal


def remove_objects(
    app: App[Any],
    engine: Engine,
    object_kind: str,
    ids: Sequence[str],
    callback: Callable[[PruneReport | None], None] | None = None,
) -> PruneModal:
    """Push the removal preview of marked objects (``container``, ``image``,
    ``volume`` or ``network`` ids) and return the dialog."""
    modal = PruneModal(engine, object_kind=object_kind, ids=ids)
    app.push_screen(modal, callback)
    return modal
