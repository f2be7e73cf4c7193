"""Prune previews: exactly which objects a cleanup removes and what it frees.

Every plan is computed from a ``DiskSnapshot`` and follows the engine's own prune
rules, so the list shown before confirmation is the list that gets removed. The
engine layer then removes the planned objects one by one and reports per object.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from .disk import (
    CategoryUsage,
    ContainerUsage,
    DiskSnapshot,
    ImageUsage,
    LabelFilter,
    freed_by_removing,
    positive,
)

ANONYMOUS_ONLY_API = (1, 42)
"""First API version whose volume prune keeps named volumes unless ``all=true``."""


class PruneKind(str, Enum):
    """The cleanups the disk screen offers."""

    CONTAINERS = "containers"
    DANGLING_IMAGES = "dangling images"
    UNUSED_IMAGES = "unused images"
    VOLUMES = "volumes"
    NETWORKS = "networks"
    BUILD_CACHE = "build cache"


@dataclass(frozen=True)
class PlanItem:
    """One object a plan removes, the bytes it frees on its own, and why."""

    kind: str
    id: str
    name: str
    size: int
    reason: str
    note: str = ""
    untag_only: bool = False


@dataclass(frozen=True)
class Refusal:
    """An object that is not removed, why, and the containers that use it."""

    kind: str
    id: str
    name: str
    reason: str
    users: tuple[str, ...] = ()

    def describe(self) -> str:
        """Return the reason followed by the names of the users, if any."""
        if not self.users:
            return self.reason
        return f"{self.reason}: {', '.join(self.users)}"


@dataclass(frozen=True)
class PrunePlan:
    """The objects a cleanup will remove and keep, and the bytes it frees."""

    title: str
    items: tuple[PlanItem, ...]
    kept: tuple[Refusal, ...] = ()
    reclaim: int = 0
    notes: tuple[str, ...] = ()
    kind: PruneKind | None = None

    @property
    def empty(self) -> bool:
        """True when the plan removes nothing."""
        return not self.items


@dataclass(frozen=True)
class PruneReport:
    """The outcome of a cleanup: objects removed, bytes reclaimed, engine refusals."""

    removed: tuple[PlanItem, ...]
    refused: tuple[Refusal, ...]
    reclaimed: int
    cancelled: bool = False
    notes: tuple[str, ...] = field(default=())


def parse_api_version(text: str) -> tuple[int, int]:
    """Return ``(major, minor)`` of an API version such as "1.41", or (0, 0)."""
    major, _, minor = text.partition(".")
    try:
        return int(major), int(minor)
    except ValueError:
        return 0, 0


def _names(containers: Iterable[ContainerUsage]) -> tuple[str, ...]:
    return tuple(sorted(container.name for container in containers))


# Category plans


def plan_containers(snapshot: DiskSnapshot, labels: LabelFilter) -> PrunePlan:
    """Plan a container prune: every created, exited or dead container."""
    items = tuple(
        PlanItem("container", c.id, c.name, positive(c.size_rw), c.state)
        for c in snapshot.containers
        if c.stopped and labels.matches(c.labels)
    )
    return PrunePlan(
        f"Remove {len(items)} stopped containers",
        items,
        reclaim=sum(item.size for item in items),
        notes=("Their volumes stay: prune volumes afterwards to free those.",),
        kind=PruneKind.CONTAINERS,
    )


def plan_images(
    snapshot: DiskSnapshot, labels: LabelFilter, dangling_only: bool
) -> PrunePlan:
    """Plan an image prune of dangling images, or of every image no container uses."""
    items: list[PlanItem] = []
    kept: list[Refusal] = []
    for image in snapshot.images:
        if not labels.matches(image.labels) or (dangling_only and not image.dangling):
            continue
        users = snapshot.image_users(image.id)
        if users or image.containers > 0:
            reason = "used by containers"
            kept.append(
                Refusal("image", image.id, image.display_name, reason, _names(users))
            )
        elif image.has_children:
            items.append(_untag_item(image))
        else:
            items.append(_image_item(snapshot, image))
    kind = PruneKind.DANGLING_IMAGES if dangling_only else PruneKind.UNUSED_IMAGES
    return _image_plan(snapshot, kind, items, kept)


def _image_item(snapshot: DiskSnapshot, image: ImageUsage) -> PlanItem:
    reason = "dangling (no tag)" if image.dangling else "unused (no container)"
    alone = freed_by_removing(snapshot.images, [image.id])
    return PlanItem("image", image.id, image.display_name, alone, reason)


def _untag_item(image: ImageUsage) -> PlanItem:
    return PlanItem(
        "image",
        image.id,
        image.display_name,
        0,
        "unused (no container)",
        note="other images are built on it: only its tags go, its layers stay",
        untag_only=True,
    )


def _image_plan(
    snapshot: DiskSnapshot,
    kind: PruneKind,
    items: list[PlanItem],
    kept: list[Refusal],
) -> PrunePlan:
    removed_ids = [item.id for item in items if not item.untag_only]
    notes = ["Layers shared with kept images are not counted as freed."]
    if not snapshot.layer_sizes_exact:
        notes.append(
            "Some layer sizes could not be matched exactly: figures are estimates."
        )
    return PrunePlan(
        f"Remove {len(items)} {kind.value}",
        tuple(items),
        tuple(kept),
        freed_by_removing(snapshot.images, removed_ids),
        tuple(notes),
        kind,
    )


def plan_volumes(
    snapshot: DiskSnapshot, labels: LabelFilter, all_volumes: bool = False
) -> PrunePlan:
    """Plan a volume prune the way this engine's API version performs it.

    Before API 1.42 the engine removes every unused local volume, named ones
    too. Later engines remove only anonymous volumes unless ``all_volumes``.
    """
    anonymous_only = (
        parse_api_version(snapshot.api_version) >= ANONYMOUS_ONLY_API
        and not all_volumes
    )
    items: list[PlanItem] = []
    kept: list[Refusal] = []
    for volume in snapshot.volumes:
        if volume.driver != "local" or not labels.matches(volume.labels):
            continue
        if anonymous_only and not volume.anonymous:
            continue
        users = snapshot.volume_users(volume.name)
        if users or volume.ref_count > 0:
            kept.append(
                Refusal("volume", volume.name, volume.name, "in use", _names(users))
            )
            continue
        reason = (
            "unused anonymous volume" if volume.anonymous else "unused named volume"
        )
        items.append(
            PlanItem("volume", volume.name, volume.name, positive(volume.size), reason)
        )
    notes = (
        "This engine removes only anonymous volumes."
        if anonymous_only
        else f"API {snapshot.api_version}: unused named volumes are removed too.",
    )
    return PrunePlan(
        f"Remove {len(items)} unused volumes",
        tuple(items),
        tuple(kept),
        sum(item.size for item in items),
        notes,
        PruneKind.VOLUMES,
    )


def plan_networks(snapshot: DiskSnapshot, labels: LabelFilter) -> PrunePlan:
    """Plan a network prune: local networks no running container is attached to."""
    items: list[PlanItem] = []
    kept: list[Refusal] = []
    for network in snapshot.networks:
        if not labels.matches(network.labels) or network.scope not in ("local", ""):
            continue
        refusal = _network_refusal(snapshot, network.id)
        if refusal is not None:
            kept.append(refusal)
        else:
            items.append(_network_item(snapshot, network.id))
    return PrunePlan(
        f"Remove {len(items)} unused networks",
        tuple(items),
        tuple(kept),
        0,
        ("Networks take no disk space.",),
        PruneKind.NETWORKS,
    )


def _network_refusal(snapshot: DiskSnapshot, network_id: str) -> Refusal | None:
    network = next(n for n in snapshot.networks if n.id == network_id)
    if network.predefined:
        return Refusal("network", network.id, network.name, "predefined network")
    running = [c for c in snapshot.network_users(network.name) if c.running]
    if running:
        reason = "active endpoints"
        return Refusal("network", network.id, network.name, reason, _names(running))
    return None


def _network_item(snapshot: DiskSnapshot, network_id: str) -> PlanItem:
    network = next(n for n in snapshot.networks if n.id == network_id)
    stopped = _names(snapshot.network_users(network.name))
    note = ""
    if stopped:
        names = ", ".join(stopped)
        note = f"stopped containers refer to it and will fail to start: {names}"
    return PlanItem(
        "network", network.id, network.name, 0, "no running container", note
    )


def plan_build_cache(snapshot: DiskSnapshot, all_records: bool = False) -> PrunePlan:
    """Plan a build cache prune: records not in use.

    Without ``all_records`` shared records and the internal and frontend ones are
    kept, which is BuildKit's rule for a prune without ``all``.
    """
    # NOTE: this engine never produced BuildKit cache records, so this rule is
    # checked only against fixed data, not against a real prune.
    items: list[PlanItem] = []
    for record in snapshot.build_cache:
        if record.in_use:
            continue
        if not all_records and (
            record.shared or record.kind in ("internal", "frontend")
        ):
            continue
        name = record.description or record.kind
        items.append(
            PlanItem(
                "build-cache", record.id, name, positive(record.size), "not in use"
            )
        )
    return PrunePlan(
        f"Remove {len(items)} build cache records",
        tuple(items),
        reclaim=sum(item.size for item in items),
        kind=PruneKind.BUILD_CACHE,
    )


def plan_prune(
    snapshot: DiskSnapshot,
    kind: PruneKind,
    labels: LabelFilter | None = None,
    all_volumes: bool = False,
) -> PrunePlan:
    """Plan the cleanup ``kind``, restricted to objects whose labels match."""
    labels = labels or LabelFilter()
    if kind is PruneKind.CONTAINERS:
        return plan_containers(snapshot, labels)
    if kind in (PruneKind.DANGLING_IMAGES, PruneKind.UNUSED_IMAGES):
        return plan_images(snapshot, labels, kind is PruneKind.DANGLING_IMAGES)
    if kind is PruneKind.VOLUMES:
        return plan_volumes(snapshot, labels, all_volumes)
    if kind is PruneKind.NETWORKS:
        return plan_networks(snapshot, labels)
    return plan_build_cache(snapshot)


def images_freed(snapshot: DiskSnapshot, removed: Sequence[PlanItem]) -> int:
    """Return the bytes freed by the image items in ``removed``."""
    ids = [item.id for item in removed if item.kind == "image" and not item.untag_only]
    return freed_by_removing(snapshot.images, ids)


# The disk summary


def summarize(snapshot: DiskSnapshot) -> list[CategoryUsage]:
    """Return one summary line per kind: count, size, reclaimable bytes and why."""
    empty = LabelFilter()
    images = plan_images(snapshot, empty, dangling_only=False)
    removable_dangling = sum(
        1 for item in images.items if item.reason.startswith("dangling")
    )
    containers = plan_containers(snapshot, empty)
    volumes = plan_volumes(snapshot, empty, all_volumes=True)
    cache = plan_build_cache(snapshot, all_records=True)
    removable_images = [item for item in images.items if not item.untag_only]
    return [
        CategoryUsage(
            "images",
            "Images",
            len(snapshot.images),
            snapshot.layers_size,
            images.reclaim,
            len(removable_images),
            f"{len(removable_images)} unused ({removable_dangling} dangling)",
        ),
        CategoryUsage(
            "containers",
            "Containers",
            len(snapshot.containers),
            sum(positive(c.size_rw) for c in snapshot.containers),
            containers.reclaim,
            len(containers.items),
            f"{len(containers.items)} stopped",
        ),
        CategoryUsage(
            "volumes",
            "Local volumes",
            len(snapshot.volumes),
            sum(positive(v.size) for v in snapshot.volumes),
            volumes.reclaim,
            len(volumes.items),
            f"{len(volumes.items)} not used by any container",
        ),
        CategoryUsage(
            "build-cache",
            "Build cache",
            len(snapshot.build_cache),
            sum(positive(r.size) for r in snapshot.build_cache),
            cache.reclaim,
            len(cache.items),
            f"{len(cache.items)} not in use",
        ),
    ]


def image_status(snapshot: DiskSnapshot, image: ImageUsage) -> str:
    """Return why an image is kept or reclaimable, for the image list."""
    users = snapshot.image_users(image.id)
    if users:
        noun = "container" if len(users) == 1 else "containers"
        return f"used by {len(users)} {noun}"
    if image.has_children:
        return "parent of other images"
    return "dangling" if image.dangling else "unused"
