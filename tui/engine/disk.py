"""Read the engine's disk usage and remove planned objects one by one.

``read_disk_usage`` calls ``GET /system/df``, which walks every layer and volume
and can take minutes on a big host, so callers run it in a worker thread.
``remove_planned`` removes exactly the objects of a preview, one request each.
It does not call the engine's prune endpoints, because those could remove an
object created after the preview. One request per object also gives the
engine's reason for each object it refuses to remove.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..state.disk import (
    BuildCacheUsage,
    ContainerUsage,
    DiskSnapshot,
    FilesystemUsage,
    ImageUsage,
    LayerUsage,
    NetworkUsage,
    VolumeUsage,
    chain_ids,
    check_shared_sizes,
    layer_sizes,
)
from ..state.prune import PlanItem, PrunePlan, PruneReport, Refusal, images_freed
from .convert import parse_time
from .errors import EngineError

if TYPE_CHECKING:
    from .client import Engine

log = logging.getLogger(__name__)

DF_TIMEOUT = 600.0
"""Seconds ``/system/df`` may take: it measures every layer and volume."""


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((str(key), str(item)) for key, item in value.items()))


def _image(entry: dict[str, Any], parents: set[str]) -> ImageUsage:
    tags = tuple(t for t in entry.get("RepoTags") or () if t and t != "<none>:<none>")
    digests = tuple(
        d for d in entry.get("RepoDigests") or () if d and d != "<none>@<none>"
    )
    image_id = str(entry.get("Id") or "")
    return ImageUsage(
        id=image_id,
        tags=tags,
        digests=digests,
        size=int(entry.get("Size") or 0),
        shared_size=int(entry.get("SharedSize") or 0),
        containers=int(entry.get("Containers") or 0),
        created=parse_time(entry.get("Created")),
        labels=_labels(entry.get("Labels")),
        has_children=image_id in parents,
    )


def _container(entry: dict[str, Any]) -> ContainerUsage:
    names = entry.get("Names") or []
    mounts = entry.get("Mounts") or []
    networks = (entry.get("NetworkSettings") or {}).get("Networks") or {}
    return ContainerUsage(
        id=str(entry.get("Id") or ""),
        name=str(names[0]).lstrip("/") if names else str(entry.get("Id", ""))[:12],
        image=str(entry.get("Image") or ""),
        image_id=str(entry.get("ImageID") or ""),
        state=str(entry.get("State") or ""),
        size_rw=int(entry.get("SizeRw") or 0),
        size_root_fs=int(entry.get("SizeRootFs") or 0),
        labels=_labels(entry.get("Labels")),
        volume_names=tuple(
            str(m["Name"])
            for m in mounts
            if m.get("Type") == "volume" and m.get("Name")
        ),
        network_names=tuple(sorted(str(name) for name in networks)),
    )


def _volume(entry: dict[str, Any]) -> VolumeUsage:
    usage = entry.get("UsageData") or {}
    labels = _labels(entry.get("Labels"))
    name = str(entry.get("Name") or "")
    anonymous = any(key == "com.docker.volume.anonymous" for key, _ in labels) or (
        len(name) == 64 and all(ch in "0123456789abcdef" for ch in name)
    )
    return VolumeUsage(
        name=name,
        driver=str(entry.get("Driver") or ""),
        size=int(usage.get("Size", -1)),
        ref_count=int(usage.get("RefCount", -1)),
        labels=labels,
        anonymous=anonymous,
        created=parse_time(entry.get("CreatedAt")),
    )


def _build_record(entry: dict[str, Any]) -> BuildCacheUsage:
    return BuildCacheUsage(
        id=str(entry.get("ID") or ""),
        kind=str(entry.get("Type") or ""),
        size=int(entry.get("Size") or 0),
        in_use=bool(entry.get("InUse")),
        shared=bool(entry.get("Shared")),
        description=str(entry.get("Description") or ""),
        last_used=parse_time(entry.get("LastUsedAt")),
    )


def _network(entry: dict[str, Any]) -> NetworkUsage:
    return NetworkUsage(
        id=str(entry.get("Id") or ""),
        name=str(entry.get("Name") or ""),
        driver=str(entry.get("Driver") or ""),
        scope=str(entry.get("Scope") or ""),
        labels=_labels(entry.get("Labels")),
    )


def read_image_layers(
    engine: Engine, image_id: str
) -> tuple[tuple[LayerUsage, ...], bool]:
    """Return an image's layers (chain id and size) and whether the sizes are exact."""
    inspect = engine.inspect("image", image_id)
    diff_ids = [str(d) for d in (inspect.get("RootFS") or {}).get("Layers") or ()]
    history = engine.image_history(image_id)
    sizes, exact = layer_sizes(
        diff_ids, [int(h.get("Size") or 0) for h in reversed(history)]
    )
    chains = chain_ids(diff_ids)
    return tuple(LayerUsage(c, s) for c, s in zip(chains, sizes, strict=True)), exact


def _with_layers(
    engine: Engine, images: list[ImageUsage]
) -> tuple[list[ImageUsage], bool]:
    """Read the layers of every image that shares some with another image."""
    exact = True
    result: list[ImageUsage] = []
    for image in images:
        if image.shared_size <= 0:
            result.append(image)
            continue
        try:
            layers, matched = read_image_layers(engine, image.id)
        except EngineError as error:
            # The image went away between the df and this request.
            log.info("layers of %s unreadable: %s", image.short_id, error)
            result.append(image)
            exact = False
            continue
        exact = exact and matched
        result.append(_replace_layers(image, layers))
    return result, exact and check_shared_sizes(result)


def _replace_layers(image: ImageUsage, layers: tuple[LayerUsage, ...]) -> ImageUsage:
    from dataclasses import replace

    return replace(image, layers=layers)


def read_disk_usage(engine: Engine) -> DiskSnapshot:
    """Read images, containers, volumes, networks and build cache with their sizes.

    Raises:
        EngineError: when the engine cannot be reached or rejects a request.
    """
    api = engine.api
    previous, api.timeout = api.timeout, DF_TIMEOUT
    try:
        usage = engine._call("read disk usage", api.df)
    finally:
        api.timeout = previous
    all_images = engine._call("list images", lambda: api.images(all=True))
    parents = {
        str(entry.get("ParentId")) for entry in all_images if entry.get("ParentId")
    }
    networks = engine._call("list networks", api.networks)
    images, exact = _with_layers(
        engine, [_image(entry, parents) for entry in usage.get("Images") or ()]
    )
    return DiskSnapshot(
        api_version=str(api.api_version),
        images=tuple(images),
        containers=tuple(_container(e) for e in usage.get("Containers") or ()),
        volumes=tuple(_volume(e) for e in usage.get("Volumes") or ()),
        networks=tuple(_network(e) for e in networks or ()),
        build_cache=tuple(_build_record(e) for e in usage.get("BuildCache") or ()),
        layers_size=int(usage.get("LayersSize") or 0),
        layer_sizes_exact=exact,
    )


def filesystem_usage(path: str) -> FilesystemUsage | None:
    """Return free and total bytes of the filesystem at ``path``, None if unreadable."""
    import psutil

    try:
        usage = psutil.disk_usage(path)
    except OSError as error:
        log.info("disk usage of %s unreadable: %s", path, error)
        return None
    return FilesystemUsage(path, usage.total, usage.used, usage.free)


# Removal

ProgressCallback = Callable[[int, int, PlanItem], None]


def remove_item(
    engine: Engine, item: PlanItem, image_refs: tuple[str, ...] = ()
) -> None:
    """Remove one planned object without force, raising EngineError when refused."""
    if item.kind == "container":
        engine.remove_container(item.id, force=False, volumes=False)
    elif item.kind == "image":
        _remove_image(engine, item, image_refs)
    elif item.kind == "volume":
        engine.remove_volume(item.id)
    elif item.kind == "network":
        engine.remove_network(item.id)
    elif item.kind == "build-cache":
        # NOTE: the ``id`` filter of /build/prune was not run against an engine
        # here, because the test engine has no BuildKit cache to remove.
        engine._call(
            f"remove build cache {item.id[:12]}",
            lambda: engine.api.prune_builds(filters={"id": [item.id]}, all=True),
        )


def _remove_image(engine: Engine, item: PlanItem, refs: tuple[str, ...]) -> None:
    # Removing each tag first, as the engine's own prune does, means an image with
    # several tags goes without force. The last tag takes the image with it.
    for ref in refs:
        engine.remove_image(ref, force=False)
    if item.untag_only or (refs and not _image_exists(engine, item.id)):
        return
    engine.remove_image(item.id, force=False)


def _image_exists(engine: Engine, image_id: str) -> bool:
    try:
        engine.inspect("image", image_id)
    except EngineError:
        return False
    return True


def remove_planned(
    engine: Engine,
    plan: PrunePlan,
    snapshot: DiskSnapshot,
    on_progress: ProgressCallback | None = None,
    is_cancelled: Callable[[], bool] = lambda: False,
) -> PruneReport:
    """Remove each object of ``plan`` in order and report what happened to each.

    Stops early, with ``cancelled`` set, when ``is_cancelled`` returns True.
    """
    refs_by_id = {image.id: image.tags + image.digests for image in snapshot.images}
    removed: list[PlanItem] = []
    refused: list[Refusal] = []
    cancelled = False
    for index, item in enumerate(plan.items):
        if is_cancelled():
            cancelled = True
            break
        if on_progress is not None:
            on_progress(index, len(plan.items), item)
        try:
            remove_item(engine, item, refs_by_id.get(item.id, ()))
        except EngineError as error:
            refused.append(_refusal(snapshot, item, error))
            continue
        removed.append(item)
    return PruneReport(
        tuple(removed),
        tuple(refused),
        _reclaimed(snapshot, removed),
        cancelled,
    )


def _reclaimed(snapshot: DiskSnapshot, removed: list[PlanItem]) -> int:
    others = sum(item.size for item in removed if item.kind != "image")
    return others + images_freed(snapshot, removed)


def _refusal(snapshot: DiskSnapshot, item: PlanItem, error: EngineError) -> Refusal:
    users: list[str] = []
    if item.kind == "volume":
        users = [c.name for c in snapshot.volume_users(item.id)]
    elif item.kind == "image":
        users = [c.name for c in snapshot.image_users(item.id)]
    elif item.kind == "network":
        users = [c.name for c in snapshot.network_users(item.name) if c.running]
    log.warning("%s %s not removed: %s", item.kind, item.id[:19], error.message)
    return Refusal(item.kind, item.id, item.name, error.message, tuple(sorted(users)))
