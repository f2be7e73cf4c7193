"""SVG snapshots of the disk screen and a prune preview, from fixed fake data.

The fake snapshot replaces the engine only to make the pictures deterministic.
The same screens run against the real engine in test_disk_screens.py.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from dockertui.screens.disk import DiskScreen
from dockertui.state.disk import (
    BuildCacheUsage,
    ContainerUsage,
    DiskSnapshot,
    FilesystemUsage,
    ImageUsage,
    LayerUsage,
    NetworkUsage,
    VolumeUsage,
)
from textual.app import App
from textual.pilot import Pilot

CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
BASE = LayerUsage("sha256:base", 80_000_000)
APP_LAYER = LayerUsage("sha256:app", 25_000_000)
OLD_LAYER = LayerUsage("sha256:old", 40_000_000)
SIZES = (80, 24), (160, 48)


def fake_image(
    number: int, tags: tuple[str, ...], layers: tuple[LayerUsage, ...], shared: int
) -> ImageUsage:
    """Return a fixed image record."""
    return ImageUsage(
        id="sha256:" + f"{number:x}" * 64,
        tags=tags,
        digests=(),
        size=sum(layer.size for layer in layers),
        shared_size=shared,
        containers=0,
        created=CREATED,
        layers=layers,
    )


def fake_container(number: int, name: str, state: str, size_rw: int) -> ContainerUsage:
    """Return a fixed container record using the first image."""
    return ContainerUsage(
        id=f"{number:x}" * 64,
        name=name,
        image="shop/web:2.1",
        image_id="sha256:" + "1" * 64,
        state=state,
        size_rw=size_rw,
        size_root_fs=size_rw + 105_000_000,
        volume_names=("shop-data",) if name == "shop-web" else (),
        network_names=("shop",),
    )


def fake_snapshot() -> DiskSnapshot:
    """Return a small host: three images, three containers, volumes and cache."""
    return DiskSnapshot(
        api_version="1.41",
        images=(
            fake_image(1, ("shop/web:2.1",), (BASE, APP_LAYER), 80_000_000),
            fake_image(2, (), (BASE, OLD_LAYER), 80_000_000),
            fake_image(
                3, ("tools/debug:latest",), (LayerUsage("sha256:t", 7_500_000),), 0
            ),
        ),
        containers=(
            fake_container(4, "shop-web", "running", 1_200_000),
            fake_container(5, "shop-migrate", "exited", 3_400_000),
            fake_container(6, "shop-old-[bold]x[/]", "created", 0),
        ),
        volumes=(
            VolumeUsage("shop-data", "local", 512_000_000, 1),
            VolumeUsage("cache-tmp", "local", 64_000_000, 0),
            VolumeUsage("a" * 64, "local", 2_000_000, 0, anonymous=True),
        ),
        networks=(NetworkUsage("n" * 64, "shop", "bridge", "local"),),
        build_cache=(
            BuildCacheUsage("k1", "regular", 30_000_000, False, False, "RUN make"),
            BuildCacheUsage("k2", "source.local", 1_000_000, True, False, "context"),
        ),
        layers_size=152_500_000,
    )


def fake_loader() -> tuple[DiskSnapshot, FilesystemUsage | None, bool]:
    """Return the fake snapshot and a fixed filesystem."""
    filesystem = FilesystemUsage(
        "/var/lib/docker", 250_000_000_000, 180_000_000_000, 70_000_000_000
    )
    return fake_snapshot(), filesystem, True


class DiskApp(App[None]):
    """An app that shows the disk screen over the fake data."""

    def on_mount(self) -> None:
        """Open the disk screen."""
        self.push_screen(DiskScreen(None, read_only=False, loader=fake_loader))  # type: ignore[arg-type]


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait for the fake data to be shown."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def prune_preview(pilot: Pilot[Any]) -> None:
    """Open the preview of an unused-image prune."""
    await loaded(pilot)
    await pilot.press("a")
    await loaded(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_disk_screen_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(DiskApp(), terminal_size=size, run_before=loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_prune_preview_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(DiskApp(), terminal_size=size, run_before=prune_preview)
