"""Everything about one container, in tabs: overview, processes, environment,
ports, mounts, networks and labels, with copy to the clipboard."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from dockertui.widgets.detail_panel import container_view
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Label, Static, TabbedContent, TabPane

from ..engine.errors import EngineError
from ..state.environment import EnvVar, parse_env
from ..state.records import ContainerRecord
from ..state.text import clean

if TYPE_CHECKING:
    from ..app import DockerTUI

log = logging.getLogger(__name__)

TABS = ("overview", "processes", "environment", "ports", "mounts", "networks", "labels")
PROCESS_REFRESH_SECONDS = 2.0


def process_table(titles: list[str], rows: list[list[str]]) -> Table:
    """Lay out ``top`` output: one row per process, text shown literally."""
    table = Table(box=None, padding=(0, 1), header_style="bold", expand=False)
    for title in titles:
        table.add_column(clean(title), no_wrap=title not in ("CMD", "COMMAND"))
    for row in rows:
        table.add_row(*(Text(clean(cell)) for cell in row))
    return table


def environment_table(variables: list[EnvVar], reveal: bool) -> Table:
    """Lay out the environment; secret-looking values stay masked unless revealed."""
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for variable in variables:
        value = Text(clean(variable.shown_value(reveal)))
        if variable.secret and not reveal:
            value.stylize("dim")
        table.add_row(Text(clean(variable.name)), value)
    return table


def _mount_line(mount: dict[str, Any]) -> str:
    source = clean(str(mount.get("Name") or mount.get("Source") or ""))
    target = clean(str(mount.get("Destination", "")))
    access = "rw" if mount.get("RW", True) else "ro"
    return f"{mount.get('Type', '')}  {source}  →  {target}  ({access})"


def _lines(values: list[str]) -> Text:
    return Text("\n".join(values) if values else "none")


class ContainerDetailScreen(Screen[None]):
    """Show one container in tabs.

    Keys: left/right or 1-7 switch tabs, ``v`` reveals masked values, ``y``
    copies the id and ``Y`` the name (through OSC 52, so it works over SSH),
    ``l`` opens the logs, escape closes.
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back", id="detail-close"),
        Binding("v", "toggle_reveal", "Reveal secrets", id="detail-reveal"),
        Binding("y", "copy('id')", "Copy id", id="detail-copy-id"),
        Binding("Y", "copy('name')", "Copy name", id="detail-copy-name"),
        Binding("l", "logs", "Logs", id="detail-logs"),
        Binding("right", "next_tab(1)", "Next tab", show=False, id="detail-next"),
        Binding("left", "next_tab(-1)", "Previous tab", show=False, id="detail-prev"),
    ] + [
        Binding(str(number), f"show_tab('{name}')", name, show=False, id=f"tab-{name}")
        for number, name in enumerate(TABS, start=1)
    ]

    def __init__(self, container: ContainerRecord) -> None:
        super().__init__()
        self.container = container
        self.inspect: dict[str, Any] = {}
        self.reveal = False

    @property
    def tui(self) -> DockerTUI:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        """Lay out a title, one tab per aspect, and the footer."""
        title = f"{clean(self.container.name)}  {self.container.short_id}"
        yield Label(Text(title), id="container-title")
        with TabbedContent(id="container-tabs"):
            for name in TABS:
                with TabPane(name.capitalize(), id=f"tab-{name}"):
                    with VerticalScroll():
                        yield Static(Text("Reading…"), id=f"body-{name}")
        yield Footer()

    def on_mount(self) -> None:
        """Read inspect and processes, then refresh processes while shown."""
        self._show_overview()
        self._read_inspect()
        self._read_processes()
        self.set_interval(PROCESS_REFRESH_SECONDS, self._read_processes)

    def _body(self, name: str) -> Static:
        return self.query_one(f"#body-{name}", Static)

    def _show_overview(self) -> None:
        record = self.tui.state.containers.get(self.container.id) or self.container
        detail = self.tui.main.details.container(record)
        self._body("overview").update(container_view(record, detail, self.tui.clock()))

    @work(thread=True, exclusive=True, group="detail-inspect", exit_on_error=False)
    def _read_inspect(self) -> None:
        try:
            document = self.tui.engine.inspect("container", self.container.id)
        except EngineError as error:
            self.app.call_from_thread(self._show_error, error)
            return
        self.app.call_from_thread(self._show_inspect, document)

    @work(thread=True, exclusive=True, group="detail-top", exit_on_error=False)
    def _read_processes(self) -> None:
        container = self.tui.state.containers.get(self.container.id) or self.container
        if container.state not in ("running", "paused", "restarting"):
            self.app.call_from_thread(
                self._body("processes").update,
                Text(f"No processes: the container is {clean(container.state)}."),
            )
            return
        try:
            titles, rows = self.tui.engine.top(self.container.id)
        except EngineError as error:
            log.info("top of %s failed: %s", self.container.short_id, error)
            self.app.call_from_thread(
                self._body("processes").update, Text(error.message)
            )
            return
        self.app.call_from_thread(
            self._body("processes").update, process_table(titles, rows)
        )

    def _show_error(self, error: EngineError) -> None:
        for name in TABS[2:]:
            self._body(name).update(Text(error.message))

    def _show_inspect(self, document: dict[str, Any]) -> None:
        self.inspect = document
        self._show_environment()
        config = document.get("Config") or {}
        settings = document.get("NetworkSettings") or {}
        ports = []
        for port, bindings in sorted((settings.get("Ports") or {}).items()):
            targets = [
                f"{b.get('HostIp', '')}:{b.get('HostPort', '')}" for b in bindings or []
            ]
            ports.append(
                f"{port}  →  {', '.join(targets)}"
                if targets
                else f"{port}  (not published)"
            )
        self._body("ports").update(_lines(ports))
        mounts = [_mount_line(mount) for mount in document.get("Mounts") or []]
        self._body("mounts").update(_lines(mounts))
        networks = [
            f"{clean(name)}  ip {net.get('IPAddress') or '-'}  gateway "
            f"{net.get('Gateway') or '-'}  mac {net.get('MacAddress') or '-'}"
            for name, net in sorted((settings.get("Networks") or {}).items())
        ]
        mode = (document.get("HostConfig") or {}).get("NetworkMode") or ""
        self._body("networks").update(_lines(networks or [f"mode {clean(mode)}"]))
        labels = [
            f"{clean(k)}={clean(v)}"
            for k, v in sorted((config.get("Labels") or {}).items())
        ]
        self._body("labels").update(_lines(labels))

    def _show_environment(self) -> None:
        variables = parse_env((self.inspect.get("Config") or {}).get("Env"))
        if not variables:
            self._body("environment").update(Text("none"))
            return
        hidden = sum(1 for v in variables if v.secret)
        note = ""
        if hidden and not self.reveal:
            note = f"{hidden} secret-looking values masked: press v to reveal.\n"
        self._body("environment").update(_env_group(note, variables, self.reveal))

    def action_toggle_reveal(self) -> None:
        """Show or mask the values of secret-looking variables."""
        self.reveal = not self.reveal
        if self.inspect:
            self._show_environment()

    def action_copy(self, what: str) -> None:
        """Copy the container's id or name to the clipboard (OSC 52)."""
        value = self.container.id if what == "id" else self.container.name
        self.app.copy_to_clipboard(value)
        self.notify(f"Copied the {what}: {clean(value)}", timeout=3)

    def action_logs(self) -> None:
        """Open the log viewer for this container."""
        from .logs import LogScreen

        self.app.push_screen(LogScreen(self.tui.engine, [self.container]))

    def action_show_tab(self, name: str) -> None:
        """Switch to one tab."""
        self.query_one(TabbedContent).active = f"tab-{name}"

    def action_next_tab(self, step: int) -> None:
        """Switch to the next (or previous) tab."""
        active = (self.query_one(TabbedContent).active or "tab-overview").removeprefix(
            "tab-"
        )
        self.action_show_tab(TABS[(TABS.index(active) + step) % len(TABS)])

    def action_close(self) -> None:
        """Go back to the main screen."""
        self.dismiss()

    @on(TabbedContent.TabActivated)
    def refresh_overview(self, event: TabbedContent.TabActivated) -> None:
        """Redraw the overview with the latest record when it is shown."""
        if event.pane.id == "tab-overview":
            self._show_overview()


def _env_group(note: str, variables: list[EnvVar], reveal: bool) -> Any:
    from rich.console import Group

    return Group(Text(note, style="italic"), environment_table(variables, reveal))
