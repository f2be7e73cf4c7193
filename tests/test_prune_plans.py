"""Unit tests of the prune preview arithmetic: no engine needed."""

from __future__ import annotations

import hashlib

import pytest
from dockertui.state.disk import (
    EMPTY_LAYER_DIGEST,
    BuildCacheUsage,
    ContainerUsage,
    DiskSnapshot,
    ImageUsage,
    LabelFilter,
    LayerUsage,
    NetworkUsage,
    VolumeUsage,
    chain_ids,
    check_shared_sizes,
    freed_by_removing,
    layer_sizes,
)
from dockertui.state.prune import (
    PruneKind,
    image_status,
    parse_api_version,
    plan_prune,
    summarize,
)
from dockertui.state.removal import plan_removal

BASE = LayerUsage("sha256:base", 1000)
MIDDLE = LayerUsage("sha256:middle", 200)


def image(
    image_id: str,
    layers: tuple[LayerUsage, ...] | None,
    tags: tuple[str, ...] = (),
    shared: int = 0,
    labels: tuple[tuple[str, str], ...] = (),
    has_children: bool = False,
) -> ImageUsage:
    """Return an image whose size is the sum of its layers."""
    total = sum(layer.size for layer in layers or ())
    return ImageUsage(
        id=image_id,
        tags=tags,
        digests=(),
        size=total or 500,
        shared_size=shared,
        containers=0,
        created=None,
        labels=labels,
        has_children=has_children,
        layers=layers,
    )


def container(
    name: str,
    state: str,
    image_id: str = "sha256:kept",
    volumes: tuple[str, ...] = (),
    networks: tuple[str, ...] = (),
    size_rw: int = 10,
    labels: tuple[tuple[str, str], ...] = (),
) -> ContainerUsage:
    """Return a container record with the fields the plans read."""
    return ContainerUsage(
        id=f"{name}-id".ljust(64, "0"),
        name=name,
        image="img",
        image_id=image_id,
        state=state,
        size_rw=size_rw,
        size_root_fs=size_rw + 100,
        labels=labels,
        volume_names=volumes,
        network_names=networks,
    )


def test_chain_ids_follow_engine_formula() -> None:
    first = "sha256:" + "a" * 64
    second = "sha256:" + "b" * 64
    expected = "sha256:" + hashlib.sha256(f"{first} {second}".encode()).hexdigest()

    chains = chain_ids([first, second])

    assert chains[0] == first
    assert chains[1] == expected


def test_layer_sizes_skip_empty_layer_digest() -> None:
    diff_ids = ["sha256:one", EMPTY_LAYER_DIGEST, "sha256:three"]

    sizes, exact = layer_sizes(diff_ids, [100, 0, 0, 0, 50])

    assert sizes == [100, 0, 50]
    assert exact


def test_layer_sizes_mismatch_keeps_total() -> None:
    sizes, exact = layer_sizes(["sha256:one"], [100, 50])

    assert sum(sizes) == 150
    assert not exact


def test_freed_excludes_layers_of_kept_images() -> None:
    kept = image("sha256:kept", (BASE,), tags=("base:1",), shared=1000)
    dangling = image("sha256:dangling", (BASE, MIDDLE), shared=1000)

    freed = freed_by_removing([kept, dangling], ["sha256:dangling"])

    assert freed == 200


def test_freed_counts_layer_shared_among_removed_once() -> None:
    kept = image("sha256:kept", (BASE,), tags=("base:1",), shared=1000)
    top_a = LayerUsage("sha256:top-a", 30)
    top_b = LayerUsage("sha256:top-b", 40)
    first = image("sha256:first", (BASE, MIDDLE, top_a), shared=1200)
    second = image("sha256:second", (BASE, MIDDLE, top_b), shared=1200)

    freed = freed_by_removing([kept, first, second], ["sha256:first", "sha256:second"])

    assert freed == 200 + 30 + 40


def test_freed_counts_whole_image_without_layers() -> None:
    alone = image("sha256:alone", None)

    assert freed_by_removing([alone], ["sha256:alone"]) == 500


def test_shared_sizes_check_detects_mismatch() -> None:
    kept = image("sha256:kept", (BASE,), tags=("base:1",), shared=1000)
    right = image("sha256:right", (BASE, MIDDLE), shared=1000)
    wrong = image("sha256:right", (BASE, MIDDLE), shared=999)

    assert check_shared_sizes([kept, right])
    assert not check_shared_sizes([kept, wrong])


def test_label_filter_key_and_value() -> None:
    labels = (("dockertui.test", "1"), ("team", "web"))

    assert LabelFilter(("dockertui.test=1",)).matches(labels)
    assert LabelFilter(("team",)).matches(labels)
    assert not LabelFilter(("dockertui.test=2",)).matches(labels)
    assert not LabelFilter(("dockertui.test=1", "missing")).matches(labels)
    assert LabelFilter(("team=web",)).as_filters() == {"label": ["team=web"]}


def test_api_version_parsing() -> None:
    assert parse_api_version("1.41") == (1, 41)
    assert parse_api_version("garbage") == (0, 0)


def volume_snapshot(api_version: str) -> DiskSnapshot:
    """Return a snapshot with a named and an anonymous unused volume, and a used one."""
    anonymous_name = "f" * 64
    return DiskSnapshot(
        api_version=api_version,
        containers=(container("user", "exited", volumes=("used",)),),
        volumes=(
            VolumeUsage("named", "local", 300, 0),
            VolumeUsage(anonymous_name, "local", 20, 0, anonymous=True),
            VolumeUsage("used", "local", 5, 1),
            VolumeUsage("remote", "nfs-plugin", 7, 0),
        ),
    )


def test_volume_prune_api_141_removes_named() -> None:
    plan = plan_prune(volume_snapshot("1.41"), PruneKind.VOLUMES)

    names = {item.id for item in plan.items}
    assert names == {"named", "f" * 64}
    assert plan.reclaim == 320
    assert [k.name for k in plan.kept] == ["used"]
    assert plan.kept[0].users == ("user",)


def test_volume_prune_api_143_keeps_named() -> None:
    plan = plan_prune(volume_snapshot("1.43"), PruneKind.VOLUMES)

    assert {item.id for item in plan.items} == {"f" * 64}
    assert plan.reclaim == 20


def test_container_prune_lists_stopped_only() -> None:
    snapshot = DiskSnapshot(
        api_version="1.41",
        containers=(
            container("run", "running", size_rw=1),
            container("pause", "paused", size_rw=2),
            container("exit", "exited", size_rw=4),
            container("made", "created", size_rw=8),
            container("dead", "dead", size_rw=16),
        ),
    )

    plan = plan_prune(snapshot, PruneKind.CONTAINERS)

    assert {item.name for item in plan.items} == {"exit", "made", "dead"}
    assert plan.reclaim == 28


def test_container_prune_respects_labels() -> None:
    labelled = (("dockertui.test", "1"),)
    snapshot = DiskSnapshot(
        api_version="1.41",
        containers=(
            container("mine", "exited", labels=labelled),
            container("theirs", "exited"),
        ),
    )

    plan = plan_prune(
        snapshot, PruneKind.CONTAINERS, LabelFilter(("dockertui.test=1",))
    )

    assert [item.name for item in plan.items] == ["mine"]


def image_snapshot() -> DiskSnapshot:
    """Return a base image, a dangling child, an unused tagged child and a used one."""
    top = LayerUsage("sha256:top", 70)
    return DiskSnapshot(
        api_version="1.41",
        images=(
            image("sha256:base", (BASE,), ("base:1",), 1000, has_children=True),
            image("sha256:dangling", (BASE, MIDDLE), (), 1000),
            image("sha256:tagged", (BASE, top), ("app:2",), 1000),
            image("sha256:used", None, ("db:1",)),
        ),
        containers=(container("db", "running", image_id="sha256:used"),),
    )


def test_dangling_prune_frees_committed_layer_only() -> None:
    plan = plan_prune(image_snapshot(), PruneKind.DANGLING_IMAGES)

    assert [item.id for item in plan.items] == ["sha256:dangling"]
    assert plan.reclaim == 200


def test_unused_prune_untags_parent_and_keeps_used() -> None:
    plan = plan_prune(image_snapshot(), PruneKind.UNUSED_IMAGES)

    by_id = {item.id: item for item in plan.items}
    assert set(by_id) == {"sha256:base", "sha256:dangling", "sha256:tagged"}
    assert by_id["sha256:base"].untag_only
    assert by_id["sha256:base"].size == 0
    assert plan.reclaim == 200 + 70
    assert [k.id for k in plan.kept] == ["sha256:used"]
    assert plan.kept[0].users == ("db",)


def test_network_prune_refuses_active_and_predefined() -> None:
    snapshot = DiskSnapshot(
        api_version="1.41",
        containers=(
            container("web", "running", networks=("busy",)),
            container("old", "exited", networks=("idle",)),
        ),
        networks=(
            NetworkUsage("n1", "bridge", "bridge", "local"),
            NetworkUsage("n2", "busy", "bridge", "local"),
            NetworkUsage("n3", "idle", "bridge", "local"),
        ),
    )

    plan = plan_prune(snapshot, PruneKind.NETWORKS)

    assert [item.name for item in plan.items] == ["idle"]
    assert "old" in plan.items[0].note
    kept = {k.name: k for k in plan.kept}
    assert kept["bridge"].reason == "predefined network"
    assert kept["busy"].users == ("web",)


def test_build_cache_prune_keeps_in_use_and_shared() -> None:
    snapshot = DiskSnapshot(
        api_version="1.41",
        build_cache=(
            BuildCacheUsage("a", "regular", 10, in_use=False, shared=False),
            BuildCacheUsage("b", "regular", 20, in_use=True, shared=False),
            BuildCacheUsage("c", "regular", 40, in_use=False, shared=True),
            BuildCacheUsage("d", "internal", 80, in_use=False, shared=False),
        ),
    )

    plan = plan_prune(snapshot, PruneKind.BUILD_CACHE)

    assert [item.id for item in plan.items] == ["a"]
    assert plan.reclaim == 10


def test_removal_by_ids_names_users() -> None:
    snapshot = volume_snapshot("1.41")

    plan = plan_removal(snapshot, "volume", ["used", "named", "nope"])

    assert [item.id for item in plan.items] == ["named"]
    refused = {r.id: r for r in plan.kept}
    assert refused["used"].users == ("user",)
    assert refused["used"].describe() == "in use: user"
    assert refused["nope"].reason == "not found"


def test_removal_by_ids_refuses_running_container() -> None:
    snapshot = DiskSnapshot(
        api_version="1.41",
        containers=(container("run", "running"), container("gone", "exited")),
    )

    plan = plan_removal(snapshot, "container", ["run", "gone"])

    assert [item.name for item in plan.items] == ["gone"]
    assert plan.kept[0].name == "run"


def test_removal_by_ids_refuses_image_with_children() -> None:
    plan = plan_removal(image_snapshot(), "image", ["sha256:base", "used", "dangling"])

    assert [item.id for item in plan.items] == ["sha256:dangling"]
    reasons = {r.id: r.reason for r in plan.kept}
    assert reasons["sha256:base"] == "has dependent child images"
    assert reasons["sha256:used"] == "used by containers"
    assert plan.reclaim == 200


def test_removal_by_ids_rejects_unknown_kind() -> None:
    with pytest.raises(ValueError, match="invalid object kind"):
        plan_removal(image_snapshot(), "widget", ["x"])


def test_summary_lines_per_kind() -> None:
    lines = {line.kind: line for line in summarize(image_snapshot())}

    assert set(lines) == {"images", "containers", "volumes", "build-cache"}
    assert lines["images"].reclaimable == 270
    assert lines["images"].reason == "2 unused (1 dangling)"


def test_image_status_words() -> None:
    snapshot = image_snapshot()
    by_id = {i.id: i for i in snapshot.images}

    assert image_status(snapshot, by_id["sha256:used"]) == "used by 1 container"
    assert image_status(snapshot, by_id["sha256:base"]) == "parent of other images"
    assert image_status(snapshot, by_id["sha256:dangling"]) == "dangling"
    assert image_status(snapshot, by_id["sha256:tagged"]) == "unused"


def test_state_and_engine_modules_skip_textual() -> None:
    import subprocess
    import sys

    modules = [
        "dockertui.state.disk",
        "dockertui.state.prune",
        "dockertui.state.removal",
        "dockertui.state.transfer",
        "dockertui.engine.disk",
        "dockertui.engine.images",
    ]
    code = (
        f"import sys\nfor name in {modules!r}: __import__(name)\n"
        "print('textual' in sys.modules, 'docker' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.split() == ["False", "False"]
