"""Fixtures and helpers for the stats tests that run against the real engine.

Every container made here carries the label ``dockertui.test=1`` and a unique
name, and is force-removed when the test ends, whether it passed or not.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psutil
import pytest
from dockertui.engine.client import Engine
from dockertui.engine.endpoint import Endpoint
from dockertui.engine.errors import EngineError
from dockertui.engine.stats import RunningContainer, StatsSampler
from dockertui.state.records import EngineInfo
from dockertui.state.stats import ContainerStats, StatsTracker

SOCKET = "unix:///var/run/docker.sock"
IMAGE = "dockertui-test:latest"
TEST_LABEL = {"dockertui.test": "1"}
SPIN = ["sh", "-c", "while :; do :; done"]
SPIN_THREE = [
    "sh",
    "-c",
    "while :; do :; done & while :; do :; done & while :; do :; done & wait",
]
SLEEP = ["sleep", "600"]

MakeContainer = Callable[..., str]


@pytest.fixture(scope="module")
def stats_engine() -> Iterator[Engine]:
    """Connect to the local engine, or skip with the reason when none responds."""
    connection = Engine(Endpoint(SOCKET, "test"))
    try:
        connection.connect()
    except EngineError as error:
        pytest.skip(f"no Docker Engine at {SOCKET}: {error.message}")
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def stats_info(stats_engine: Engine) -> EngineInfo:
    """Return the engine's info."""
    return stats_engine.info()


@pytest.fixture
def make_stats_container(stats_engine: Engine) -> Iterator[MakeContainer]:
    """Create labelled containers; every one is force-removed at teardown."""
    api = stats_engine.api
    created: list[str] = []

    def make(
        command: list[str] | None = None, start: bool = True, **host_config: Any
    ) -> str:
        name = f"dtui-test-stats-{uuid.uuid4().hex[:12]}"
        answer = api.create_container(
            IMAGE,
            command=command or SLEEP,
            name=name,
            labels=TEST_LABEL,
            host_config=api.create_host_config(**host_config),
        )
        container_id: str = answer["Id"]
        created.append(container_id)
        if start:
            api.start(container_id)
        return container_id

    try:
        yield make
    finally:
        for container_id in created:
            try:
                api.remove_container(container_id, force=True, v=True)
            except Exception:  # noqa: BLE001 - already gone is fine at teardown
                pass


def running_entry(engine: Engine, container_id: str) -> RunningContainer:
    """Describe a container the way the app passes it to the sampler (pid 0)."""
    inspect = engine.inspect("container", container_id)
    return (container_id, 0, inspect["HostConfig"]["NetworkMode"])


def measure(
    samplers: list[StatsSampler],
    running: list[RunningContainer],
    seconds: float = 2.0,
    host_memory: int = 0,
) -> list[dict[str, ContainerStats]]:
    """Sample twice, ``seconds`` apart, with each sampler; return its figures."""
    trackers = [StatsTracker(host_memory=host_memory) for _ in samplers]
    for sampler, tracker in zip(samplers, trackers, strict=True):
        tracker.update(sampler.sample(running))
    time.sleep(seconds)
    return [
        tracker.update(sampler.sample(running))
        for sampler, tracker in zip(samplers, trackers, strict=True)
    ]


def wait_for(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``predicate`` every 0.1 s until it is true or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


def container_pids(engine: Engine, container_id: str) -> list[int]:
    """Return the host pids of a container's processes."""
    top = engine.api.top(container_id, ps_args="-eo pid")
    return [int(row[0]) for row in top["Processes"]]


def process_cpu_seconds(pids: list[int]) -> float:
    """Sum user and system CPU time of processes, from /proc/<pid>/stat.

    This reads each process's own counters, so it checks the cgroup and API
    figures against a source that neither of them uses.
    """
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state is field 3, utime 14 and stime 15.
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuWindow:
    """Figures of one container over a window, with independent references."""

    measured: list[ContainerStats]
    """The container's figures from each sampler, in the samplers' order."""
    reference: float
    """CPU percent of the container's processes from /proc/<pid>/stat."""
    others: float
    """CPU percent every other process of the host used, from /proc/stat."""

    def expected(self, demand: float, cpus: int) -> float:
        """Return what a container asking for ``demand`` percent can get."""
        return min(demand, cpus * 100.0 - self.others)


def measure_with_reference(
    engine: Engine,
    samplers: list[StatsSampler],
    container_id: str,
    seconds: float = 2.0,
) -> CpuWindow:
    """Measure one container with each sampler, and its CPU percent from /proc."""
    running = [running_entry(engine, container_id)]
    pids = container_pids(engine, container_id)
    host_before = psutil.cpu_times()
    cpu_before = process_cpu_seconds(pids)
    started = time.monotonic()
    measured = measure(samplers, running, seconds)
    elapsed = time.monotonic() - started
    cpu_after = process_cpu_seconds(pids)
    host_after = psutil.cpu_times()
    reference = (cpu_after - cpu_before) / elapsed * 100.0
    host_busy = sum(host_after) - sum(host_before)
    host_busy -= host_after.idle - host_before.idle
    others = max(0.0, host_busy / elapsed * 100.0 - reference)
    return CpuWindow([figures[container_id] for figures in measured], reference, others)


def open_sockets() -> int:
    """Count the sockets this process has open."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue
    return count
