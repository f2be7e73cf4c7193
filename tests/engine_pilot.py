"""Helpers for Pilot tests that drive the whole app against a real engine.

The engine is shared with other test runs, so helpers find rows by id and never
count the whole engine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from dockertui.app import DockerTUI
from dockertui.engine import Engine
from dockertui.widgets.resource_table import ResourceTable
from rich.console import Console
from rich.text import Text
from textual.widgets import Static

SIZE = (120, 36)
POLL_SECONDS = 0.05

TERM_AWARE = ("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 0.1; done")
"""A command that exits at once on SIGTERM, so stop and restart take no grace period."""


def make_app(engine: Engine, **options: Any) -> DockerTUI:
    """Build the app on its own connection to the same engine as ``engine``."""
    return DockerTUI(engine.endpoint, **options)


@asynccontextmanager
async def run_app(
    engine: Engine, size: tuple[int, int] = SIZE, **options: Any
) -> AsyncIterator[tuple[DockerTUI, Any]]:
    """Run the app under Pilot, connected and listed, and close its client after."""
    app = make_app(engine, **options)
    try:
        async with app.run_test(size=size) as pilot:
            await ready(app, pilot)
            yield app, pilot
    finally:
        app.engine.close()


async def wait_for(
    pilot: Any, condition: Callable[[], bool], timeout: float = 10.0
) -> float:
    """Poll ``condition`` every 50 ms while the app runs; return seconds waited.

    Raises:
        AssertionError: when ``condition`` is still false after ``timeout``.
    """
    started = time.monotonic()
    while not condition():
        waited = time.monotonic() - started
        if waited > timeout:
            raise AssertionError(f"condition still false after {waited:.1f} s")
        await pilot.pause(POLL_SECONDS)
    return time.monotonic() - started


async def ready(app: DockerTUI, pilot: Any, timeout: float = 30.0) -> None:
    """Wait until the app is connected and has listed every kind once."""
    state = app.state

    def loaded() -> bool:
        return app.connected and all(
            collection.loaded
            for collection in (
                state.containers,
                state.images,
                state.networks,
                state.volumes,
            )
        )

    await wait_for(pilot, loaded, timeout)
    await pilot.pause()


async def in_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a blocking SDK call off the event loop, so the app keeps running."""
    return await asyncio.to_thread(function, *args, **kwargs)


def container_state(app: DockerTUI, container_id: str) -> str | None:
    """Return the state the app stores for a container, or None when absent."""
    record = app.state.containers.get(container_id)
    return record.state if record is not None else None


STATUS_MARKS = {
    "created": "Created",
    "running": "Up ",
    "paused": "(Paused)",
    "restarting": "Restarting",
    "exited": "Exited",
}
"""Text the Status column shows for each state, as ``docker ps`` words it."""


def row_status(app: DockerTUI, container_id: str) -> str:
    """Return the full Status text of a drawn container row, or "" without one."""
    row = app.main.views["containers"].rows.get(container_id)
    if row is None or not has_row(app.main.table("containers"), container_id):
        return ""
    return str(row.cells.get("status", ""))


def shows_state(app: DockerTUI, container_id: str, state: str) -> Callable[[], bool]:
    """Return a check that the app records ``state`` and its drawn row shows it."""

    def check() -> bool:
        status = row_status(app, container_id)
        if container_state(app, container_id) != state:
            return False
        if state == "running" and "(Paused)" in status:
            return False
        return STATUS_MARKS[state] in status

    return check


def has_row(table: ResourceTable, key: str) -> bool:
    """Return True when the table shows a row with ``key``."""
    try:
        table.get_row_index(key)
    except Exception:  # noqa: BLE001 - DataTable raises RowDoesNotExist
        return False
    return True


def cell_texts(table: ResourceTable, key: str) -> dict[str, str]:
    """Return the plain text of each cell of one row, by column key."""
    keys = [str(column.value) for column in table.columns]
    cells = table.get_row(key)
    return {
        column: cell.plain if isinstance(cell, Text) else str(cell)
        for column, cell in zip(keys, cells, strict=True)
    }


async def select(app: DockerTUI, pilot: Any, kind: str, key: str) -> None:
    """Show ``kind``'s pane and put the cursor on the row with ``key``."""
    if app.main.current != kind:
        app.main.action_show_pane(kind)
        await pilot.pause()
    table = app.main.table(kind)
    await wait_for(pilot, lambda: has_row(table, key))
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()
    assert table.cursor_key == key


def detail_text(app: DockerTUI, width: int = 400) -> str:
    """Render the detail panel's content as plain text, one field per line."""
    body = app.main.query_one("#detail-body", Static)
    console = Console(width=width, record=True, color_system=None, file=_Discard())
    console.print(body.content)
    return console.export_text()


def notification_texts(app: DockerTUI) -> list[str]:
    """Return the message of every notification shown so far."""
    return [str(notification.message) for notification in app._notifications]


class _Discard:
    """A file object that drops what a recording console writes."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None
