"""Regenerate screenshots/*.svg from the app itself, on fixed fake data.

Usage: python scripts/make_screenshots.py

Each picture is the app driven through Textual's test harness with the fake
engine of the test suite (fixed names, states and figures, frozen clock), so
the pictures change only when the screens do.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from dockertui.app import DockerTUI  # noqa: E402
from dockertui.screens.disk import DiskScreen  # noqa: E402
from dockertui.screens.logs import LogScreen  # noqa: E402
from fake_engine import CONTAINERS, FROZEN_NOW, FakeEngine  # noqa: E402
from logs_fake import FakeFeed, fake_containers  # noqa: E402
from test_disk_snapshots import fake_loader  # noqa: E402
from textual.pilot import Pilot  # noqa: E402

OUTPUT = ROOT / "screenshots"
Setup = Callable[[Pilot[None]], Awaitable[None]]


def container_id(name: str) -> str:
    """Return the canned id of the container called ``name``."""
    return next(c["Id"] for c in CONTAINERS if c["Names"][0] == f"/{name}")


async def settle(pilot: Pilot[None]) -> None:
    """Wait for lists, stats sweeps and the detail to arrive."""
    await pilot.pause(0.5)
    await pilot.pause()


def keys(*pressed: str, select: str | None = None) -> Setup:
    """Build a setup that selects a container, then presses keys."""

    async def setup(pilot: Pilot[None]) -> None:
        await settle(pilot)
        app = pilot.app
        assert isinstance(app, DockerTUI)
        if select is not None:
            table = app.main.table("containers")
            table.move_cursor(row=table.get_row_index(container_id(select)))
        for key in pressed:
            await pilot.press(key)
            await pilot.pause()
        await settle(pilot)

    return setup


async def open_logs(pilot: Pilot[None]) -> None:
    """Open the log viewer on the fixed line source."""
    await settle(pilot)
    screen = LogScreen(
        None, fake_containers()[:2], feed_factory=FakeFeed, clock=lambda: FROZEN_NOW
    )
    await pilot.app.push_screen(screen)
    await pilot.pause()
    screen.drain_inbox()
    await settle(pilot)


async def open_disk(pilot: Pilot[None]) -> None:
    """Open the disk usage view on fixed figures."""
    await settle(pilot)
    await pilot.app.push_screen(DiskScreen(None, read_only=False, loader=fake_loader))  # type: ignore[arg-type]
    await settle(pilot)


SCENARIOS: list[tuple[str, tuple[int, int], Setup]] = [
    ("containers", (160, 48), keys("c", select="shop-web")),
    ("containers-80x24", (80, 24), keys()),
    ("images", (160, 48), keys("2")),
    ("networks", (160, 48), keys("3")),
    ("volumes", (160, 48), keys("4")),
    ("remove-dialog", (120, 36), keys("d", select="shop-web")),
    ("inspect", (120, 36), keys("i", select="shop-web")),
    ("help", (120, 36), keys("question_mark")),
    ("logs", (160, 48), open_logs),
    ("disk", (160, 48), open_disk),
]


async def capture(name: str, size: tuple[int, int], setup: Setup) -> Path:
    """Run the app at ``size``, apply ``setup`` and save an SVG."""
    engine = FakeEngine()
    app = DockerTUI(engine.endpoint, engine=engine, clock=lambda: FROZEN_NOW)
    async with app.run_test(size=size) as pilot:
        await setup(pilot)
        path = app.save_screenshot(filename=f"{name}.svg", path=str(OUTPUT))
    return Path(path)


async def main() -> None:
    """Write every scenario's SVG into screenshots/."""
    os.environ["TZ"] = "UTC"
    time.tzset()
    OUTPUT.mkdir(exist_ok=True)
    for name, size, setup in SCENARIOS:
        path = await capture(name, size, setup)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    asyncio.run(main())
