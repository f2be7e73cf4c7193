"""Measure what one stats sweep costs with the cgroup source and the API source.

Run with ``python tests/bench_stats.py [COUNT] [SWEEPS]`` as root on a host
whose engine listens on /var/run/docker.sock. It starts COUNT sleeping
containers (labels ``dockertui.test=1`` and ``dockertui.bench=1``), runs
SWEEPS sweeps with each source, prints CPU time per sweep for this process
(all threads) and for dockerd above its idle rate, and force-removes the
containers at the end.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from dockertui.engine.client import Engine
from dockertui.engine.endpoint import Endpoint
from dockertui.engine.stats import RunningContainer, StatsSampler

IMAGE = "dockertui-test:latest"
LABELS = {"dockertui.test": "1", "dockertui.bench": "1"}


def dockerd_cpu_seconds() -> float:
    """Return the CPU time dockerd used so far, or 0 when it is not found."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                data = handle.read()
        except OSError:
            continue
        if "(dockerd)" in data:
            fields = data.rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


def dockerd_idle_rate(seconds: float = 3.0) -> float:
    """Return dockerd's CPU seconds per second while this process sends nothing.

    Other clients of the same engine keep dockerd busy too, so the sweeps'
    share is what dockerd uses above this rate.
    """
    before = dockerd_cpu_seconds()
    time.sleep(seconds)
    return (dockerd_cpu_seconds() - before) / seconds


def open_sockets() -> int:
    """Count the sockets this process has open."""
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            count += os.readlink(f"/proc/self/fd/{fd}").startswith("socket:")
        except OSError:
            continue
    return count


def start_containers(engine: Engine, count: int) -> list[str]:
    """Start ``count`` labelled sleeping containers, eight at a time."""
    api = engine.api
    prefix = f"dtui-bench-{uuid.uuid4().hex[:6]}"

    def start(index: int) -> str:
        answer = api.create_container(
            IMAGE, command=["sleep", "3600"], name=f"{prefix}-{index}", labels=LABELS
        )
        api.start(answer["Id"])
        return str(answer["Id"])

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(start, range(count)))


def remove_containers(engine: Engine, container_ids: list[str]) -> None:
    """Force-remove the benchmark's containers, eight at a time."""

    def remove(container_id: str) -> None:
        engine.api.remove_container(container_id, force=True)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(remove, container_ids))


def run_sweeps(
    sampler: StatsSampler, running: list[RunningContainer], sweeps: int
) -> None:
    """Run the sweeps and print their cost."""
    first = sampler.sample(running)
    print(
        f"{sampler.source}: first sweep (inspects included) "
        f"{sampler.last_sweep_cpu_seconds * 1000:.1f} ms CPU, "
        f"{sampler.last_sweep_seconds * 1000:.1f} ms wall, {len(first)} samples"
    )
    cpu_times, wall_times = [], []
    baseline = dockerd_idle_rate()
    dockerd_before, started = dockerd_cpu_seconds(), time.monotonic()
    for _ in range(sweeps):
        samples = sampler.sample(running)
        assert len(samples) == len(running), len(samples)
        cpu_times.append(sampler.last_sweep_cpu_seconds)
        wall_times.append(sampler.last_sweep_seconds)
    dockerd_used = dockerd_cpu_seconds() - dockerd_before
    dockerd_used -= baseline * (time.monotonic() - started)
    dockerd_per_sweep = dockerd_used / sweeps
    print(
        f"{sampler.source}: per sweep of {len(running)} containers: "
        f"median {statistics.median(cpu_times) * 1000:.1f} ms CPU "
        f"(max {max(cpu_times) * 1000:.1f}), "
        f"median {statistics.median(wall_times) * 1000:.1f} ms wall, "
        f"dockerd {dockerd_per_sweep * 1000:.1f} ms CPU "
        f"(idle rate {baseline * 1000:.0f} ms/s subtracted), "
        f"{open_sockets()} sockets open"
    )


def main() -> None:
    """Start the containers, measure both sources, remove the containers."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    sweeps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    engine = Engine(Endpoint("unix:///var/run/docker.sock", "bench"))
    info = engine.connect()
    container_ids: list[str] = []
    try:
        container_ids = start_containers(engine, count)
        running = [(container_id, 0, "default") for container_id in container_ids]
        for use_cgroups in (True, False):
            sampler = StatsSampler(engine, info, use_cgroups=use_cgroups)
            try:
                run_sweeps(sampler, running, sweeps)
            finally:
                sampler.close()
            time.sleep(1)
    finally:
        remove_containers(engine, container_ids)
        engine.close()


if __name__ == "__main__":
    main()
