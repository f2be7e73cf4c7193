"""Prune previews and removals against the real engine.

Every preview here is restricted by the label filter ``dockertui.test=1`` plus a
label unique to this module's run, so the tests see and remove only what they
created, even while other test sessions share the engine.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from conftest import CREATED, TEST_IMAGE, TEST_LABEL, CreatedContainer, unique_name
from dockertui.engine import Engine
from dockertui.engine.disk import read_disk_usage, remove_planned
from dockertui.state.disk import LabelFilter
from dockertui.state.prune import PlanItem, PruneKind, PrunePlan, plan_prune
from dockertui.state.removal import plan_removal

if TYPE_CHECKING:
    import docker

RUN_LABEL = "dockertui.test.run"
RUN_ID = uuid.uuid4().hex
LABELS = {TEST_LABEL: "1", RUN_LABEL: RUN_ID}
ONLY_OURS = LabelFilter((f"{TEST_LABEL}=1", f"{RUN_LABEL}={RUN_ID}"))


@pytest.fixture
def commit_image(docker_api: docker.APIClient) -> Iterator[Callable[[str], str]]:
    """Yield a factory that commits a container to an untagged, labelled image."""
    image_ids: list[str] = []

    def commit(container_id: str) -> str:
        answer = docker_api.commit(container_id, conf={"Labels": dict(LABELS)})
        image_ids.append(answer["Id"])
        CREATED.images.append(answer["Id"])
        return str(answer["Id"])

    yield commit
    for image_id in image_ids:
        try:
            docker_api.remove_image(image_id, force=True)
        except Exception:  # noqa: BLE001 - already removed by the test
            pass


@pytest.fixture
def anonymous_volume(docker_api: docker.APIClient) -> Iterator[str]:
    """Yield a labelled anonymous volume left behind by a removed container."""
    from docker.types import Mount

    mount = Mount("/data", None, type="volume", labels=dict(LABELS))
    host_config = docker_api.create_host_config(mounts=[mount])
    answer = docker_api.create_container(
        TEST_IMAGE,
        ["true"],
        name=unique_name("anon"),
        labels=LABELS,
        host_config=host_config,
    )
    mounts = docker_api.inspect_container(answer["Id"])["Mounts"]
    volume_name = str(mounts[0]["Name"])
    CREATED.volumes.append(volume_name)
    docker_api.remove_container(answer["Id"], v=False)
    yield volume_name
    try:
        docker_api.remove_volume(volume_name, force=True)
    except Exception:  # noqa: BLE001 - already removed by the test
        pass


def ours(
    make_container: Callable[..., CreatedContainer], **options: Any
) -> CreatedContainer:
    """Create a container that carries this run's labels."""
    return make_container(labels=dict(LABELS), **options)


def test_dangling_image_reclaims_committed_layer(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    commit_image: Callable[[str], str],
) -> None:
    writer = ours(
        make_container, command=["sh", "-c", "head -c 300000 /dev/urandom > /blob"]
    )
    docker_api.wait(writer.id, timeout=30)
    image_id = commit_image(writer.id)
    layer_size = int(docker_api.history(image_id)[0]["Size"])

    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.DANGLING_IMAGES, ONLY_OURS)

    assert [item.id for item in plan.items] == [image_id]
    assert plan.reclaim == layer_size
    committed = next(i for i in snapshot.images if i.id == image_id)
    assert plan.reclaim < committed.size
    assert snapshot.layer_sizes_exact

    report = remove_planned(engine, plan, snapshot)

    assert [item.id for item in report.removed] == [image_id]
    assert report.refused == ()
    assert report.reclaimed == layer_size
    assert not any(i["Id"] == image_id for i in docker_api.images(all=True))


def test_volume_prune_lists_what_api_141_removes(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    make_volume: Callable[..., str],
    anonymous_volume: str,
) -> None:
    used = make_volume("used", labels=dict(LABELS))
    unused = make_volume("unused", labels=dict(LABELS))
    user = ours(make_container, volumes={used: "/data"})

    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.VOLUMES, ONLY_OURS)

    assert snapshot.api_version == "1.41"
    assert {item.id for item in plan.items} == {unused, anonymous_volume}
    assert [k.id for k in plan.kept] == [used]
    assert plan.kept[0].users == (user.name,)

    report = remove_planned(engine, plan, snapshot)

    assert {item.id for item in report.removed} == {unused, anonymous_volume}
    remaining = {v["Name"] for v in docker_api.volumes()["Volumes"] or []}
    assert used in remaining
    assert unused not in remaining
    assert anonymous_volume not in remaining


def test_volume_in_use_refused_with_users(
    engine: Engine,
    make_container: Callable[..., CreatedContainer],
    make_volume: Callable[..., str],
) -> None:
    used = make_volume("used", labels=dict(LABELS))
    user = ours(make_container, volumes={used: "/data"})
    snapshot = read_disk_usage(engine)

    preview = plan_removal(snapshot, "volume", [used])
    forced = PrunePlan("forced", (PlanItem("volume", used, used, 0, "test"),))
    report = remove_planned(engine, forced, snapshot)

    assert preview.items == ()
    assert preview.kept[0].describe() == f"in use: {user.name}"
    assert report.removed == ()
    assert "in use" in report.refused[0].reason
    assert report.refused[0].users == (user.name,)


def test_network_prune_keeps_active_and_bridge(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    make_network: Callable[..., str],
) -> None:
    busy_id = make_network("busy", labels=dict(LABELS))
    idle_id = make_network("idle", labels=dict(LABELS))
    busy_name = docker_api.inspect_network(busy_id)["Name"]
    idle_name = docker_api.inspect_network(idle_id)["Name"]
    runner = ours(make_container, network_mode=busy_name)
    sleeper = ours(make_container, network_mode=idle_name, start=False)
    bridge_id = docker_api.inspect_network("bridge")["Id"]

    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.NETWORKS, ONLY_OURS)
    picked = plan_removal(snapshot, "network", [bridge_id, busy_id])

    assert [item.id for item in plan.items] == [idle_id]
    assert sleeper.name in plan.items[0].note
    assert [(k.id, k.users) for k in plan.kept] == [(busy_id, (runner.name,))]
    assert picked.items == ()
    assert {k.reason for k in picked.kept} == {"predefined network", "active endpoints"}

    report = remove_planned(engine, plan, snapshot)

    assert [item.id for item in report.removed] == [idle_id]
    assert docker_api.inspect_network(busy_id)["Id"] == busy_id


def test_engine_refuses_predefined_network(engine: Engine) -> None:
    snapshot = read_disk_usage(engine)
    bridge = next(n for n in snapshot.networks if n.name == "bridge")
    forced = PrunePlan("forced", (PlanItem("network", bridge.id, "bridge", 0, "test"),))

    report = remove_planned(engine, forced, snapshot)

    assert report.removed == ()
    assert "pre-defined" in report.refused[0].reason


def test_container_prune_removes_stopped_only(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
) -> None:
    running = ours(make_container)
    stopped = ours(make_container, command=["true"])
    docker_api.wait(stopped.id, timeout=30)

    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.CONTAINERS, ONLY_OURS)

    assert [item.id for item in plan.items] == [stopped.id]
    report = remove_planned(engine, plan, snapshot)
    assert [item.id for item in report.removed] == [stopped.id]
    assert docker_api.inspect_container(running.id)["State"]["Running"]


def test_removal_stops_when_cancelled(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
) -> None:
    first = ours(make_container, start=False)
    second = ours(make_container, start=False)
    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.CONTAINERS, ONLY_OURS)
    calls: list[str] = []

    def cancel_after_first() -> bool:
        calls.append("asked")
        return len(calls) > 1

    report = remove_planned(engine, plan, snapshot, is_cancelled=cancel_after_first)

    assert {item.id for item in plan.items} == {first.id, second.id}
    assert report.cancelled
    assert len(report.removed) == 1


def test_unused_image_with_two_tags_removed(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    commit_image: Callable[[str], str],
) -> None:
    writer = ours(
        make_container, command=["sh", "-c", "head -c 4096 /dev/urandom > /b"]
    )
    docker_api.wait(writer.id, timeout=30)
    image_id = commit_image(writer.id)
    repository = unique_name("unused")
    docker_api.tag(image_id, repository, "v1")
    docker_api.tag(image_id, repository, "v2")
    layer_size = int(docker_api.history(image_id)[0]["Size"])

    snapshot = read_disk_usage(engine)
    plan = plan_prune(snapshot, PruneKind.UNUSED_IMAGES, ONLY_OURS)
    report = remove_planned(engine, plan, snapshot)

    assert [item.id for item in plan.items] == [image_id]
    assert plan.items[0].reason == "unused (no container)"
    assert plan.reclaim == layer_size
    assert [item.id for item in report.removed] == [image_id]
    assert report.reclaimed == layer_size
    assert not any(i["Id"] == image_id for i in docker_api.images(all=True))


def test_image_used_by_stopped_container_kept(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    commit_image: Callable[[str], str],
) -> None:
    writer = ours(make_container, command=["true"])
    docker_api.wait(writer.id, timeout=30)
    image_id = commit_image(writer.id)
    user = docker_api.create_container(image_id, ["true"], labels=LABELS)
    CREATED.containers.append(user["Id"])
    try:
        snapshot = read_disk_usage(engine)
        plan = plan_prune(snapshot, PruneKind.DANGLING_IMAGES, ONLY_OURS)
        forced = PrunePlan("forced", (PlanItem("image", image_id, "x", 0, "test"),))
        report = remove_planned(engine, forced, snapshot)
    finally:
        docker_api.remove_container(user["Id"], force=True)

    assert plan.items == ()
    assert [k.id for k in plan.kept] == [image_id]
    assert plan.kept[0].reason == "used by containers"
    assert report.removed == ()
    assert "being used" in report.refused[0].reason
    assert len(report.refused[0].users) == 1
