"""Shared fixtures: a connected engine and factories for labelled test objects.

Every object these factories create carries the label ``dockertui.test=1`` and a
name starting with ``dtui-test-``. Each factory force-removes what it created when
its test ends, and a session-wide net removes anything recorded that is still
there. Nothing is removed that this session did not create.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
from dockertui.engine import Engine, EngineError, resolve_endpoint

if TYPE_CHECKING:
    import docker

TEST_LABEL = "dockertui.test"
TEST_IMAGE = "dockertui-test:latest"
NAME_PREFIX = "dtui-test-"
ENGINE_FIXTURES = frozenset(
    {"engine", "docker_api", "make_container", "make_network", "make_volume"}
)


def unique_name(suffix: str = "") -> str:
    """Return a fresh object name with the test prefix and an optional suffix."""
    middle = f"{suffix}-" if suffix else ""
    return f"{NAME_PREFIX}{middle}{uuid.uuid4().hex[:10]}"


@dataclass(frozen=True)
class CreatedContainer:
    """A container a test created: its full id and its name."""

    id: str
    name: str


@dataclass
class CreatedObjects:
    """Ids of every object this session created, by kind, for the final cleanup."""

    containers: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)


CREATED = CreatedObjects()


# Skip accounting: scripts/test reads the report and fails CI on engine skips.

_skipped_tests: list[dict[str, Any]] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses an engine fixture with the ``engine`` marker."""
    for item in items:
        if ENGINE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.engine)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record each skipped test with its reason and whether it needs the engine."""
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr)
    if isinstance(report.longrepr, tuple):
        reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    _skipped_tests.append(
        {
            "nodeid": report.nodeid,
            "engine": "engine" in report.keywords,
            "reason": reason,
        }
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the skip report to the path in ``DOCKERTUI_SKIP_REPORT``, if set."""
    report_path = os.environ.get("DOCKERTUI_SKIP_REPORT")
    if report_path:
        with open(report_path, "w") as report_file:
            json.dump({"skipped": _skipped_tests}, report_file)


# Engine fixtures


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """Yield an Engine connected the way the app connects, or skip with the reason."""
    try:
        endpoint = resolve_endpoint()
        connected = Engine(endpoint)
        connected.connect()
    except EngineError as error:
        pytest.skip(f"no Docker Engine responds: {error.message} {error.hint}")
    yield connected
    connected.close()


@pytest.fixture(scope="session")
def docker_api(engine: Engine) -> Iterator[docker.APIClient]:
    """Yield a separate SDK client for test set-up, checked to have the test image."""
    import docker

    client = docker.APIClient(
        base_url=engine.endpoint.host, version="auto", timeout=120
    )
    try:
        client.inspect_image(TEST_IMAGE)
    except docker.errors.ImageNotFound:
        client.close()
        pytest.skip(f"image {TEST_IMAGE} is missing: run scripts/build-test-image")
    yield client
    client.close()


@pytest.fixture(scope="session", autouse=True)
def _remove_session_leftovers() -> Iterator[None]:
    """Remove, at session end, recorded objects that a test failed to clean up."""
    yield
    if any(vars(CREATED).values()):
        remove_recorded_objects(CREATED)


def _has_test_label(attributes: dict[str, Any]) -> bool:
    labels = attributes.get("Labels")
    if labels is None:
        labels = (attributes.get("Config") or {}).get("Labels")
    return (labels or {}).get(TEST_LABEL) == "1"


def remove_recorded_objects(created: CreatedObjects) -> None:
    """Force-remove each recorded object that still exists and has the test label."""
    import docker

    client = docker.APIClient(
        base_url=resolve_endpoint().host, version="auto", timeout=60
    )
    kinds: list[tuple[list[str], Callable[[str], Any], Callable[[str], Any]]] = [
        (
            created.containers,
            client.inspect_container,
            lambda id_: client.remove_container(id_, force=True, v=True),
        ),
        (
            created.images,
            client.inspect_image,
            lambda id_: client.remove_image(id_, force=True),
        ),
        (created.networks, client.inspect_network, client.remove_network),
        (created.volumes, client.inspect_volume, client.remove_volume),
    ]
    try:
        for ids, inspect, remove in kinds:
            for object_id in ids:
                try:
                    if _has_test_label(inspect(object_id)):
                        remove(object_id)
                except docker.errors.APIError:
                    continue
    finally:
        client.close()


# Factories. make_container depends on the others, so its containers are removed
# before the networks, volumes and images they may use.


@pytest.fixture
def make_network(docker_api: docker.APIClient) -> Iterator[Callable[..., str]]:
    """Yield a factory that creates a labelled network and returns its id."""
    network_ids: list[str] = []

    def create(
        suffix: str = "",
        driver: str = "bridge",
        internal: bool = False,
        labels: dict[str, str] | None = None,
    ) -> str:
        response = docker_api.create_network(
            unique_name(suffix),
            driver=driver,
            internal=internal,
            labels={TEST_LABEL: "1", **(labels or {})},
        )
        network_ids.append(response["Id"])
        CREATED.networks.append(response["Id"])
        return str(response["Id"])

    yield create
    for network_id in reversed(network_ids):
        _ignore_missing(docker_api.remove_network, network_id)


@pytest.fixture
def make_volume(docker_api: docker.APIClient) -> Iterator[Callable[..., str]]:
    """Yield a factory that creates a labelled named volume and returns its name."""
    volume_names: list[str] = []

    def create(suffix: str = "", labels: dict[str, str] | None = None) -> str:
        response = docker_api.create_volume(
            unique_name(suffix), labels={TEST_LABEL: "1", **(labels or {})}
        )
        volume_names.append(response["Name"])
        CREATED.volumes.append(response["Name"])
        return str(response["Name"])

    yield create
    for volume_name in reversed(volume_names):
        _ignore_missing(docker_api.remove_volume, volume_name, force=True)


@pytest.fixture
def make_image(docker_api: docker.APIClient) -> Iterator[Callable[..., str]]:
    """Yield a factory that commits a container to a labelled image, returning its id.

    Without ``repository`` the image is untagged, as ``docker commit`` leaves it.
    """
    image_ids: list[str] = []

    def create(
        container_id: str, repository: str | None = None, tag: str | None = None
    ) -> str:
        response = docker_api.commit(
            container_id,
            repository=repository,
            tag=tag,
            conf={"Labels": {TEST_LABEL: "1"}},
        )
        image_ids.append(response["Id"])
        CREATED.images.append(response["Id"])
        return str(response["Id"])

    yield create
    for image_id in reversed(image_ids):
        _ignore_missing(docker_api.remove_image, image_id, force=True)


@pytest.fixture
def make_container(
    docker_api: docker.APIClient,
    make_network: Callable[..., str],
    make_volume: Callable[..., str],
    make_image: Callable[..., str],
) -> Iterator[Callable[..., CreatedContainer]]:
    """Yield a factory that creates (and by default starts) a labelled container.

    The factory takes the command, ``start``, a name ``suffix``, ``tty``,
    ``healthcheck`` (the Engine API dict), ``restart_policy`` (for example
    ``{"Name": "always"}``), ``network_mode``, ``volumes`` (source to container
    path), ``anonymous_volumes`` (container paths), ``labels``, ``environment``
    and ``entrypoint``.
    """
    containers: list[str] = []

    def create(
        command: Sequence[str] | None = ("sleep", "300"),
        *,
        start: bool = True,
        suffix: str = "",
        tty: bool = False,
        healthcheck: dict[str, Any] | None = None,
        restart_policy: dict[str, Any] | None = None,
        network_mode: str | None = None,
        volumes: dict[str, str] | None = None,
        anonymous_volumes: Sequence[str] = (),
        labels: dict[str, str] | None = None,
        environment: dict[str, str] | None = None,
        entrypoint: Sequence[str] | None = None,
    ) -> CreatedContainer:
        name = unique_name(suffix)
        host_config = docker_api.create_host_config(
            restart_policy=restart_policy,
            network_mode=network_mode,
            binds=[f"{source}:{target}" for source, target in (volumes or {}).items()],
        )
        response = docker_api.create_container(
            TEST_IMAGE,
            command=list(command) if command is not None else None,
            name=name,
            tty=tty,
            labels={TEST_LABEL: "1", **(labels or {})},
            healthcheck=healthcheck,
            environment=environment,
            entrypoint=list(entrypoint) if entrypoint is not None else None,
            volumes=list(anonymous_volumes) or None,
            host_config=host_config,
        )
        container_id = str(response["Id"])
        containers.append(container_id)
        CREATED.containers.append(container_id)
        if start:
            docker_api.start(container_id)
        return CreatedContainer(id=container_id, name=name)

    yield create
    for container_id in reversed(containers):
        _ignore_missing(docker_api.remove_container, container_id, force=True, v=True)


def _ignore_missing(remove: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Call ``remove(*args, **kwargs)``, ignoring objects that are already gone."""
    import docker

    try:
        remove(*args, **kwargs)
    except docker.errors.NotFound:
        pass
