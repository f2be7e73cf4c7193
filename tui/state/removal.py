"""Removal previews for objects the operator picked by id (marked rows).

The checks mirror the engine's conflicts, so a preview names every object the
engine would refuse and the containers that cause the refusal.
"""

from __future__ import annotations

from collections.abc import Sequence

from .disk import DiskSnapshot, freed_by_removing, positive
from .prune import PlanItem, PrunePlan, Refusal

OBJECT_KINDS = ("container", "image", "volume", "network")
"""Kinds of object ``plan_removal`` accepts."""


def _match(object_id: str, candidates: dict[str, str]) -> str | None:
    """Return the full key of ``candidates`` that ``object_id`` names, if one does."""
    if object_id in candidates:
        return object_id
    bare = object_id.removeprefix("sha256:")
    found = [key for key in candidates if key.removeprefix("sha256:").startswith(bare)]
    if len(found) == 1:
        return found[0]
    by_name = [key for key, name in candidates.items() if name == object_id]
    return by_name[0] if len(by_name) == 1 else None


def _names(names: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted(names))


def _containers(
    snapshot: DiskSnapshot, ids: Sequence[str]
) -> tuple[list[PlanItem], list[Refusal]]:
    known = {c.id: c.name for c in snapshot.containers}
    items: list[PlanItem] = []
    refused: list[Refusal] = []
    for object_id in ids:
        key = _match(object_id, known)
        if key is None:
            refused.append(Refusal("container", object_id, object_id, "not found"))
            continue
        container = next(c for c in snapshot.containers if c.id == key)
        if container.running:
            refused.append(
                Refusal(
                    "container",
                    key,
                    container.name,
                    f"{container.state}: stop it first",
                )
            )
            continue
        items.append(
            PlanItem(
                "container",
                key,
                container.name,
                positive(container.size_rw),
                container.state,
            )
        )
    return items, refused


def _images(
    snapshot: DiskSnapshot, ids: Sequence[str]
) -> tuple[list[PlanItem], list[Refusal]]:
    known = {i.id: i.display_name for i in snapshot.images}
    items: list[PlanItem] = []
    refused: list[Refusal] = []
    for object_id in ids:
        key = _match(object_id, known)
        if key is None:
            refused.append(Refusal("image", object_id, object_id, "not found"))
            continue
        image = next(i for i in snapshot.images if i.id == key)
        users = [c.name for c in snapshot.image_users(key)]
        if users or image.containers > 0:
            refused.append(
                Refusal(
                    "image",
                    key,
                    image.display_name,
                    "used by containers",
                    _names(users),
                )
            )
        elif image.has_children:
            refused.append(
                Refusal("image", key, image.display_name, "has dependent child images")
            )
        else:
            alone = freed_by_removing(snapshot.images, [key])
            items.append(PlanItem("image", key, image.display_name, alone, "selected"))
    return items, refused


def _volumes(
    snapshot: DiskSnapshot, ids: Sequence[str]
) -> tuple[list[PlanItem], list[Refusal]]:
    known = {v.name: v.name for v in snapshot.volumes}
    items: list[PlanItem] = []
    refused: list[Refusal] = []
    for object_id in ids:
        key = _match(object_id, known)
        if key is None:
            refused.append(Refusal("volume", object_id, object_id, "not found"))
            continue
        volume = next(v for v in snapshot.volumes if v.name == key)
        users = [c.name for c in snapshot.volume_users(key)]
        if users or volume.ref_count > 0:
            refused.append(Refusal("volume", key, key, "in use", _names(users)))
            continue
        items.append(PlanItem("volume", key, key, positive(volume.size), "selected"))
    return items, refused


def _networks(
    snapshot: DiskSnapshot, ids: Sequence[str]
) -> tuple[list[PlanItem], list[Refusal]]:
    known = {n.id: n.name for n in snapshot.networks}
    items: list[PlanItem] = []
    refused: list[Refusal] = []
    for object_id in ids:
        key = _match(object_id, known)
        if key is None:
            refused.append(Refusal("network", object_id, object_id, "not found"))
            continue
        network = next(n for n in snapshot.networks if n.id == key)
        users = snapshot.network_users(network.name)
        running = [c.name for c in users if c.running]
        if network.predefined:
            refused.append(Refusal("network", key, network.name, "predefined network"))
        elif running:
            refused.append(
                Refusal(
                    "network", key, network.name, "active endpoints", _names(running)
                )
            )
        else:
            stopped = ", ".join(_names([c.name for c in users]))
            note = (
                f"stopped containers refer to it and will fail to start: {stopped}"
                if stopped
                else ""
            )
            items.append(PlanItem("network", key, network.name, 0, "selected", note))
    return items, refused


_PLANNERS = {
    "container": _containers,
    "image": _images,
    "volume": _volumes,
    "network": _networks,
}


def plan_removal(snapshot: DiskSnapshot, kind: str, ids: Sequence[str]) -> PrunePlan:
    """Plan the removal of the objects ``ids`` of ``kind``, naming what is refused.

    Raises:
        ValueError: for a kind not in ``OBJECT_KINDS``.
    """
    if kind not in _PLANNERS:
        raise ValueError(
            f"invalid object kind {kind!r}: expected one of {OBJECT_KINDS}"
        )
    items, refused = _PLANNERS[kind](snapshot, list(dict.fromkeys(ids)))
    if kind == "image":
        reclaim = freed_by_removing(snapshot.images, [item.id for item in items])
    else:
        reclaim = sum(item.size for item in items)
    notes = (
        ("Layers shared with kept images are not counted as freed.",)
        if kind == "image"
        else ()
    )
    return PrunePlan(
        f"Remove {len(items)} {kind}s", tuple(items), tuple(refused), reclaim, notes
    )
