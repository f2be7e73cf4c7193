"""Pilot tests of changes made by another client: the event stream shows them.

Each change is made with a separate SDK client while the app runs, and the
time until the app's state and table show it is measured against one second.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import docker
from conftest import CREATED, TEST_IMAGE, TEST_LABEL, CreatedContainer, unique_name
from dockertui.engine import Engine
from engine_pilot import (
    TERM_AWARE,
    container_state,
    has_row,
    in_thread,
    notification_texts,
    run_app,
    select,
    shows_state,
    wait_for,
)

MakeContainer = Callable[..., CreatedContainer]
MAX_DELAY_SECONDS = 1.0


async def measure(
    app: Any, pilot: Any, change: Callable[[], Any], condition: Callable[[], bool]
) -> float:
    """Run ``change`` in a thread, then return seconds until ``condition`` holds."""
    await in_thread(change)
    started = time.monotonic()
    await wait_for(pilot, condition, timeout=10)
    return time.monotonic() - started


async def test_outside_changes_show_within_one_second(
    engine: Engine, docker_api: docker.APIClient
) -> None:
    name = unique_name("outside")
    container_id = ""
    try:
        async with run_app(engine) as (app, pilot):
            response = await in_thread(
                docker_api.create_container,
                TEST_IMAGE,
                command=list(TERM_AWARE),
                name=name,
                labels={TEST_LABEL: "1"},
            )
            container_id = str(response["Id"])
            CREATED.containers.append(container_id)
            started = time.monotonic()
            await wait_for(pilot, shows_state(app, container_id, "created"))
            delays = {"create": time.monotonic() - started}
            steps: list[tuple[str, Callable[[], Any], str]] = [
                ("start", lambda: docker_api.start(container_id), "running"),
                ("pause", lambda: docker_api.pause(container_id), "paused"),
                ("unpause", lambda: docker_api.unpause(container_id), "running"),
                ("stop", lambda: docker_api.stop(container_id, timeout=5), "exited"),
            ]
            for step, change, state in steps:
                try:
                    delays[step] = await measure(
                        app, pilot, change, shows_state(app, container_id, state)
                    )
                except AssertionError as error:
                    held = container_state(app, container_id)
                    actual = docker_api.inspect_container(container_id)["State"]
                    raise AssertionError(
                        f"after {step} the app stores {held!r}, the engine reports "
                        f"{actual['Status']!r}: {error}"
                    ) from None
            table = app.main.table("containers")
            delays["remove"] = await measure(
                app,
                pilot,
                lambda: docker_api.remove_container(container_id),
                lambda: (
                    app.state.containers.get(container_id) is None
                    and not has_row(table, container_id)
                ),
            )
        print("seconds until shown:", {k: round(v, 3) for k, v in delays.items()})
        for step, delay in delays.items():
            assert delay < MAX_DELAY_SECONDS, f"{step} took {delay:.2f} s to show"
    finally:
        if container_id:
            try:
                docker_api.remove_container(container_id, force=True)
            except docker.errors.NotFound:
                pass


async def test_paused_start_not_offered(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="paused")
    docker_api.pause(created.id)
    try:
        async with run_app(engine) as (app, pilot):
            await select(app, pilot, "containers", created.id)
            assert container_state(app, created.id) == "paused"
            assert app.main.check_action("start", ()) is False
            assert app.main.check_action("shell", ()) is False
            assert app.main.check_action("pause", ()) is True

            await pilot.press("u")
            await pilot.pause(0.3)
            assert docker_api.inspect_container(created.id)["State"]["Paused"]
            assert any(
                "Start is not available" in text for text in notification_texts(app)
            )
    finally:
        docker_api.unpause(created.id)


async def test_engine_refusal_shown_in_notification(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, suffix="refused")
    docker_api.pause(created.id)
    try:
        async with run_app(engine) as (app, pilot):
            await select(app, pilot, "containers", created.id)
            app.run_engine_action(
                "start", lambda: app.engine.start_container(created.id)
            )

            def refused() -> bool:
                return any("paused" in text for text in notification_texts(app))

            await wait_for(pilot, refused)
            messages = [t for t in notification_texts(app) if "paused" in t]
            assert "cannot start a paused container" in messages[0]
            assert messages[0].startswith(f"start {created.id[:12]} failed:")
            assert docker_api.inspect_container(created.id)["State"]["Paused"]
    finally:
        docker_api.unpause(created.id)
