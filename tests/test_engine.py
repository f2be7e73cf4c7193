"""The Engine class against the real Docker Engine: lists, streams and actions."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import docker
import pytest
from dockertui.engine import Engine, EngineError, ErrorKind
from dockertui.state.records import ContainerRecord, EngineEvent, Health

if TYPE_CHECKING:
    from conftest import CreatedContainer

T = TypeVar("T")
MakeContainer = Callable[..., "CreatedContainer"]
SECOND_NS = 1_000_000_000


def wait_for(read: Callable[[], T], accept: Callable[[T], bool], timeout: float) -> T:
    """Poll ``read`` until ``accept`` takes its value, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    value = read()
    while not accept(value):
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout}s, last value: {value!r}")
        time.sleep(0.1)
        value = read()
    return value


def listed(engine: Engine, container_id: str) -> ContainerRecord:
    """Return the list record of one container."""
    records = engine.list_containers(ids=[container_id])
    assert len(records) == 1
    return records[0]


def state_of(docker_api: docker.APIClient, container_id: str) -> dict[str, Any]:
    """Return the ``State`` object of a container's inspect response."""
    return dict(docker_api.inspect_container(container_id)["State"])


# Lists


def test_info_reports_the_engine(engine: Engine) -> None:
    info = engine.info()

    assert info.server_version != "?"
    assert info.api_version != "?"
    assert info.cpu_count > 0
    assert info.is_local is engine.endpoint.is_local


def test_list_containers_finds_created_and_running(
    engine: Engine, make_container: MakeContainer
) -> None:
    created = make_container(start=False, suffix="created")
    running = make_container(suffix="running")

    records = {record.id: record for record in engine.list_containers()}

    assert records[created.id].state == "created"
    assert records[created.id].name == created.name
    assert records[created.id].status == "Created"
    assert records[running.id].state == "running"
    assert records[running.id].status.startswith("Up")
    assert records[running.id].label("dockertui.test") == "1"
    assert records[running.id].image == "dockertui-test:latest"


def test_list_containers_filters_by_id(
    engine: Engine, make_container: MakeContainer
) -> None:
    first = make_container(start=False)
    make_container(start=False)

    records = engine.list_containers(ids=[first.id])

    assert [record.id for record in records] == [first.id]


def test_exited_container_keeps_exit_code(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(["sh", "-c", "no-such-command-here"])
    docker_api.wait(container.id, timeout=30)

    record = listed(engine, container.id)
    detail = engine.container_detail(container.id)

    assert record.state == "exited"
    assert record.status.startswith("Exited (127)")
    assert detail.exit_code == 127
    assert detail.started_at is not None
    # No ordering check: for a process that exits at once, engine 20.10 records
    # a FinishedAt up to a millisecond before StartedAt.
    assert detail.finished_at is not None


def test_missing_executable_has_no_start_date(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(["/no/such/executable"], start=False)
    with pytest.raises(docker.errors.APIError):
        docker_api.start(container.id)

    record = listed(engine, container.id)
    detail = engine.container_detail(container.id)

    assert record.state == "created"
    assert detail.exit_code == 127
    assert detail.started_at is None
    assert detail.finished_at is None
    assert "/no/such/executable" in detail.error


def test_paused_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()
    docker_api.pause(container.id)

    record = listed(engine, container.id)

    assert record.state == "paused"
    assert "Paused" in record.status
    assert record.is_running


def test_restarting_container(engine: Engine, make_container: MakeContainer) -> None:
    container = make_container(
        ["sh", "-c", "exit 3"], restart_policy={"Name": "always"}
    )

    record = wait_for(
        lambda: listed(engine, container.id),
        lambda record: record.state == "restarting",
        timeout=20,
    )
    detail = engine.container_detail(container.id)

    assert record.status.startswith("Restarting (3)")
    assert detail.restart_policy == "always"
    assert detail.restart_count >= 1


@pytest.mark.parametrize(
    ("check", "interval_ns", "health"),
    [
        (["CMD", "true"], SECOND_NS // 2, Health.HEALTHY),
        (["CMD", "false"], SECOND_NS // 2, Health.UNHEALTHY),
        (["CMD", "true"], 300 * SECOND_NS, Health.STARTING),
    ],
)
def test_healthcheck_states(
    engine: Engine,
    make_container: MakeContainer,
    check: list[str],
    interval_ns: int,
    health: Health,
) -> None:
    healthcheck = {"Test": check, "Interval": interval_ns, "Retries": 1}
    container = make_container(healthcheck=healthcheck)

    record = wait_for(
        lambda: listed(engine, container.id),
        lambda record: record.health is health,
        timeout=20,
    )

    assert record.state == "running"


def test_container_without_healthcheck(
    engine: Engine, make_container: MakeContainer
) -> None:
    container = make_container()

    assert listed(engine, container.id).health is Health.NONE


def test_untagged_image_from_commit(
    engine: Engine,
    make_container: MakeContainer,
    make_image: Callable[..., str],
) -> None:
    container = make_container(start=False)
    image_id = make_image(container.id)

    images = {image.id: image for image in engine.list_images()}

    assert image_id in images
    assert images[image_id].dangling is True
    assert images[image_id].tags == ()
    assert images[image_id].display_name == "<none>:<none>"
    assert images[image_id].created is not None


def test_tagged_image_from_commit(
    engine: Engine,
    make_container: MakeContainer,
    make_image: Callable[..., str],
) -> None:
    container = make_container(start=False)
    image_id = make_image(container.id, repository="dtui-test-commit", tag="v1")

    images = {image.id: image for image in engine.list_images()}

    assert images[image_id].tags == ("dtui-test-commit:v1",)
    assert images[image_id].dangling is False
    assert engine.image_history(image_id)


def test_list_networks_and_volumes(
    engine: Engine,
    make_network: Callable[..., str],
    make_volume: Callable[..., str],
) -> None:
    network_id = make_network(internal=True)
    volume_name = make_volume()

    networks = {network.id: network for network in engine.list_networks()}
    volumes = {volume.name: volume for volume in engine.list_volumes()}

    assert networks[network_id].internal is True
    assert networks[network_id].driver == "bridge"
    assert networks[network_id].predefined is False
    assert ("dockertui.test", "1") in networks[network_id].labels
    assert volumes[volume_name].driver == "local"
    assert volumes[volume_name].anonymous is False
    assert ("dockertui.test", "1") in volumes[volume_name].labels


def test_container_on_network_with_volume(
    engine: Engine,
    make_container: MakeContainer,
    make_network: Callable[..., str],
    make_volume: Callable[..., str],
    docker_api: docker.APIClient,
) -> None:
    network_id = make_network()
    network_name = docker_api.inspect_network(network_id)["Name"]
    volume_name = make_volume()
    container = make_container(
        network_mode=network_name, volumes={volume_name: "/data"}
    )

    record = listed(engine, container.id)

    assert record.network_mode == network_name
    assert [network.network_id for network in record.networks] == [network_id]
    assert record.networks[0].ip_address
    assert [mount.volume_name for mount in record.mounts] == [volume_name]
    assert record.mounts[0].destination == "/data"


def test_inspect_each_kind(
    engine: Engine,
    make_container: MakeContainer,
    make_volume: Callable[..., str],
) -> None:
    container = make_container(start=False)
    volume_name = make_volume()

    assert engine.inspect("container", container.id)["Id"] == container.id
    assert engine.inspect("volume", volume_name)["Name"] == volume_name
    assert engine.inspect("network", "bridge")["Name"] == "bridge"
    assert engine.inspect("image", "dockertui-test:latest")["Id"].startswith("sha256:")


# Streams


def follow_events(engine: Engine, received: queue.Queue[EngineEvent | None]) -> None:
    """Put each event on ``received``, then None when the stream ends."""
    try:
        for event in engine.events():
            received.put(event)
    finally:
        received.put(None)


def wait_for_event(
    received: queue.Queue[EngineEvent | None],
    accept: Callable[[EngineEvent], bool],
    timeout: float,
) -> EngineEvent | None:
    """Return the first event ``accept`` takes within ``timeout`` s, or None."""
    deadline = time.monotonic() + timeout
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            event = received.get(timeout=remaining)
        except queue.Empty:
            return None
        if event is None:
            pytest.fail("the event stream ended early")
        if accept(event):
            return event
    return None


def test_events_yield_start_and_close_promptly(
    engine: Engine,
    make_container: MakeContainer,
    make_volume: Callable[..., str],
    docker_api: docker.APIClient,
) -> None:
    container = make_container(start=False)
    received: queue.Queue[EngineEvent | None] = queue.Queue()
    reader = threading.Thread(target=follow_events, args=(engine, received))
    reader.start()
    try:
        # Any event proves the stream is open; a new volume makes one.
        while wait_for_event(received, lambda event: True, timeout=0.5) is None:
            make_volume(suffix="probe")

        docker_api.start(container.id)
        start_event = wait_for_event(
            received,
            lambda event: event.actor_id == container.id and event.action == "start",
            timeout=10,
        )
    finally:
        closed_at = time.monotonic()
        engine.close_events()
        reader.join(timeout=5)

    assert start_event is not None
    assert start_event.kind == "container"
    assert start_event.actor_name == container.name
    assert start_event.time_nano > 0
    assert not reader.is_alive()
    assert time.monotonic() - closed_at < 2


def test_logs_stream_returns_output(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(["sh", "-c", "echo first; echo second"])
    docker_api.wait(container.id, timeout=30)

    stream = engine.logs(container.id, tail=10)
    try:
        output = b"".join(stream)
    finally:
        stream.close()

    assert b"first" in output
    assert b"second" in output


# Actions


def test_start_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(start=False)

    engine.start_container(container.id)

    assert state_of(docker_api, container.id)["Running"] is True


def test_stop_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()

    engine.stop_container(container.id, timeout=1)

    state = state_of(docker_api, container.id)
    assert state["Running"] is False
    assert state["Status"] == "exited"


def test_restart_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()
    first_start = state_of(docker_api, container.id)["StartedAt"]

    engine.restart_container(container.id, timeout=1)

    state = state_of(docker_api, container.id)
    assert state["Running"] is True
    assert state["StartedAt"] != first_start


def test_pause_and_unpause_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()

    engine.pause_container(container.id)
    paused = state_of(docker_api, container.id)
    engine.unpause_container(container.id)
    resumed = state_of(docker_api, container.id)

    assert paused["Paused"] is True
    assert resumed["Paused"] is False
    assert resumed["Running"] is True


def test_kill_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()

    engine.kill_container(container.id)
    docker_api.wait(container.id, timeout=30)

    state = state_of(docker_api, container.id)
    assert state["Running"] is False
    assert state["ExitCode"] == 137


def test_kill_container_sends_the_signal(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    script = "trap 'exit 42' TERM; echo ready; while true; do sleep 0.1; done"
    container = make_container(["sh", "-c", script])
    wait_for(
        lambda: docker_api.logs(container.id),
        lambda output: b"ready" in output,
        timeout=10,
    )

    engine.kill_container(container.id, signal="SIGTERM")
    docker_api.wait(container.id, timeout=30)

    assert state_of(docker_api, container.id)["ExitCode"] == 42


def test_remove_container(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(start=False)

    engine.remove_container(container.id)

    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_container(container.id)


def test_force_remove_running_container_with_volumes(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(anonymous_volumes=["/scratch"])
    mounts = docker_api.inspect_container(container.id)["Mounts"]
    anonymous_volume = mounts[0]["Name"]

    engine.remove_container(container.id, force=True, volumes=True)

    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_container(container.id)
    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_volume(anonymous_volume)


def test_remove_image_network_and_volume(
    engine: Engine,
    make_container: MakeContainer,
    make_image: Callable[..., str],
    make_network: Callable[..., str],
    make_volume: Callable[..., str],
    docker_api: docker.APIClient,
) -> None:
    image_id = make_image(make_container(start=False).id)
    network_id = make_network()
    volume_name = make_volume()

    engine.remove_image(image_id)
    engine.remove_network(network_id)
    engine.remove_volume(volume_name)

    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_image(image_id)
    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_network(network_id)
    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_volume(volume_name)


def test_action_before_connect_is_an_engine_error() -> None:
    from dockertui.engine import resolve_endpoint

    unconnected = Engine(resolve_endpoint(host="unix:///nonexistent.sock"))

    with pytest.raises(EngineError) as caught:
        unconnected.list_containers()

    assert caught.value.kind is ErrorKind.UNEXPECTED
