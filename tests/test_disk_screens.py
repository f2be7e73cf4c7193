"""Pilot tests of the disk screen, the cleanup dialog and the image dialogs,
driven against the real engine.

Every prune here carries a label filter unique to this module's run, so the
screens only ever list and remove objects these tests created.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from conftest import TEST_IMAGE, TEST_LABEL, CreatedContainer
from dockertui.engine import Engine, images
from dockertui.screens.disk import DiskScreen
from dockertui.screens.image_ops import BuildModal, PullModal, TagModal
from dockertui.screens.prune import PruneModal, remove_objects
from dockertui.state.disk import LabelFilter
from dockertui.state.prune import PruneReport
from test_images_lifecycle import (  # noqa: F401
    image_with_blob,
    registry,
    unique_repository,
)
from textual.app import App
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, Static

if TYPE_CHECKING:
    import docker
    from textual.pilot import Pilot

RUN_LABEL = "dockertui.test.run"
RUN_ID = uuid.uuid4().hex
LABELS = {TEST_LABEL: "1", RUN_LABEL: RUN_ID}
ONLY_OURS = LabelFilter((f"{TEST_LABEL}=1", f"{RUN_LABEL}={RUN_ID}"))


class Host(App[None]):
    """An app that opens one screen and records what it was dismissed with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.first = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        """Open the screen under test."""
        self.push_screen(self.first, self.results.append)


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker is done and the messages they posted are handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(screen: Screen[Any], selector: str) -> str:
    """Return the plain text a Static or Label shows."""
    return str(screen.query_one(selector, Static).render())


async def test_disk_screen_shows_kinds(engine: Engine) -> None:
    app = Host(DiskScreen(engine, read_only=False, labels=ONLY_OURS))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        screen = app.screen
        summary = screen.query_one("#disk-summary", DataTable)
        detail = screen.query_one("#disk-detail", DataTable)
        keys = [row.value for row in summary.rows]
        test_image_id = engine.inspect("image", TEST_IMAGE)["Id"]

        assert keys == ["images", "containers", "volumes", "build-cache"]
        assert text_of(screen, "#disk-filesystem").startswith("Data root ")
        assert test_image_id in [row.value for row in detail.rows]

        await pilot.press("down", "down")
        await pilot.pause()
        assert str(detail.columns[next(iter(detail.columns))].label) == "Volume"

        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_disk_prune_containers_flow(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
) -> None:
    stopped = make_container(["true"], labels=dict(LABELS))
    docker_api.wait(stopped.id, timeout=30)
    running = make_container(labels=dict(LABELS))
    app = Host(DiskScreen(engine, read_only=False, labels=ONLY_OURS))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, PruneModal)
        rows = [row.value for row in modal.query_one("#prune-items", DataTable).rows]
        assert rows == [stopped.id]

        await pilot.press("y")
        await settle(pilot)
        assert "Removed 1, reclaimed" in text_of(modal, "#prune-notes")

        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DiskScreen)
        report = app.screen.last_report
        assert report is not None
        assert [item.id for item in report.removed] == [stopped.id]
    ids = {c["Id"] for c in docker_api.containers(all=True)}
    assert stopped.id not in ids
    assert running.id in ids


async def test_disk_prune_cancel_keeps_objects(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
) -> None:
    stopped = make_container(["true"], labels=dict(LABELS), start=False)
    app = Host(DiskScreen(engine, read_only=False, labels=ONLY_OURS))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, DiskScreen)
    assert docker_api.inspect_container(stopped.id)["Id"] == stopped.id


async def test_read_only_disk_screen_offers_no_prune(
    engine: Engine,
    make_container: Callable[..., CreatedContainer],
) -> None:
    make_container(["true"], labels=dict(LABELS), start=False)
    app = Host(DiskScreen(engine, read_only=True, labels=ONLY_OURS))
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("c", "a", "v")
        await settle(pilot)
        bindings = app.screen.active_bindings.values()
        shown = {active.binding.action for active in bindings if active.enabled}

        assert isinstance(app.screen, DiskScreen)
        assert not any(action.startswith("prune") for action in shown)
        assert app.screen.check_action("prune", ("c",)) is False


async def test_marked_volumes_removed_with_refusal(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    make_volume: Callable[..., str],
) -> None:
    used = make_volume("used", labels=dict(LABELS))
    unused = make_volume("unused", labels=dict(LABELS))
    user = make_container(volumes={used: "/data"}, labels=dict(LABELS))
    reports: list[PruneReport | None] = []

    class Marked(App[None]):
        def on_mount(self) -> None:
            remove_objects(self, engine, "volume", [used, unused], reports.append)

    app = Marked()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        notes = text_of(app.screen, "#prune-notes")
        assert f"Refused: volume {used}: in use: {user.name}" in notes
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert reports and reports[0] is not None
    assert [item.id for item in reports[0].removed] == [unused]
    names = {v["Name"] for v in docker_api.volumes()["Volumes"] or []}
    assert used in names
    assert unused not in names


async def test_pull_modal_reports_not_found(engine: Engine, registry: str) -> None:  # noqa: F811
    app = Host(PullModal(engine))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.click(Input)
        await pilot.press(*f"{unique_repository()}:missing", "enter")
        await settle(pilot)
        error = text_of(app.screen, ".transfer-error")
        assert error.startswith("Not found: ")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_pull_modal_cancel(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    registry: str,  # noqa: F811
) -> None:
    image_id = image_with_blob(docker_api, make_container, 60 * 1024)
    reference = f"{unique_repository()}:big"
    images.tag(engine, image_id, reference)
    for _ in images.push(engine, reference):
        pass
    docker_api.remove_image(reference)
    app = Host(PullModal(engine, reference))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.click(Input)
        await pilot.press("enter")
        modal = app.screen
        assert isinstance(modal, PullModal)
        for _ in range(200):
            await pilot.pause(0.01)
            if modal.stream is not None:
                break
        await pilot.press("escape")
        await settle(pilot)
        title = str(modal.query_one(".transfer-title", Label).render())
        await pilot.press("escape")
        await pilot.pause()
    assert title == f"Pull of {reference} cancelled"
    assert app.results == [None]
    with pytest.raises(Exception, match="No such image"):
        docker_api.inspect_image(reference)


async def test_pull_modal_reports_unreachable(engine: Engine) -> None:
    app = Host(PullModal(engine, "127.0.0.1:9/dtui-test/x:latest"))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.click(Input)
        await pilot.press("enter")
        await settle(pilot)
        assert text_of(app.screen, ".transfer-error").startswith(
            "Registry unreachable: "
        )


async def test_tag_modal_returns_reference(
    engine: Engine, docker_api: docker.APIClient
) -> None:
    reference = f"dtui-test-tagged-{uuid.uuid4().hex[:8]}:v1"
    image_id = engine.inspect("image", TEST_IMAGE)["Id"]
    app = Host(TagModal(engine, image_id, TEST_IMAGE))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.click(Input)
            await pilot.press(*reference, "enter")
            await settle(pilot)
        assert app.results == [reference]
        assert docker_api.inspect_image(reference)["Id"] == image_id
    finally:
        docker_api.remove_image(reference)


async def test_build_modal_shows_failing_step(
    engine: Engine, docker_api: docker.APIClient, tmp_path: Path
) -> None:
    steps = [f"FROM {TEST_IMAGE}", "RUN exit 7"]
    (tmp_path / "Dockerfile").write_text("\n".join(steps) + "\n")
    app = Host(BuildModal(engine, str(tmp_path), labels={TEST_LABEL: "1"}))
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.click("#build-directory")
        await pilot.press("enter")
        await settle(pilot)
        error = text_of(app.screen, ".transfer-error")
        title = str(app.screen.query_one(".transfer-title", Label).render())
        await pilot.press("escape")
        await pilot.pause()
    assert title == "Build failed"
    assert error.startswith("Failed at Step 2/3 : RUN exit 7")
    assert app.results == [None]


async def test_build_modal_returns_image_id(
    engine: Engine, docker_api: docker.APIClient, tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text(f'FROM {TEST_IMAGE}\nCMD ["true"]\n')
    app = Host(BuildModal(engine, str(tmp_path), labels=dict(LABELS)))
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.click("#build-directory")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape")
            await pilot.pause()
        image_id = app.results[0]
        assert image_id.startswith("sha256:")
        labels = docker_api.inspect_image(image_id)["Config"]["Labels"]
        assert labels[RUN_LABEL] == RUN_ID
    finally:
        if app.results and app.results[0]:
            docker_api.remove_image(app.results[0], force=True)


async def test_prune_progress_and_stop() -> None:
    """A long removal (faked: the engine cannot make a big host on demand) shows
    its progress bar and stops after the current object on escape."""
    import threading

    from dockertui.state.disk import ContainerUsage, DiskSnapshot
    from dockertui.state.prune import PlanItem, PruneKind, PrunePlan

    containers = tuple(
        ContainerUsage(f"{n:064x}", f"old-{n}", "img", "sha256:i", "exited", 10, 20)
        for n in range(50)
    )
    snapshot = DiskSnapshot(api_version="1.41", containers=containers)
    release = threading.Event()

    def slow_remover(
        plan: PrunePlan,
        snapshot: DiskSnapshot,
        progressed: Callable[[int, int, PlanItem], None],
        stopped: Callable[[], bool],
    ) -> PruneReport:
        removed: list[PlanItem] = []
        for index, item in enumerate(plan.items):
            if stopped():
                return PruneReport(tuple(removed), (), 10 * len(removed), True)
            progressed(index, len(plan.items), item)
            removed.append(item)
            if index == 4:
                release.wait(10)
        return PruneReport(tuple(removed), (), 10 * len(removed))

    modal = PruneModal(
        None, kind=PruneKind.CONTAINERS, snapshot=snapshot, remover=slow_remover
    )
    app = Host(modal)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("y")
        for _ in range(50):
            await pilot.pause(0.02)
            if "5 of 50" in str(modal.query_one("#prune-title", Label).render()):
                break
        bar = modal.query_one("#prune-progress")
        assert bar.display
        assert bar.total == 50
        assert str(modal.query_one("#prune-title", Label).render()).startswith(
            "Removing 5 of 50: old-4"
        )
        await pilot.press("escape")
        release.set()
        await settle(pilot)
        notes = text_of(modal, "#prune-notes")
        assert notes.startswith("Removed 5, reclaimed 50B.")
        assert "Stopped before the end" in notes


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the input cursor still so screens do not redraw on a timer."""
    monkeypatch.setattr(Input, "cursor_blink", False)
