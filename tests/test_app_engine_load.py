"""Pilot tests of the app under load: bursts of short containers and a long list.

The engine is shared, so the app's list is compared with the engine's full list
read at the same moment, and each test removes what it created even on failure.
"""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import docker
import pytest
from conftest import CREATED, TEST_IMAGE, TEST_LABEL, unique_name
from dockertui import messages as msg
from dockertui.engine import Engine
from engine_pilot import (
    has_row,
    in_thread,
    notification_texts,
    run_app,
    select,
    wait_for,
)
from textual import events

RUN_LABEL = "dockertui.test.run"
SHORT_RUNS = 100
MANY = 1000
CHURN = 100
KEY_PRESSES = (("2", "images"), ("1", "containers")) * 3
KEY_SECONDS = 1.0
"""Median event-loop CPU seconds from a key to its pane being drawn."""
KEY_MAX_SECONDS = 3.0
"""Slowest key allowed in wall-clock time: other runs share this machine's CPUs."""


def engine_ids(docker_api: docker.APIClient) -> set[str]:
    return {entry["Id"] for entry in docker_api.containers(all=True)}


def labelled_ids(docker_api: docker.APIClient, run: str) -> set[str]:
    entries = docker_api.containers(all=True, filters={"label": f"{RUN_LABEL}={run}"})
    return {entry["Id"] for entry in entries}


async def wait_until_lists_match(
    app: Any, pilot: Any, docker_api: docker.APIClient, timeout: float = 10.0
) -> None:
    """Wait until the app's container ids equal the engine's, read at one moment.

    Other test runs change the shared engine at the same time, so the engine's
    list is read again on each try.
    """
    last_engine: set[str] = set()

    def same() -> bool:
        return set(app.state.containers.by_id) == last_engine

    deadline = time.monotonic() + timeout
    while True:
        last_engine = await in_thread(engine_ids, docker_api)
        if same():
            return
        if time.monotonic() > deadline:
            missing = len(last_engine - set(app.state.containers.by_id))
            extra = len(set(app.state.containers.by_id) - last_engine)
            raise AssertionError(
                f"app list differs from the engine: {missing} missing, {extra} extra"
            )
        await pilot.pause(0.2)


def run_short(docker_api: docker.APIClient, run: str) -> str:
    """Create and start one auto-removed container that sleeps 0.2 s."""
    response = docker_api.create_container(
        TEST_IMAGE,
        command=["sh", "-c", "sleep 0.2"],
        name=unique_name("burst"),
        labels={TEST_LABEL: "1", RUN_LABEL: run},
        host_config=docker_api.create_host_config(auto_remove=True),
    )
    container_id = str(response["Id"])
    CREATED.containers.append(container_id)
    docker_api.start(container_id)
    return container_id


def remove_quietly(docker_api: docker.APIClient, container_id: str) -> None:
    try:
        docker_api.remove_container(container_id, force=True)
    except docker.errors.NotFound:
        pass


def remove_run(docker_api: docker.APIClient, run: str) -> None:
    """Force-remove every container carrying this test run's label."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(
            pool.map(
                lambda key: remove_quietly(docker_api, key),
                labelled_ids(docker_api, run),
            )
        )


async def test_burst_of_short_runs(
    engine: Engine, docker_api: docker.APIClient
) -> None:
    run = uuid.uuid4().hex
    seen: set[str] = set()
    try:
        async with run_app(engine) as (app, pilot):

            def burst() -> list[str]:
                with ThreadPoolExecutor(max_workers=SHORT_RUNS) as pool:
                    futures = [
                        pool.submit(run_short, docker_api, run)
                        for _ in range(SHORT_RUNS)
                    ]
                    return [future.result() for future in futures]

            task = asyncio.ensure_future(in_thread(burst))
            while not task.done():
                seen.update(app.state.containers.by_id)
                await pilot.pause(0.05)
            started = set(task.result())
            assert len(started) == SHORT_RUNS

            def all_removed() -> bool:
                return not labelled_ids(docker_api, run)

            await wait_for(pilot, all_removed, timeout=30)
            await wait_until_lists_match(app, pilot, docker_api)
            assert not started & set(app.state.containers.by_id)
            print(f"burst: the app listed {len(started & seen)} of {SHORT_RUNS} runs")
    finally:
        remove_run(docker_api, run)


def create_idle(docker_api: docker.APIClient, run: str) -> str:
    response = docker_api.create_container(
        TEST_IMAGE,
        command=["true"],
        name=unique_name("many"),
        labels={TEST_LABEL: "1", RUN_LABEL: run},
    )
    return str(response["Id"])


def create_many(docker_api: docker.APIClient, run: str, count: int) -> list[str]:
    """Create ``count`` labelled containers in parallel; return their ids."""
    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(lambda _: create_idle(docker_api, run), range(count)))
    CREATED.containers.extend(ids)
    return ids


@pytest.fixture
def many_run(docker_api: docker.APIClient) -> Iterator[str]:
    """Yield a run label; every container carrying it is removed afterwards."""
    run = uuid.uuid4().hex
    try:
        yield run
    finally:
        remove_run(docker_api, run)


async def press_timed(
    app: Any, key: str, done: Callable[[], bool]
) -> tuple[float, float]:
    """Send ``key`` as the terminal would and time it until ``done`` holds.

    Returns wall-clock seconds and the CPU seconds the event loop's thread used
    meanwhile; the second does not grow when other processes load the machine.
    Pilot.press is not used because it also waits for every widget's queue to
    drain, which under a stream of engine events measures the events.
    """
    started = time.monotonic()
    cpu_started = time.thread_time()
    app.post_message(events.Key(key, key))
    while not done():
        if time.monotonic() - started > 10:
            raise AssertionError(f"key {key!r} had no effect within 10 s")
        await asyncio.sleep(0.01)
    return time.monotonic() - started, time.thread_time() - cpu_started


async def test_thousand_containers_with_churn(
    engine: Engine, docker_api: docker.APIClient, many_run: str
) -> None:
    ids = await in_thread(create_many, docker_api, many_run, MANY)
    async with run_app(engine) as (app, pilot):
        await wait_for(pilot, lambda: set(ids) <= set(app.state.containers.by_id))
        table = app.main.table("containers")
        await wait_for(pilot, lambda: all(has_row(table, key) for key in ids))

        def churn() -> list[str]:
            with ThreadPoolExecutor(max_workers=16) as pool:
                list(pool.map(lambda key: remove_quietly(docker_api, key), ids[:CHURN]))
            return create_many(docker_api, many_run, CHURN)

        task = asyncio.ensure_future(in_thread(churn))
        timings = []
        for key, pane in KEY_PRESSES:
            timings.append(
                await press_timed(app, key, lambda p=pane: app.main.current == p)
            )
            if len(timings) == 2:
                assert not task.done(), "the churn ended before two keys were measured"
            await asyncio.sleep(0.1)
        await wait_for(pilot, task.done, timeout=120)
        added = set(task.result())
        assert len(added) == CHURN
        await wait_until_lists_match(app, pilot, docker_api, timeout=20)
        assert not set(ids[:CHURN]) & set(app.state.containers.by_id)
        assert added <= set(app.state.containers.by_id)
        walls = [wall for wall, _ in timings]
        cpus = [cpu for _, cpu in timings]
        print("key seconds during churn, wall:", [round(t, 3) for t in walls])
        print("key seconds during churn, loop CPU:", [round(t, 3) for t in cpus])
        assert statistics.median(cpus) < KEY_SECONDS
        assert max(walls) < KEY_MAX_SECONDS


async def test_removed_between_list_and_display(
    engine: Engine, docker_api: docker.APIClient, many_run: str
) -> None:
    ids = await in_thread(create_many, docker_api, many_run, 3)
    removed_id = ids[0]
    async with run_app(engine) as (app, pilot):
        await wait_for(pilot, lambda: set(ids) <= set(app.state.containers.by_id))
        name = app.state.containers.get(removed_id).name
        listed = await in_thread(app.engine.list_containers)
        await in_thread(docker_api.remove_container, removed_id)
        await wait_for(pilot, lambda: app.state.containers.get(removed_id) is None)

        # A list read before the removal arrives after it, as a slow response would.
        app.post_message(msg.ListLoaded("containers", listed, app.generation))
        await wait_for(pilot, lambda: app.state.containers.get(removed_id) is not None)
        # The filter leaves only this row, so no key can reach another container.
        await pilot.press("slash", *name, "enter")
        table = app.main.table("containers")
        await wait_for(pilot, lambda: table.row_count == 1)
        await select(app, pilot, "containers", removed_id)
        await pilot.pause(0.5)
        await pilot.press("i")
        await pilot.pause(0.5)
        await pilot.press("escape")
        assert app.main.table("containers").cursor_key == removed_id
        await pilot.press("u")
        await wait_for(
            pilot, lambda: app.state.containers.get(removed_id) is None, timeout=5
        )
        await wait_for(pilot, lambda: table.row_count == 0)
        assert any("No such container" in text for text in notification_texts(app))
        await wait_until_lists_match(app, pilot, docker_api)
