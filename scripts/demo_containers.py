"""Create (or remove) a dozen labelled containers in every state, for manual trials.

Usage: python scripts/demo_containers.py [up|down]

Everything made here carries the label dockertui.test=1 and the name prefix
demo-, and ``down`` removes only containers, volumes and networks carrying it.
"""

from __future__ import annotations

import sys
import time

import docker

LABEL = {"dockertui.test": "1", "dockertui.demo": "1"}
IMAGE = "dockertui-test:latest"


def up(client: docker.DockerClient) -> None:
    """Create the demo containers."""
    net = client.networks.create("demo-backend", labels=LABEL)
    client.volumes.create("demo-data", labels=LABEL)
    run = dict(image=IMAGE, labels=LABEL, detach=True)
    client.containers.run(
        name="demo-web",
        command="sleep 100000",
        ports={"80/tcp": 8080},
        network=net.name,
        volumes={"demo-data": {"bind": "/data", "mode": "rw"}},
        **run,
    )
    client.containers.run(name="demo-worker", command="sleep 100000", **run)
    client.containers.run(name="demo-exited", command="sh -c 'exit 137'", **run)
    client.containers.create(
        name="demo-created", command="sleep 1", image=IMAGE, labels=LABEL
    )
    try:
        client.containers.run(name="demo-failed-start", command="/nonexistent", **run)
    except docker.errors.APIError:
        pass
    client.containers.run(
        name="demo-restarting",
        command="sh -c 'exit 3'",
        restart_policy={"Name": "always"},
        **run,
    )
    paused = client.containers.run(name="demo-paused", command="sleep 100000", **run)
    paused.pause()
    health = {"test": ["CMD", "true"], "interval": 1_000_000_000, "start_period": 0}
    client.containers.run(
        name="demo-healthy", command="sleep 100000", healthcheck=health, **run
    )
    bad = {"test": ["CMD", "false"], "interval": 1_000_000_000, "retries": 1}
    client.containers.run(
        name="demo-unhealthy", command="sleep 100000", healthcheck=bad, **run
    )
    slow = {
        "test": ["CMD", "true"],
        "interval": 3600_000_000_000,
        "start_period": 3600_000_000_000,
    }
    client.containers.run(
        name="demo-starting", command="sleep 100000", healthcheck=slow, **run
    )
    odd_labels = dict(
        LABEL,
        note="[/x] [bold]not bold[00] 日本語 🐳",
        **{"com.docker.compose.project": "shop"},
    )
    client.containers.run(
        name="demo-label-markup",
        command="sleep 100000",
        image=IMAGE,
        labels=odd_labels,
        detach=True,
        volumes=["/anon"],
    )
    base = (
        "demo-" + "a-very-long-container-name-that-goes-on-and-on-and-on-until-the-end-"
    )
    client.containers.create(
        name=base + "first", image=IMAGE, labels=LABEL, command="true"
    )
    client.containers.create(
        name=base + "second", image=IMAGE, labels=LABEL, command="true"
    )
    time.sleep(3)


def down(client: docker.DockerClient) -> None:
    """Remove what ``up`` made, and only that."""
    flt = {"label": "dockertui.demo=1"}
    for container in client.containers.list(all=True, filters=flt):
        container.remove(force=True, v=True)
    for network in client.networks.list(filters=flt):
        network.remove()
    for volume in client.volumes.list(filters=flt):
        volume.remove(force=True)


if __name__ == "__main__":
    docker_client = docker.from_env()
    (down if sys.argv[1:] == ["down"] else up)(docker_client)
