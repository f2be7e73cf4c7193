"""The detail panel: everything about the highlighted container, image, network
or volume, laid out as labelled fields."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from dockertui.state import format as fmt
from dockertui.state.records import (
    ContainerDetail,
    ContainerRecord,
    ImageRecord,
    NetworkRecord,
    VolumeRecord,
)
from dockertui.state.text import clean
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


def _fields(rows: Iterable[tuple[str, str | Text]]) -> Table:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        cell = value if isinstance(value, Text) else Text(value)
        grid.add_row(label, cell)
    return grid


def _section(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _lines(values: Sequence[str], empty: str = "none") -> Text:
    return Text("\n".join(values) if values else empty)


def container_view(
    container: ContainerRecord, detail: ContainerDetail | None, now: datetime
) -> RenderableType:
    """Lay out a container's list record and, once read, its inspect detail."""
    rows: list[tuple[str, str | Text]] = [
        ("Name", clean(container.name)),
        ("ID", container.short_id),
        ("Image", clean(container.image)),
        ("State", clean(container.state)),
        ("Status", clean(container.status) or "-"),
        ("Command", clean(container.command) or "-"),
        ("Created", fmt.ago(container.created, now)),
    ]
    if container.health.value:
        rows.append(("Health", container.health.value))
    if container.compose_project:
        rows.append(("Project", clean(container.compose_project)))
    if detail is not None:
        rows.extend(_detail_rows(detail, now))
    else:
        rows.append(("Restart", "reading…"))
    parts: list[RenderableType] = [_fields(rows)]
    parts += [_section("Ports"), _lines([p.label() for p in container.ports])]
    mounts = [
        f"{m.kind or 'mount'} {clean(m.volume_name or m.source)} → "
        f"{clean(m.destination)} ({'ro' if m.read_only else 'rw'})"
        for m in container.mounts
    ]
    parts += [_section("Mounts"), _lines(mounts)]
    networks = [
        f"{clean(n.network_name)}  {n.ip_address or '-'}"
        + (f"  {n.ipv6_address}" if n.ipv6_address else "")
        for n in container.networks
    ]
    if container.network_mode and not networks:
        networks = [f"mode {clean(container.network_mode)}"]
    parts += [_section("Networks"), _lines(networks)]
    labels = [f"{clean(key)}={clean(value)}" for key, value in container.labels]
    parts += [_section("Labels"), _lines(labels)]
    return Group(*parts)


def _detail_rows(detail: ContainerDetail, now: datetime) -> list[tuple[str, str]]:
    restart = detail.restart_policy
    if detail.restart_count:
        restart += f" (restarted {detail.restart_count} times)"
    rows = [
        ("Restart", restart),
        ("Started", fmt.ago(detail.started_at, now) if detail.started_at else "never"),
    ]
    if detail.finished_at is not None:
        rows.append(("Finished", fmt.ago(detail.finished_at, now)))
    if detail.exit_code is not None and (detail.finished_at or detail.error):
        rows.append(("Exit code", str(detail.exit_code)))
    if detail.error:
        rows.append(("Error", clean(detail.error)))
    if detail.entrypoint:
        rows.append(("Entrypoint", clean(detail.entrypoint)))
    if detail.pid:
        rows.append(("PID", str(detail.pid)))
    if detail.health_log:
        rows.append(("Last check", clean(detail.health_log[-1])))
    return rows


def image_view(
    image: ImageRecord, users: Sequence[ContainerRecord], now: datetime
) -> RenderableType:
    """Lay out an image's tags, digests, size and users."""
    rows: list[tuple[str, str | Text]] = [
        ("ID", image.id),
        ("Size", fmt.size(image.size)),
        ("Created", fmt.ago(image.created, now)),
        ("Status", "dangling" if image.dangling else "tagged"),
    ]
    parts: list[RenderableType] = [_fields(rows)]
    parts += [_section("Tags"), _lines([clean(tag) for tag in image.tags])]
    parts += [_section("Digests"), _lines([clean(d) for d in image.digests])]
    user_lines = [f"{clean(user.name)} ({clean(user.state)})" for user in users]
    parts += [_section("Used by"), _lines(user_lines)]
    labels = [f"{clean(key)}={clean(value)}" for key, value in image.labels]
    parts += [_section("Labels"), _lines(labels)]
    return Group(*parts)


def layers_view(history: Sequence[tuple[str, int]]) -> RenderableType:
    """Lay out an image's layers: the command that made each one, and its size."""
    lines = Text()
    for command, size in history:
        lines.append(f"{fmt.size(size):>8}  ", style="bold")
        lines.append(clean(command)[:200] + "\n")
    return Group(_section("Layers"), lines or Text("none"))


def network_view(
    network: NetworkRecord, users: Sequence[ContainerRecord]
) -> RenderableType:
    """Lay out a network and the containers attached to it."""
    rows: list[tuple[str, str | Text]] = [
        ("Name", clean(network.name)),
        ("ID", network.short_id),
        ("Driver", clean(network.driver)),
        ("Scope", clean(network.scope)),
        ("Subnets", ", ".join(network.subnets) or "-"),
        ("Internal", "yes" if network.internal else "no"),
        ("Kind", "predefined (cannot be removed)" if network.predefined else "user"),
    ]
    attached = []
    for user in users:
        address = next(
            (n.ip_address for n in user.networks if n.network_name == network.name), ""
        )
        attached.append(f"{clean(user.name)}  {address or '-'}  ({clean(user.state)})")
    labels = [f"{clean(key)}={clean(value)}" for key, value in network.labels]
    return Group(
        _fields(rows),
        _section("Containers"),
        _lines(attached),
        _section("Labels"),
        _lines(labels),
    )


def volume_view(
    volume: VolumeRecord, users: Sequence[ContainerRecord], now: datetime
) -> RenderableType:
    """Lay out a volume and the containers that mount it."""
    rows: list[tuple[str, str | Text]] = [
        ("Name", clean(volume.name)),
        ("Kind", "anonymous" if volume.anonymous else "named"),
        ("Driver", clean(volume.driver)),
        ("Mountpoint", clean(volume.mountpoint)),
        ("Created", fmt.ago(volume.created, now)),
    ]
    user_lines = [f"{clean(user.name)} ({clean(user.state)})" for user in users]
    labels = [f"{clean(key)}={clean(value)}" for key, value in volume.labels]
    return Group(
        _fields(rows),
        _section("Used by"),
        _lines(user_lines),
        _section("Labels"),
        _lines(labels),
    )


class DetailPanel(VerticalScroll):
    """A scrollable panel that shows one renderable: the highlighted object's detail."""

    DEFAULT_CSS = """
    DetailPanel {
        height: 1fr;
        padding: 0 1;
    }
    DetailPanel > Static {
        width: 1fr;
    }
    """

    def compose(self):  # type: ignore[no-untyped-def]
        """Add the resource graphs and the Static that contains the fields."""
        from dockertui.widgets.stats_panel import StatsPanel

        yield StatsPanel(id="detail-stats")
        yield Static(Text("Nothing selected."), id="detail-body")

    def show(self, content: RenderableType) -> None:
        """Replace the content, keeping the scroll position."""
        self.query_one("#detail-body", Static).update(content)
