"""SVG snapshots of the log viewer with fixed lines and a frozen clock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from dockertui.screens.logs import LogScreen
from logs_fake import FROZEN_NOW, FakeFeed, fake_containers
from textual.app import App
from textual.pilot import Pilot


@pytest.fixture(autouse=True)
def fixed_zone() -> Iterator[None]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "CET-1"
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


class SnapshotApp(App[None]):
    """Hosts one LogScreen fed by the fixed line source."""

    def __init__(self, sources: int = 2) -> None:
        super().__init__()
        self.sources = sources

    def on_mount(self) -> None:
        screen = LogScreen(
            None,
            fake_containers()[: self.sources],
            feed_factory=FakeFeed,
            clock=lambda: FROZEN_NOW,
        )
        self.push_screen(screen)


async def drain(pilot: Pilot[Any]) -> None:
    screen = pilot.app.screen
    assert isinstance(screen, LogScreen)
    screen.drain_inbox()
    await pilot.pause()


def press_then_drain(*keys: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await drain(pilot)
        await pilot.press(*keys)
        await drain(pilot)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_merged_following(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(SnapshotApp(), terminal_size=size, run_before=drain)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
def test_timestamps_and_search(snap_compare: Any, size: tuple[int, int]) -> None:
    keys = ("t", "slash", *"worker", "enter")
    assert snap_compare(
        SnapshotApp(), terminal_size=size, run_before=press_then_drain(*keys)
    )


def test_filter_wrapped(snap_compare: Any) -> None:
    keys = ("w", "F", *"long", "enter")
    assert snap_compare(
        SnapshotApp(), terminal_size=(80, 24), run_before=press_then_drain(*keys)
    )


def test_single_container_paused(snap_compare: Any) -> None:
    keys = ("up", "up", "up", "up", "up")
    assert snap_compare(
        SnapshotApp(sources=1),
        terminal_size=(80, 24),
        run_before=press_then_drain(*keys),
    )
