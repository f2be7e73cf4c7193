"""Pilot tests of the container keys against the real engine.

Each test drives the whole app (keys, dialogs, event stream) and checks the
result twice: the engine's own inspect response, and the row the app shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import docker
from conftest import CreatedContainer
from dockertui.engine import Engine
from dockertui.screens.confirm import ConfirmModal
from engine_pilot import (
    TERM_AWARE,
    cell_texts,
    container_state,
    has_row,
    row_status,
    run_app,
    select,
    shows_state,
    wait_for,
)

MakeContainer = Callable[..., CreatedContainer]


def engine_state(docker_api: docker.APIClient, container_id: str) -> dict[str, Any]:
    """Return the ``State`` block of the engine's inspect response."""
    return dict(docker_api.inspect_container(container_id)["State"])


def status_cell(app: Any, container_id: str) -> str:
    """Return the Status cell as drawn, which may end in an ellipsis."""
    return cell_texts(app.main.table("containers"), container_id)["status"]


async def test_stop_key_stops_running(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="stop")
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        assert container_state(app, created.id) == "running"
        await pilot.press("s")
        await wait_for(pilot, shows_state(app, created.id, "exited"))
        assert engine_state(docker_api, created.id)["Status"] == "exited"
        assert status_cell(app, created.id).startswith("Exited (0)")


async def test_start_key_starts_exited(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="start")
    docker_api.stop(created.id, timeout=5)
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        assert container_state(app, created.id) == "exited"
        await pilot.press("u")
        await wait_for(pilot, shows_state(app, created.id, "running"))
        assert engine_state(docker_api, created.id)["Running"] is True
        assert status_cell(app, created.id).startswith("Up")


async def test_pause_key_pauses_then_unpauses(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="pause")
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("p")
        await wait_for(pilot, shows_state(app, created.id, "paused"))
        assert engine_state(docker_api, created.id)["Paused"] is True
        assert "(Paused)" in row_status(app, created.id)
        assert status_cell(app, created.id).startswith("Up")

        await pilot.press("p")
        await wait_for(pilot, shows_state(app, created.id, "running"))
        assert engine_state(docker_api, created.id)["Paused"] is False
        assert "Paused" not in row_status(app, created.id)


async def test_restart_key_changes_started_at(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="restart")
    first_start = engine_state(docker_api, created.id)["StartedAt"]
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("r")

        def restarted() -> bool:
            return engine_state(docker_api, created.id)["StartedAt"] != first_start

        await wait_for(pilot, restarted, timeout=20)
        assert engine_state(docker_api, created.id)["Running"] is True
        await wait_for(pilot, shows_state(app, created.id, "running"))
        assert status_cell(app, created.id).startswith("Up")


async def test_kill_key_kills_running(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(("sleep", "300"), suffix="kill")
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert engine_state(docker_api, created.id)["Status"] == "running"
        await pilot.press("y")
        await wait_for(pilot, shows_state(app, created.id, "exited"))
        state = engine_state(docker_api, created.id)
        assert state["Status"] == "exited"
        assert state["ExitCode"] == 137
        assert status_cell(app, created.id).startswith("Exited (137)")


def is_gone(docker_api: docker.APIClient, container_id: str) -> bool:
    try:
        docker_api.inspect_container(container_id)
    except docker.errors.NotFound:
        return True
    return False


async def test_remove_key_removes_exited(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(("true",), suffix="rm-exited")
    docker_api.wait(created.id, timeout=30)
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        table = app.main.table("containers")
        await wait_for(pilot, lambda: not has_row(table, created.id))
        assert is_gone(docker_api, created.id)
        assert app.state.containers.get(created.id) is None


async def test_remove_running_needs_force_tick(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="rm-running")
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ConfirmModal)
        assert engine_state(docker_api, created.id)["Running"] is True

        app.screen.query_one("#option-force").value = True
        await pilot.press("y")
        table = app.main.table("containers")
        await wait_for(pilot, lambda: not has_row(table, created.id))
        assert is_gone(docker_api, created.id)


async def remove_with_anonymous_volume(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: MakeContainer,
    tick_volumes: bool,
) -> str:
    """Remove an exited container with one anonymous volume; return the volume."""
    created = make_container(("true",), suffix="rm-anon", anonymous_volumes=["/data"])
    docker_api.wait(created.id, timeout=30)
    mounts = docker_api.inspect_container(created.id)["Mounts"]
    volume = str(mounts[0]["Name"])
    async with run_app(engine) as (app, pilot):
        await wait_for(pilot, lambda: app.state.volumes.get(volume) is not None)
        await select(app, pilot, "containers", created.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        checkbox = app.screen.query_one("#option-volumes")
        assert checkbox.value is False
        checkbox.value = tick_volumes
        await pilot.press("y")
        table = app.main.table("containers")
        await wait_for(pilot, lambda: not has_row(table, created.id))
        assert is_gone(docker_api, created.id)
    return volume


def volume_exists(docker_api: docker.APIClient, name: str) -> bool:
    try:
        docker_api.inspect_volume(name)
    except docker.errors.NotFound:
        return False
    return True


async def test_remove_keeps_anonymous_volume(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    volume = ""
    try:
        volume = await remove_with_anonymous_volume(
            engine, docker_api, make_container, tick_volumes=False
        )
        assert volume_exists(docker_api, volume)
    finally:
        if volume and volume_exists(docker_api, volume):
            docker_api.remove_volume(volume)


async def test_remove_ticked_removes_anonymous_volume(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    volume = ""
    try:
        volume = await remove_with_anonymous_volume(
            engine, docker_api, make_container, tick_volumes=True
        )
        assert not volume_exists(docker_api, volume)
    finally:
        if volume and volume_exists(docker_api, volume):
            docker_api.remove_volume(volume)


async def test_remove_cancel_keeps_container(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(("true",), suffix="rm-cancel")
    docker_api.wait(created.id, timeout=30)
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ConfirmModal)
        assert not is_gone(docker_api, created.id)
        assert has_row(app.main.table("containers"), created.id)
