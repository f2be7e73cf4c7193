"""The test fixtures' own promises: labels, names and the session cleanup."""

from __future__ import annotations

from collections.abc import Callable

import docker
import pytest
from conftest import (
    CREATED,
    NAME_PREFIX,
    TEST_IMAGE,
    TEST_LABEL,
    CreatedContainer,
    CreatedObjects,
    remove_recorded_objects,
    unique_name,
)

MakeContainer = Callable[..., CreatedContainer]


def test_unique_names_have_prefix() -> None:
    names = {unique_name("probe") for _ in range(50)}

    assert len(names) == 50
    assert all(name.startswith(f"{NAME_PREFIX}probe-") for name in names)


def test_made_container_is_labelled(
    make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container(labels={"extra": "yes"}, tty=True)

    inspect = docker_api.inspect_container(container.id)

    assert inspect["Name"] == f"/{container.name}"
    assert inspect["Config"]["Labels"][TEST_LABEL] == "1"
    assert inspect["Config"]["Labels"]["extra"] == "yes"
    assert inspect["Config"]["Tty"] is True
    assert inspect["State"]["Running"] is True


def test_made_network_and_volume_are_labelled(
    make_network: Callable[..., str],
    make_volume: Callable[..., str],
    docker_api: docker.APIClient,
) -> None:
    network = docker_api.inspect_network(make_network())
    volume = docker_api.inspect_volume(make_volume())

    assert network["Labels"][TEST_LABEL] == "1"
    assert network["Name"].startswith(NAME_PREFIX)
    assert volume["Labels"][TEST_LABEL] == "1"
    assert volume["Name"].startswith(NAME_PREFIX)


def test_cleanup_removes_recorded_labelled_objects(
    docker_api: docker.APIClient,
) -> None:
    container_id = docker_api.create_container(
        TEST_IMAGE, ["sleep", "300"], name=unique_name(), labels={TEST_LABEL: "1"}
    )["Id"]
    CREATED.containers.append(container_id)
    docker_api.start(container_id)
    volume_name = docker_api.create_volume(unique_name(), labels={TEST_LABEL: "1"})[
        "Name"
    ]
    CREATED.volumes.append(volume_name)

    remove_recorded_objects(
        CreatedObjects(containers=[container_id], volumes=[volume_name])
    )

    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_container(container_id)
    with pytest.raises(docker.errors.NotFound):
        docker_api.inspect_volume(volume_name)


def test_cleanup_keeps_objects_without_label(docker_api: docker.APIClient) -> None:
    # A volume, because containers inherit the label from the test image.
    volume_name = docker_api.create_volume(unique_name("unlabelled"))["Name"]
    try:
        remove_recorded_objects(CreatedObjects(volumes=[volume_name]))

        inspect = docker_api.inspect_volume(volume_name)
    finally:
        docker_api.remove_volume(volume_name, force=True)

    assert inspect["Name"] == volume_name
