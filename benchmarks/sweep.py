"""Time dockertui's stats sweep directly, through its own sampler class.

Usage: /tmp/venv/bin/python benchmarks/sweep.py --n 300 --sweeps 6
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import docker
from dockertui.engine.client import Engine
from dockertui.engine.endpoint import resolve_endpoint
from fleet import Fleet

ENGINE_URL = "unix:///var/run/docker.sock"


def running_containers(client: docker.DockerClient) -> tuple[tuple[str, int, str], ...]:
    """Return every running container as the sampler expects it, like the app does."""
    listed = client.api.containers(filters={"status": "running"})
    return tuple((c["Id"], 0, c["HostConfig"]["NetworkMode"]) for c in listed)


def time_sweeps(count: int, sweeps: int, interval: float) -> None:
    """Sample every running container ``sweeps`` times and print each sweep's cost."""
    engine = Engine(resolve_endpoint(host=ENGINE_URL))
    info = engine.connect()
    sampler = engine.stats_sampler(info, interval)
    client = docker.DockerClient(base_url=ENGINE_URL)
    try:
        running = running_containers(client)
        print(f"{count} bench containers, {len(running)} running in all")
        walls, cpus = [], []
        for number in range(1, sweeps + 1):
            samples = sampler.sample(running)
            walls.append(sampler.last_sweep_seconds)
            cpus.append(sampler.last_sweep_cpu_seconds)
            print(
                f"sweep {number}: {len(samples)} samples from {sampler.source}, "
                f"{walls[-1]:.3f} s wall, {cpus[-1]:.3f} s CPU of this process"
            )
            time.sleep(interval)
        print(
            f"median after the first sweep: {statistics.median(walls[1:]):.3f} s wall, "
            f"{statistics.median(cpus[1:]):.3f} s CPU"
        )
    finally:
        sampler.close()


def main() -> None:
    """Start the containers, time the sweeps, remove the containers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n", type=int, default=300, help="number of containers to start"
    )
    parser.add_argument(
        "--sweeps", type=int, default=6, help="number of sweeps to time"
    )
    parser.add_argument(
        "--interval", type=float, default=2.0, help="seconds between sweeps"
    )
    args = parser.parse_args()
    fleet = Fleet(docker.DockerClient(base_url=ENGINE_URL), uuid.uuid4().hex[:12])
    try:
        fleet.run_many([f"0sweep-{i:03d}" for i in range(args.n)])
        time_sweeps(args.n, args.sweeps, args.interval)
    finally:
        print(f"removed {fleet.remove_all()} benchmark containers")


if __name__ == "__main__":
    main()
