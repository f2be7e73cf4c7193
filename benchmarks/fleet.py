"""The benchmark's containers: create them in parallel, remove exactly those."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

import docker
import docker.errors

log = logging.getLogger(__name__)

IMAGE = "dockertui-test:latest"
BENCH_LABEL = "dockertui.bench"
RUN_LABEL = "dockertui.bench.run"
CREATE_WORKERS = 8

# Busybox sh counts to 3000, then sleeps a second, so the container uses CPU in
# bursts and its CPU figure changes from one stats sample to the next.
BUSY_COMMAND = [
    "sh",
    "-c",
    "while :; do i=0; while [ $i -lt 3000 ]; do i=$((i+1)); done; sleep 1; done",
]


class Fleet:
    """Containers labelled ``dockertui.bench=1`` that this run created."""

    def __init__(self, client: docker.DockerClient, run_id: str) -> None:
        self.client = client
        self.run_id = run_id
        self.ids: set[str] = set()
        self._lock = threading.Lock()

    def run(self, name: str, command: list[str] | None = None) -> str:
        """Start one labelled container and return its id."""
        container = self.client.containers.run(
            IMAGE,
            command or ["sleep", "100000"],
            name=name,
            labels={BENCH_LABEL: "1", RUN_LABEL: self.run_id},
            detach=True,
        )
        with self._lock:
            self.ids.add(container.id)
        return container.id

    def run_many(self, names: list[str]) -> None:
        """Start one container per name with a pool of threads."""
        with ThreadPoolExecutor(CREATE_WORKERS) as pool:
            for _ in pool.map(self.run, names):
                pass

    def remove(self, ids: Iterable[str]) -> None:
        """Force-remove the given containers of this run, in parallel."""
        with ThreadPoolExecutor(CREATE_WORKERS) as pool:
            for _ in pool.map(self._remove_one, list(ids)):
                pass

    def remove_all(self) -> int:
        """Remove every container this run created, found by id and by run label."""
        labelled = self.client.api.containers(
            all=True, quiet=True, filters={"label": f"{RUN_LABEL}={self.run_id}"}
        )
        targets = self.ids | {c["Id"] for c in labelled}
        self.remove(targets)
        return len(targets)

    def _remove_one(self, container_id: str) -> None:
        try:
            self.client.api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass
        except docker.errors.APIError as error:
            log.warning("removing container %s failed: %s", container_id[:12], error)
        with self._lock:
            self.ids.discard(container_id)
