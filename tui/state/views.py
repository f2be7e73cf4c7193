"""What each pane shows: columns, row text, filtering and sorting.

Rows are built from records here, as plain text that has already been cleaned
of escape sequences, so widgets only lay them out and colour them by ``tone``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from . import format as fmt
from .records import ContainerRecord, Health
from .stats import ContainerStats, StatsTracker
from .store import EngineState
from .text import cell_width, clean, ellipsize_middle, take_cells

PANES = ("containers", "images", "networks", "volumes")


@dataclass(frozen=True)
class Column:
    """One column of a pane.

    ``priority`` decides which columns remain on a narrow terminal (lower stays
    longer). ``width`` is the preferred width; ``flexible`` columns share the
    space left over, up to ``max_width``.
    """

    key: str
    title: str
    width: int
    priority: int
    flexible: bool = False
    max_width: int = 0
    cut_middle: bool = False
    align_right: bool = False
    descending: bool = False
    """True for figures whose first sort shows the largest value first."""


@dataclass(frozen=True)
class Row:
    """One row of a pane: its key, cell text by column key, and sort values."""

    key: str
    cells: dict[str, str]
    sort_values: dict[str, Any]
    tone: str = ""


CONTAINER_COLUMNS = (
    Column("name", "Name", 18, 0, flexible=True, max_width=40, cut_middle=True),
    Column("status", "Status", 22, 1, flexible=True, max_width=30),
    Column("cpu", "CPU", 7, 2, align_right=True, descending=True),
    Column("memory", "Memory", 8, 3, align_right=True, descending=True),
    Column("image", "Image", 20, 4, flexible=True, max_width=30, cut_middle=True),
    Column("health", "Health", 9, 5),
    Column("mem_limit", "Mem limit", 14, 6, descending=True),
    Column("net_io", "Net rx / tx", 19, 7, descending=True),
    Column("block_io", "Block r / w", 19, 9, descending=True),
    Column("pids", "PIDs", 5, 10, align_right=True, descending=True),
    Column("created", "Created", 14, 8),
    Column("ports", "Ports", 16, 11, flexible=True, max_width=40),
    Column("project", "Project", 10, 12, flexible=True, max_width=20),
    Column("cpu_history", "CPU history", 12, 14),
    Column("id", "ID", 12, 13),
)
IMAGE_COLUMNS = (
    Column(
        "name", "Repository:Tag", 24, 0, flexible=True, max_width=60, cut_middle=True
    ),
    Column("id", "ID", 12, 5),
    Column("size", "Size", 7, 2, align_right=True),
    Column("created", "Created", 14, 4),
    Column("used", "Used", 4, 3, align_right=True),
    Column("status", "Status", 8, 1),
)
NETWORK_COLUMNS = (
    Column("name", "Name", 16, 0, flexible=True, max_width=40, cut_middle=True),
    Column("driver", "Driver", 8, 1),
    Column("scope", "Scope", 6, 4),
    Column("subnet", "Subnet", 16, 3, flexible=True, max_width=36),
    Column("used", "Containers", 10, 2, flexible=True, max_width=50),
    Column("kind", "Kind", 10, 5),
    Column("id", "ID", 12, 6),
)
VOLUME_COLUMNS = (
    Column("name", "Name", 20, 0, flexible=True, max_width=64, cut_middle=True),
    Column("kind", "Kind", 9, 1),
    Column("driver", "Driver", 7, 3),
    Column("used", "Used by", 12, 2, flexible=True, max_width=50),
    Column("mountpoint", "Mountpoint", 20, 4, flexible=True, max_width=80),
    Column("created", "Created", 14, 5),
)
COLUMNS: dict[str, tuple[Column, ...]] = {
    "containers": CONTAINER_COLUMNS,
    "images": IMAGE_COLUMNS,
    "networks": NETWORK_COLUMNS,
    "volumes": VOLUME_COLUMNS,
}

CELL_PADDING = 2
"""Cells DataTable adds around each column (one on each side)."""


def pane_columns(kind: str, state: EngineState) -> tuple[Column, ...]:
    """Return the columns a pane may show for the current records.

    The health column is left out while no container has a healthcheck, so
    its width goes to columns with figures in them.
    """
    columns = COLUMNS[kind]
    if kind == "containers" and all(
        container.health is Health.NONE for container in state.containers
    ):
        columns = tuple(column for column in columns if column.key != "health")
    return columns


def fit_columns(columns: tuple[Column, ...], width: int) -> list[tuple[Column, int]]:
    """Choose the columns that fit in ``width`` cells, and each one's width.

    Columns are dropped from the highest priority number until the rest fit,
    then the space left over goes to the flexible columns in priority order.
    """
    chosen = sorted(columns, key=lambda column: column.priority)
    while len(chosen) > 1 and _total(chosen) > width:
        chosen.pop()
    widths = {column.key: column.width for column in chosen}
    spare = width - _total(chosen)
    for column in chosen:
        if column.flexible and spare > 0:
            extra = min(spare, max(column.max_width - column.width, 0))
            widths[column.key] += extra
            spare -= extra
    in_order = [column for column in columns if column in chosen]
    return [(column, widths[column.key]) for column in in_order]


def _total(columns: list[Column]) -> int:
    return sum(column.width + CELL_PADDING for column in columns)


def container_tone(container: ContainerRecord) -> str:
    """Name the colour group of a container's row."""
    if container.health is Health.UNHEALTHY:
        return "error"
    if container.state == "running":
        return "running"
    if container.state in ("paused", "restarting", "removing"):
        return "warning"
    if container.state == "dead":
        return "error"
    return "stopped"


def _status_text(container: ContainerRecord, keep_health: bool = False) -> str:
    status = container.status or container.state
    for marker in ("(health: starting)", "(unhealthy)", "(healthy)"):
        if not keep_health:
            status = status.replace(marker, "")
    status = clean(status).strip()
    if container.state not in _KNOWN_STATES:
        return (
            f"{clean(container.state)}: {status}" if status else clean(container.state)
        )
    return status


_KNOWN_STATES = frozenset(
    {"running", "paused", "restarting", "created", "exited", "removing", "dead"}
)


def container_rows(state: EngineState, now: datetime) -> list[Row]:
    """Build the containers pane's rows."""
    rows = []
    for container in state.containers:
        ports = ", ".join(port.label() for port in container.ports)
        rows.append(
            Row(
                key=container.id,
                cells={
                    "name": clean(container.name),
                    "status": _status_text(container),
                    "status_health": _status_text(container, keep_health=True),
                    "image": clean(container.image),
                    "health": container.health.value,
                    "ports": ports,
                    "project": clean(container.compose_project),
                    "created": fmt.ago(container.created, now),
                    "id": container.short_id,
                },
                sort_values={
                    "created": container.created.timestamp()
                    if container.created
                    else 0,
                    "status": _STATE_ORDER.get(container.state, 9),
                },
                tone=container_tone(container),
            )
        )
    return rows


_STATE_ORDER = {"running": 0, "restarting": 1, "paused": 2, "created": 3, "exited": 4}


def image_rows(state: EngineState, now: datetime) -> list[Row]:
    """Build the images pane's rows: one per tag, one for an untagged image."""
    users = state.image_users()
    rows = []
    for image in state.images:
        used = len(users.get(image.id, ()))
        if image.dangling:
            status = "dangling"
        elif used:
            status = "in use"
        else:
            status = "unused"
        for tag in image.tags or ("<none>:<none>",):
            key = f"{image.id}|{tag}" if image.tags else image.id
            rows.append(
                Row(
                    key=key,
                    cells={
                        "name": clean(tag),
                        "id": image.short_id,
                        "size": fmt.size(image.size),
                        "created": fmt.ago(image.created, now),
                        "used": str(used),
                        "status": status,
                    },
                    sort_values={
                        "size": image.size,
                        "used": used,
                        "created": image.created.timestamp() if image.created else 0,
                    },
                    tone="stopped" if image.dangling else ("running" if used else ""),
                )
            )
    return rows


def network_rows(state: EngineState, now: datetime) -> list[Row]:
    """Build the networks pane's rows."""
    rows = []
    for network in state.networks:
        users = state.users_of_network(network)
        names = ", ".join(sorted(clean(user.name) for user in users))
        rows.append(
            Row(
                key=network.id,
                cells={
                    "name": clean(network.name),
                    "driver": clean(network.driver),
                    "scope": clean(network.scope),
                    "subnet": ", ".join(network.subnets),
                    "used": f"{len(users)}: {names}" if users else "0",
                    "kind": "predefined" if network.predefined else "",
                    "id": network.short_id,
                },
                sort_values={"used": len(users)},
                tone="stopped" if network.predefined else "",
            )
        )
    return rows


def volume_rows(state: EngineState, now: datetime) -> list[Row]:
    """Build the volumes pane's rows."""
    users_by_volume = state.volume_users()
    rows = []
    for volume in state.volumes:
        users = users_by_volume.get(volume.name, [])
        rows.append(
            Row(
                key=volume.name,
                cells={
                    "name": clean(volume.name),
                    "kind": "anonymous" if volume.anonymous else "named",
                    "driver": clean(volume.driver),
                    "used": ", ".join(sorted(clean(u.name) for u in users)) or "-",
                    "mountpoint": clean(volume.mountpoint),
                    "created": fmt.ago(volume.created, now),
                },
                sort_values={
                    "used": len(users),
                    "created": volume.created.timestamp() if volume.created else 0,
                },
                tone="" if users else "stopped",
            )
        )
    return rows


ROW_BUILDERS = {
    "containers": container_rows,
    "images": image_rows,
    "networks": network_rows,
    "volumes": volume_rows,
}


def filter_rows(rows: list[Row], text: str, column_keys: list[str]) -> list[Row]:
    """Keep the rows where any shown column contains ``text``, ignoring case."""
    needle = text.strip().casefold()
    if not needle:
        return rows
    return [
        row
        for row in rows
        if any(needle in row.cells.get(key, "").casefold() for key in column_keys)
    ]


def sort_rows(rows: list[Row], column_key: str, reverse: bool = False) -> list[Row]:
    """Sort rows by one column; ties keep a stable order by name then key.

    Rows without a value in the column (a dash) sort as the smallest, so a
    descending sort by CPU puts stopped containers last.
    """

    def sort_key(row: Row) -> tuple[int, Any, str, str]:
        value = row.sort_values.get(column_key, _TEXT)
        name = row.cells.get("name", "").casefold()
        if value is _TEXT:
            return (1, row.cells.get(column_key, "").casefold(), name, row.key)
        if value is None:
            return (0, 0, name, row.key)
        return (1, value, name, row.key)

    return sorted(rows, key=sort_key, reverse=reverse)


_TEXT = object()


def with_stats(
    rows: list[Row], tracker: StatsTracker, cpu_mode: str, spark_width: int = 12
) -> list[Row]:
    """Add the resource figures of each container to its row; a dash when none."""
    from .stats_format import cpu_value, stats_cells

    result = []
    for row in rows:
        latest = tracker.latest(row.key)
        cells = dict(row.cells)
        cells.update(stats_cells(latest, cpu_mode))
        cells["mem_limit"] = _limit_text(latest)
        used = latest.mem_used if latest else None
        cells["memory"] = fmt.binary_size(used) if used is not None else "-"
        history = tracker.history(row.key) if latest else ()
        cells["cpu_history"] = spark(
            [cpu_value(point, cpu_mode) or 0.0 for point in history], spark_width
        )
        sort_values = dict(row.sort_values)
        sort_values.update(
            {
                "cpu": cpu_value(latest, cpu_mode) if latest else None,
                "memory": latest.mem_used if latest else None,
                "mem_limit": latest.mem_limit if latest else None,
                "net_io": _total_rate(latest.net_rx_rate, latest.net_tx_rate)
                if latest
                else None,
                "block_io": _total_rate(latest.blk_read_rate, latest.blk_write_rate)
                if latest
                else None,
                "pids": latest.pids if latest else None,
                "cpu_history": cpu_value(latest, cpu_mode) if latest else None,
            }
        )
        result.append(Row(row.key, cells, sort_values, row.tone))
    return result


def _limit_text(latest: ContainerStats | None) -> str:
    if latest is None or latest.mem_used is None:
        return "-"
    if latest.mem_limit is None:
        return "no limit"
    percent = f" {latest.mem_percent:.0f}%" if latest.mem_percent is not None else ""
    return f"{fmt.binary_size(latest.mem_limit)}{percent}"


def _total_rate(first: float | None, second: float | None) -> float | None:
    if first is None and second is None:
        return None
    return (first or 0.0) + (second or 0.0)


SPARK_BLOCKS = " ▁▂▃▄▅▆▇█"


def spark(values: list[float], width: int, ceiling: float = 100.0) -> str:
    """Draw the last ``width`` values as block characters, full at ``ceiling``."""
    if not values:
        return "-"
    top = max(ceiling, max(values))
    levels = len(SPARK_BLOCKS) - 1
    recent = values[-width:]
    return "".join(SPARK_BLOCKS[min(levels, round(v / top * levels))] for v in recent)


def container_pane_rows(
    state: EngineState,
    now: datetime,
    columns: list[tuple[Column, int]],
    tracker: StatsTracker,
    cpu_mode: str,
    running_only: bool = False,
) -> list[Row]:
    """Build the containers pane's rows for the chosen columns, figures added."""
    rows = container_rows(state, now)
    if running_only:
        by_id = state.containers.by_id
        rows = [row for row in rows if by_id[row.key].is_running]
    spark_width = next((w for c, w in columns if c.key == "cpu_history"), 12)
    rows = with_stats(rows, tracker, cpu_mode, spark_width)
    if all(column.key != "health" for column, _ in columns):
        # Without a health column the badge stays in the status text.
        rows = [
            Row(
                r.key,
                {**r.cells, "status": r.cells["status_health"]},
                r.sort_values,
                r.tone,
            )
            for r in rows
        ]
    return rows


CONTAINER_SORT_KEY = "status"
"""The column the containers pane is sorted by when it opens."""


def column_title(column: Column, width: int, sort_key: str, reverse: bool) -> str:
    """Fit a column's title to ``width``, with an arrow when the pane sorts by it."""
    arrow = ""
    if column.key == sort_key:
        arrow = " ▼" if reverse else " ▲"
    return fit_text(column.title, max(width - len(arrow), 1)) + arrow


def fit_text(text: str, width: int, cut_middle: bool = False) -> str:
    """Shorten ``text`` to ``width`` cells, cutting its middle or its end."""
    if cell_width(text) <= width:
        return text
    if cut_middle:
        return ellipsize_middle(text, width)
    return take_cells(text, max(width - 1, 0)) + "…"
