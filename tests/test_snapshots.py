"""SVG snapshots of every main pane and dialog at 80x24 and 160x48.

The fake engine gives fixed ids, names, states and resource figures, and the
clock is frozen, so the pictures only change when the screen does.
"""

from __future__ import annotations

from typing import Any

import pytest
from dockertui.app import DockerTUI
from dockertui.engine.errors import EngineError, ErrorKind
from fake_engine import CONTAINERS, FROZEN_NOW, FakeEngine
from textual.pilot import Pilot

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


def make_app(engine: FakeEngine | None = None, **options: Any) -> DockerTUI:
    fake = engine or FakeEngine()
    return DockerTUI(fake.endpoint, engine=fake, clock=lambda: FROZEN_NOW, **options)


def container_id(name: str) -> str:
    return next(c["Id"] for c in CONTAINERS if c["Names"][0] == f"/{name}")


async def settle(pilot: Pilot[None]) -> None:
    """Wait for the lists, the two stats sweeps and the detail to arrive."""
    await pilot.pause(0.4)
    await pilot.pause()


def run_keys(*keys: str, select: str | None = None):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, DockerTUI)
        if select is not None:
            table = app.main.table("containers")
            table.move_cursor(row=table.get_row_index(container_id(select)))
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    "pane_key",
    [
        pytest.param(key, id=name)
        for key, name in (
            ("1", "containers"),
            ("2", "images"),
            ("3", "networks"),
            ("4", "volumes"),
        )
    ],
)
def test_pane_snapshot(snap_compare: Any, size: tuple[int, int], pane_key: str) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run_keys(pane_key))


@pytest.mark.parametrize("size", SIZES)
def test_remove_dialog_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=run_keys("d", select="shop-web")
    )


@pytest.mark.parametrize("size", SIZES)
def test_help_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=run_keys("question_mark")
    )


@pytest.mark.parametrize("size", SIZES)
def test_inspect_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(), terminal_size=size, run_before=run_keys("i", select="shop-web")
    )


@pytest.mark.parametrize("size", SIZES)
def test_unreachable_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    error = EngineError(
        ErrorKind.PERMISSION_DENIED,
        "Permission denied on /var/run/docker.sock.",
        "Add your user to the docker group (sudo usermod -aG docker $USER, then "
        "log in again), or run dockertui with sudo.",
    )
    assert snap_compare(
        make_app(FakeEngine(unreachable=error)),
        terminal_size=size,
        run_before=run_keys(),
    )


@pytest.mark.parametrize("size", SIZES)
def test_read_only_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(
        make_app(read_only=True), terminal_size=size, run_before=run_keys()
    )


@pytest.mark.parametrize("size", SIZES)
def test_sorted_by_cpu_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=run_keys("c"))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("tab", ["processes", "environment"])
def test_container_detail_snapshot(
    snap_compare: Any, size: tuple[int, int], tab: str
) -> None:
    number = "2" if tab == "processes" else "3"
    assert snap_compare(
        make_app(),
        terminal_size=size,
        run_before=run_keys("enter", number, select="shop-web"),
    )
