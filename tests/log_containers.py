"""Containers for the log and exec tests: labelled, uniquely named, removed after.

The json-file log of each is capped at 2 x 20 MB, so a container that prints
as fast as it can does not fill the disk.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import docker
import pytest

IMAGE = "dockertui-test:latest"
LABELS = {"dockertui.test": "1"}

RunContainer = Callable[..., str]


@pytest.fixture
def run_container(docker_api: docker.APIClient) -> Iterator[RunContainer]:
    """Start ``sh -c SCRIPT`` containers and force-remove every one afterwards."""
    created: list[str] = []

    def run(script: str, tty: bool = False, start: bool = True, **options: Any) -> str:
        host_config = docker_api.create_host_config(
            log_config={
                "Type": "json-file",
                "Config": {"max-size": "20m", "max-file": "2"},
            }
        )
        container = docker_api.create_container(
            IMAGE,
            ["sh", "-c", script],
            tty=tty,
            name=f"dtui-test-logs-{uuid.uuid4().hex[:10]}",
            labels=LABELS,
            host_config=host_config,
            **options,
        )
        created.append(container["Id"])
        if start:
            docker_api.start(container["Id"])
        return str(container["Id"])

    yield run
    for container_id in created:
        try:
            docker_api.remove_container(container_id, force=True)
        except docker.errors.NotFound:
            pass


def wait_for_log(
    api: docker.APIClient, container_id: str, marker: bytes, timeout: float = 10.0
) -> None:
    """Wait until the container's log contains ``marker``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker in api.logs(container_id):
            return
        time.sleep(0.05)
    raise AssertionError(f"{marker!r} did not appear in the log within {timeout} s")
