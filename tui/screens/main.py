"""The main screen: four panes of engine objects, a detail panel and the keys."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dockertui.widgets.detail_panel import DetailPanel
from dockertui.widgets.engine_header import EngineHeader
from dockertui.widgets.host_bar import HostBar
from dockertui.widgets.resource_table import ResourceTable
from dockertui.widgets.stats_panel import StatsPanel
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from .. import messages as msg
from ..engine.errors import EngineError
from ..first_frame import column_space, table_width
from ..state.records import ContainerRecord, EngineInfo
from ..state.views import (
    COLUMNS,
    CONTAINER_SORT_KEY,
    PANES,
    ROW_BUILDERS,
    Row,
    container_pane_rows,
    filter_rows,
    fit_columns,
    pane_columns,
    sort_rows,
)
from ..stats_feed import CPU_MODE_NAMES
from . import actions, details

if TYPE_CHECKING:
    from ..app import DockerTUI

log = logging.getLogger(__name__)

PANE_TITLES = {
    "containers": "1 Containers",
    "images": "2 Images",
    "networks": "3 Networks",
    "volumes": "4 Volumes",
}
RENDER_DELAY_SECONDS = 0.1
"""Changes arriving within this window are drawn together."""
FIRST_RENDER_DELAY_SECONDS = 0.005
"""Delay of the first redraw of an empty pane; Textual timers need one above 0."""

DETAIL_DELAY_SECONDS = 0.15
"""How long the cursor must rest on a container before its detail is read."""


class PaneView:
    """Display state of one pane: filter text, sort column and marked rows."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.filter_text = ""
        self.sort_key = CONTAINER_SORT_KEY if kind == "containers" else "name"
        self.sort_reverse = False
        self.marked: set[str] = set()
        self.rows: dict[str, Row] = {}


class MainScreen(Screen[None]):
    """Containers, images, networks and volumes of one engine, live."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (180, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS = [
        Binding("1", "show_pane('containers')", "Containers", show=False, id="pane-1"),
        Binding("2", "show_pane('images')", "Images", show=False, id="pane-2"),
        Binding("3", "show_pane('networks')", "Networks", show=False, id="pane-3"),
        Binding("4", "show_pane('volumes')", "Volumes", show=False, id="pane-4"),
        Binding(
            "tab",
            "next_pane(1)",
            "Next pane",
            show=False,
            priority=True,
            id="next-pane",
        ),
        Binding(
            "shift+tab",
            "next_pane(-1)",
            "Previous pane",
            show=False,
            priority=True,
            id="prev-pane",
        ),
        Binding("slash", "filter", "Filter", id="filter"),
        Binding(
            "escape", "clear_filter", "Clear filter", show=False, id="clear-filter"
        ),
        Binding("o", "cycle_sort", "Sort", id="sort"),
        Binding("O", "reverse_sort", "Reverse sort", show=False, id="reverse-sort"),
        Binding("a", "toggle_all", "All/running", id="toggle-all"),
        Binding("c", "sort_by('cpu')", "Sort CPU", show=False, id="sort-cpu"),
        Binding("m", "sort_by('memory')", "Sort memory", show=False, id="sort-memory"),
        Binding("C", "cycle_cpu_scale", "CPU scale", show=False, id="cpu-scale"),
        Binding("space", "toggle_mark", "Mark", show=False, id="mark"),
        Binding("u", "start", "Start", id="start"),
        Binding("s", "stop", "Stop", id="stop"),
        Binding("r", "restart", "Restart", id="restart"),
        Binding("p", "pause", "Pause/unpause", id="pause"),
        Binding("K", "kill", "Kill", id="kill"),
        Binding("d", "remove", "Remove", id="remove"),
        Binding("i", "inspect", "Inspect", id="inspect"),
        Binding("l", "logs", "Logs", id="logs"),
        Binding("e", "shell", "Shell", id="shell"),
        Binding("D", "disk", "Disk usage", id="disk"),
        Binding("P", "pull", "Pull", show=False, id="pull"),
        Binding("t", "tag", "Tag", show=False, id="tag"),
        Binding("U", "push", "Push", show=False, id="push"),
        Binding("b", "build", "Build", show=False, id="build"),
        Binding("asterisk", "mark_all", "Mark all", show=False, id="mark-all"),
        Binding(
            "exclamation_mark",
            "invert_marks",
            "Invert marks",
            show=False,
            id="invert-marks",
        ),
        Binding("R", "reconnect", "Reconnect", show=False, id="reconnect"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views = {kind: PaneView(kind) for kind in PANES}
        self.running_only = False
        self.current = "containers"
        self._detail_timer: Timer | None = None
        self.details = details.DetailCache()
        self.pending_selection: tuple[str, str] | None = None
        self._dirty: set[str] = set(PANES)
        self._filter_typing = False
        self._render_timer: Timer | None = None

    @property
    def tui(self) -> DockerTUI:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Lay out the header, the panes and their filter, the detail, the footer."""
        yield EngineHeader(id="header")
        yield HostBar(id="host")
        yield Static(id="banner")
        with Container(id="body"):
            with Vertical(id="lists"):
                with TabbedContent(id="panes"):
                    for kind in PANES:
                        with TabPane(PANE_TITLES[kind], id=f"pane-{kind}"):
                            yield ResourceTable(id=f"table-{kind}")
                yield Input(
                    placeholder="filter: text in any column (escape clears)",
                    id="filter",
                )
            yield DetailPanel(id="detail")
        yield Footer()

    def on_compose(self) -> None:
        """Apply the size classes before the first layout.

        Textual sets them on the first resize event, after the first frame,
        so that frame had the narrow layout and the columns moved when the
        detail panel then moved beside the table.
        """
        # NOTE: Textual 8.2.8 keeps _get_breakpoint_classes private, so an
        # upgrade may rename it.
        horizontal = self.HORIZONTAL_BREAKPOINTS
        vertical = self.VERTICAL_BREAKPOINTS
        width, height = self.app.size
        wanted = self._get_breakpoint_classes(width, horizontal)
        wanted |= self._get_breakpoint_classes(height, vertical)
        self.update_classes(
            {name: name in wanted for _, name in horizontal + vertical},
            animate=False,
        )

    def on_mount(self) -> None:
        """Show the endpoint and read-only state before the engine responds."""
        header = self.query_one(EngineHeader)
        header.endpoint = self.tui.endpoint.display
        header.read_only = self.tui.read_only
        self.query_one("#filter", Input).display = False
        self.query_one("#banner", Static).display = False
        # The host bar keeps its place from the start, so the table does not
        # move down when the first figures arrive.
        self.table("containers").focus()
        if self.tui.state.containers.loaded:
            self.show_change(set(PANES))

    def on_resize(self) -> None:
        """Fit the columns to the new width."""
        self.show_change(set(PANES))

    # Called by the app

    def show_engine(self, info: EngineInfo) -> None:
        """Show the connected engine's version in the header."""
        self.query_one(EngineHeader).info = info
        self.query_one("#banner", Static).display = False

    def show_link(self, text: str, live: bool) -> None:
        """Show the connection state in the header."""
        header = self.query_one(EngineHeader)
        header.link = text
        header.live = live

    def show_unreachable(self, error: EngineError, retry_in: float) -> None:
        """Explain why the engine cannot be reached and when the next try is."""
        self.show_link("engine unreachable", live=False)
        banner = self.query_one("#banner", Static)
        text = Text()
        text.append(error.message, style="bold")
        if error.hint:
            text.append(f"\n{error.hint}")
        text.append(f"\nRetrying in {retry_in:.0f} s (R retries now).")
        if self.tui.state.containers.loaded:
            text.append(" The lists below are the last data read and may be stale.")
        banner.update(text)
        banner.display = True
        if self.tui.stats.host is None:
            self.query_one(HostBar).display = False
        self.show_change(set(PANES))

    def show_change(self, kinds: set[str]) -> None:
        """Mark panes for redraw; the shown one is redrawn at most every 0.1 s.

        Hidden panes are redrawn when they are shown, so a burst of events
        costs one redraw of one table.
        """
        if "containers" in kinds:
            kinds = kinds | {"images", "networks", "volumes"}
        self._dirty |= kinds
        if self._render_timer is None and self.is_mounted:
            # The first rows are what the operator waits for, so they get no delay.
            empty = self.table(self.current).row_count == 0
            self._render_timer = self.set_timer(
                FIRST_RENDER_DELAY_SECONDS if empty else RENDER_DELAY_SECONDS,
                self._render_dirty,
            )

    def _render_dirty(self) -> None:
        self._render_timer = None
        state = self.tui.state
        header = self.query_one(EngineHeader)
        header.counts = state.counts() if state.containers.loaded else None
        header.totals = tuple(
            len(collection) if collection.loaded else None
            for collection in (state.images, state.networks, state.volumes)
        )
        if self.current in self._dirty:
            self._dirty.discard(self.current)
            with self.app.batch_update():
                self._render_pane(self.current)
        self._apply_pending_selection()
        self._update_tab_labels()
        self.schedule_detail()

    def _render_pane(self, kind: str) -> None:
        view = self.views[kind]
        table = self.table(kind)
        width = column_space(table.size.width or table_width(self.app.size.width))
        columns = fit_columns(pane_columns(kind, self.tui.state), width)
        if kind == "containers":
            stats = self.tui.stats
            rows = container_pane_rows(
                self.tui.state,
                self.tui.clock(),
                columns,
                stats.tracker,
                stats.cpu_mode,
                self.running_only,
            )
        else:
            rows = ROW_BUILDERS[kind](self.tui.state, self.tui.clock())
        view.rows = {row.key: row for row in rows}
        # Drop marks of objects that are gone, not of rows a view hides.
        if kind == "containers":
            existing = set(self.tui.state.containers.by_id)
        else:
            existing = set(view.rows)
        view.marked &= existing
        shown = filter_rows(
            rows, view.filter_text, [column.key for column, _ in columns]
        )
        shown = sort_rows(shown, view.sort_key, view.sort_reverse)
        table.show_rows(
            columns,
            shown,
            marked=frozenset(view.marked),
            stale=self.tui.state.stale,
            sort_key=view.sort_key,
            sort_reverse=view.sort_reverse,
        )

    def show_stats(self) -> None:
        """Show a new sweep of resource figures: table cells, host bar, detail."""
        if not self.is_mounted:
            return
        stats = self.tui.stats
        host_bar = self.query_one(HostBar)
        host_bar.figures = stats.host
        host_bar.display = stats.host is not None
        self.query_one(EngineHeader).stats_note = (
            f"stats: {stats.source} · {CPU_MODE_NAMES[stats.cpu_mode]}"
            if stats.source
            else ""
        )
        if self.current == "containers":
            self._render_pane("containers")
        else:
            self._dirty.add("containers")
        self._show_container_stats()

    def _show_container_stats(self) -> None:
        panel = self.query_one(StatsPanel)
        container = self.selected_container()
        panel.display = container is not None and container.state in (
            "running",
            "paused",
        )
        if not panel.display or container is None:
            return
        tracker = self.tui.stats.tracker
        panel.show_stats(
            tracker.latest(container.id),
            tracker.history(container.id),
            self.tui.stats.cpu_mode,
            self.tui.stats.source,
        )

    def action_sort_by(self, column_key: str) -> None:
        """Sort the containers pane by one figure, largest first."""
        self.action_show_pane("containers")
        view = self.views["containers"]
        view.sort_key, view.sort_reverse = column_key, True
        self._render_sorted("containers")

    def _render_sorted(self, kind: str) -> None:
        """Redraw a pane after its order changed, with the first row selected.

        Sorting is how an operator finds the busiest container, so the rows
        that sort first must be on screen, not wherever the cursor was.
        """
        self._render_pane(kind)
        table = self.table(kind)
        if table.row_count:
            table.move_cursor(row=0, animate=False)
            table.scroll_home(animate=False, immediate=True)

    def action_cycle_cpu_scale(self) -> None:
        """Switch CPU figures between one core, the whole host and the limit."""
        name = self.tui.stats.next_cpu_mode()
        self.notify(name, timeout=3)
        self.show_stats()

    def _update_tab_labels(self) -> None:
        tabs = self.query_one(TabbedContent)
        state = self.tui.state
        for kind in PANES:
            view = self.views[kind]
            count = len(getattr(state, kind))
            if kind == "containers" and self.running_only:
                count = len(view.rows)
            label = f"{PANE_TITLES[kind]} ({count})"
            if not getattr(state, kind).loaded:
                label = PANE_TITLES[kind]
            elif kind == "containers" and self.running_only:
                label = f"{PANE_TITLES[kind]} (running {count})"
            if view.filter_text:
                label += " ⧩"
            tab = tabs.get_tab(f"pane-{kind}")
            if str(tab.label) != label:
                tab.label = label

    # Selection and detail

    def table(self, kind: str) -> ResourceTable:
        """Return the table of one pane."""
        return self.query_one(f"#table-{kind}", ResourceTable)

    def selected_key(self) -> str | None:
        """Return the key of the highlighted row in the current pane."""
        return self.table(self.current).cursor_key

    def selected_container(self) -> ContainerRecord | None:
        """Return the highlighted container, when the containers pane is shown."""
        if self.current != "containers":
            return None
        key = self.selected_key()
        return self.tui.state.containers.get(key) if key else None

    @on(ResourceTable.RowHighlighted)
    def follow_cursor(self, event: ResourceTable.RowHighlighted) -> None:
        """Refresh the actions offered and the detail of the highlighted row."""
        self.refresh_bindings()
        self.schedule_detail()

    @on(ResourceTable.RowSelected)
    def open_container_detail(self, event: ResourceTable.RowSelected) -> None:
        """Open the tabbed detail of a container on enter."""
        container = self.selected_container()
        if container is not None:
            from .container_detail import ContainerDetailScreen

            self.app.push_screen(ContainerDetailScreen(container))

    @on(TabbedContent.TabActivated)
    def remember_pane(self, event: TabbedContent.TabActivated) -> None:
        """Track which pane is shown and focus its table."""
        pane_id = event.pane.id or ""
        self.current = pane_id.removeprefix("pane-")
        if self.current in self._dirty:
            self._dirty.discard(self.current)
            self._render_pane(self.current)
        field = self.query_one("#filter", Input)
        field.value = self.views[self.current].filter_text
        field.display = bool(field.value)
        self._filter_typing = False
        self.table(self.current).focus()
        self.refresh_bindings()
        self.schedule_detail()

    def schedule_detail(self) -> None:
        """Show what is known of the selection now, and read the rest shortly."""
        self.query_one(DetailPanel).show(details.render(self))
        self._show_container_stats()
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY_SECONDS, self._read_detail)

    def _read_detail(self) -> None:
        self._detail_timer = None
        request = self.details.missing(self)
        if request is not None and self.tui.connected:
            self._load_detail(*request)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, kind: str, key: str) -> None:
        try:
            if kind == "container":
                self.post_message(
                    msg.DetailLoaded(self.tui.engine.container_detail(key))
                )
            else:
                history = self.tui.engine.image_history(key)
                layers = [
                    (str(layer.get("CreatedBy") or ""), int(layer.get("Size") or 0))
                    for layer in history
                ]
                self.post_message(msg.ImageLayersLoaded(key, layers))
        except EngineError as error:
            log.info("reading detail of %s %s failed: %s", kind, key[:12], error)

    @on(msg.DetailLoaded)
    def show_detail(self, message: msg.DetailLoaded) -> None:
        """Keep a container's inspect detail and show it if still selected."""
        self.details.containers[message.detail.id] = message.detail
        self.query_one(DetailPanel).show(details.render(self))

    @on(msg.ImageLayersLoaded)
    def show_layers(self, message: msg.ImageLayersLoaded) -> None:
        """Keep an image's layers and show them if still selected."""
        self.details.layers[message.image_id] = list(message.layers)
        self.query_one(DetailPanel).show(details.render(self))

    # Panes, filter, sort, marks

    def action_show_pane(self, kind: str) -> None:
        """Switch to one pane."""
        self.query_one(TabbedContent).active = f"pane-{kind}"

    def action_next_pane(self, step: int) -> None:
        """Switch to the next (or previous) pane, unless the filter has focus."""
        if isinstance(self.focused, Input):
            self.focus_next() if step > 0 else self.focus_previous()
            return
        index = (PANES.index(self.current) + step) % len(PANES)
        self.action_show_pane(PANES[index])

    def action_filter(self) -> None:
        """Open the filter line for the current pane."""
        field = self.query_one("#filter", Input)
        field.display = True
        field.value = self.views[self.current].filter_text
        self._filter_typing = True
        self.set_focus(field)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Stop redirecting keys once the filter loses focus (a click elsewhere)."""
        if event.widget.id == "filter":
            self._filter_typing = False

    def action_clear_filter(self) -> None:
        """Clear the current pane's filter and close the filter line."""
        field = self.query_one("#filter", Input)
        self.views[self.current].filter_text = ""
        field.value = ""
        field.display = False
        self._filter_typing = False
        self.table(self.current).focus()
        self._render_pane(self.current)
        self._update_tab_labels()

    def on_key(self, event: events.Key) -> None:
        """Hand the filter the keys that were queued for the table before it.

        Textual delivers a key to the widget focused when the key arrived, and
        resolves bindings only when the key bubbles up to the app. So a word
        typed in one burst after "/" reaches the table and would run actions
        (d removes, e opens a shell). From "/" on, until the filter closes,
        printable keys that bubble up here go to the filter instead.
        """
        field = self.query_one("#filter", Input)
        if event.key == "slash" and not self._filter_typing:
            self._filter_typing = True
            return
        if self._filter_typing and event.is_printable:
            event.stop()
            event.prevent_default()
            field.post_message(events.Key(event.key, event.character))

    @on(Input.Changed, "#filter")
    def apply_filter(self, event: Input.Changed) -> None:
        """Filter the current pane as the operator types."""
        self.views[self.current].filter_text = event.value
        self._render_pane(self.current)
        self._update_tab_labels()

    @on(Input.Submitted, "#filter")
    def leave_filter(self, event: Input.Submitted) -> None:
        """Keep the filter and go back to the table."""
        if not event.value:
            self.query_one("#filter", Input).display = False
        self._filter_typing = False
        self.table(self.current).focus()

    def action_cycle_sort(self) -> None:
        """Sort the current pane by the next shown column."""
        view = self.views[self.current]
        keys = [column.key for column in COLUMNS[self.current]]
        shown = [key for key in keys if key in self._shown_columns()] or keys
        position = shown.index(view.sort_key) if view.sort_key in shown else -1
        view.sort_key = shown[(position + 1) % len(shown)]
        view.sort_reverse = self._descending(view.sort_key)
        self._render_sorted(self.current)

    def action_reverse_sort(self) -> None:
        """Reverse the current pane's sort order."""
        view = self.views[self.current]
        view.sort_reverse = not view.sort_reverse
        self._render_sorted(self.current)

    @on(ResourceTable.SortRequested)
    def sort_by_header(self, event: ResourceTable.SortRequested) -> None:
        """Sort by a clicked header; a second click reverses the order."""
        view = self.views[self.current]
        if view.sort_key == event.column_key:
            view.sort_reverse = not view.sort_reverse
        else:
            view.sort_key = event.column_key
            view.sort_reverse = self._descending(event.column_key)
        self._render_sorted(self.current)

    def _descending(self, column_key: str) -> bool:
        columns = {column.key: column for column in COLUMNS[self.current]}
        column = columns.get(column_key)
        return bool(column and column.descending)

    def _shown_columns(self) -> list[str]:
        table = self.table(self.current)
        return [str(key.value) for key in table.columns]

    def action_toggle_all(self) -> None:
        """Show all containers, or only running ones."""
        self.running_only = not self.running_only
        self._render_pane("containers")
        self._update_tab_labels()

    def action_toggle_mark(self) -> None:
        """Mark or unmark the highlighted row, then move down."""
        key = self.selected_key()
        if key is None:
            return
        marked = self.views[self.current].marked
        marked.symmetric_difference_update({key})
        self._render_pane(self.current)
        table = self.table(self.current)
        table.action_cursor_down()

    def action_mark_all(self) -> None:
        """Mark every shown row of the pane, or clear the marks if all are marked."""
        view = self.views[self.current]
        shown = set(self.table(self.current).shown_keys())
        view.marked = set() if shown <= view.marked else view.marked | shown
        self._render_pane(self.current)
        self.refresh_bindings()

    def action_invert_marks(self) -> None:
        """Mark the shown rows that are not marked, and unmark the others."""
        view = self.views[self.current]
        view.marked = set(self.table(self.current).shown_keys()) ^ view.marked
        self._render_pane(self.current)
        self.refresh_bindings()

    def action_disk(self) -> None:
        """Open the disk usage view with its cleanup actions."""
        actions.disk(self)

    def action_pull(self) -> None:
        """Pull an image by name."""
        actions.pull(self)

    def action_tag(self) -> None:
        """Add a tag to the highlighted image."""
        actions.tag(self)

    def action_push(self) -> None:
        """Push the highlighted image tag to its registry."""
        actions.push(self)

    def action_build(self) -> None:
        """Build an image from a directory with a Dockerfile."""
        actions.build(self)

    def select_when_listed(self, kind: str, key_prefix: str) -> None:
        """Move the cursor to the first row whose key starts with ``key_prefix``."""
        self.pending_selection = (kind, key_prefix)
        self._apply_pending_selection()

    def _apply_pending_selection(self) -> None:
        if self.pending_selection is None:
            return
        kind, prefix = self.pending_selection
        table = self.table(kind)
        for index, key in enumerate(table.shown_keys()):
            if key.startswith(prefix):
                self.action_show_pane(kind)
                table.move_cursor(row=index)
                self.pending_selection = None
                return

    def action_reconnect(self) -> None:
        """Retry the engine now, or re-read everything when connected."""
        if self.tui.connected:
            self.tui.load_lists()
        else:
            self.tui.connect_engine()

    # Actions on the selection (rules and confirmation live in actions.py)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the actions that make sense for the selection."""
        return actions.is_available(self, action)

    def unavailable_reason(self, action: str) -> str:
        """Say why ``action`` is not offered for the current selection."""
        return actions.unavailable_reason(self, action)

    def help_rows(self) -> list[tuple[str, str, bool]]:
        """List (key, description, available now) for the help screen."""
        rows = [("enter", "Container details: processes, environment, ports…", True)]
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            action = binding.action.split("(")[0]
            available = self.check_action(action, ()) is not False
            rows.append((binding.key, binding.description, available))
        return rows

    def action_start(self) -> None:
        """Start the highlighted container."""
        actions.simple(self, "start")

    def action_stop(self) -> None:
        """Stop the highlighted container."""
        actions.simple(self, "stop")

    def action_restart(self) -> None:
        """Restart the highlighted container."""
        actions.simple(self, "restart")

    def action_pause(self) -> None:
        """Pause the highlighted container, or unpause it when paused."""
        actions.simple(self, "pause")

    def action_kill(self) -> None:
        """Kill the highlighted container (SIGKILL)."""
        actions.simple(self, "kill")

    def action_remove(self) -> None:
        """Ask to remove the highlighted (or marked) objects."""
        actions.remove(self)

    def action_inspect(self) -> None:
        """Show the full inspect JSON of the highlighted object."""
        actions.inspect(self)

    def action_logs(self) -> None:
        """Follow the logs of the highlighted (or marked) containers."""
        actions.logs(self)

    def action_shell(self) -> None:
        """Open a shell in the highlighted container."""
        actions.shell(self)

    def marked_or_selected(self) -> list[str]:
        """Return the marked rows that are shown, else the highlighted row.

        Marked rows that the filter hides are never acted on: an operator
        acts on what is on screen.
        """
        view = self.views[self.current]
        shown = self.table(self.current).shown_keys()
        visible_marked = [key for key in shown if key in view.marked]
        if visible_marked:
            return visible_marked
        key = self.selected_key()
        return [key] if key else []

    def row_object(self, key: str) -> Any:
        """Return the record behind a row key of the current pane."""
        state = self.tui.state
        if self.current == "images":
            return state.images.get(key.split("|", 1)[0])
        collection = getattr(state, self.current)
        return collection.get(key)
