"""Records of where the engine's disk space went, and the arithmetic on them.

The engine layer fills these from ``GET /system/df`` plus the image, network and
history endpoints. Sizes are bytes. A size of -1 means the engine did not report
it (``UsageData.Size`` of a volume whose driver cannot measure it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .records import PREDEFINED_NETWORKS

EMPTY_LAYER_DIGEST = (
    "sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"
)
"""Digest of an empty tar: the diff id of a layer that changed no file."""

STOPPED_STATES = frozenset({"created", "exited", "dead"})
"""Container states a container prune removes. Running, paused and restarting stay."""


@dataclass(frozen=True)
class LayerUsage:
    """One layer of an image: its chain id and its own (diff) size."""

    chain_id: str
    size: int


@dataclass(frozen=True)
class ImageUsage:
    """An image as ``/system/df`` reports it, with its layers when they were read.

    ``layers`` is None for an image that shares no layer with another image
    (``shared_size`` 0): all its bytes are its own, so its layers are not needed.
    """

    id: str
    tags: tuple[str, ...]
    digests: tuple[str, ...]
    size: int
    shared_size: int
    containers: int
    created: datetime | None
    labels: tuple[tuple[str, str], ...] = ()
    has_children: bool = False
    layers: tuple[LayerUsage, ...] | None = None

    @property
    def short_id(self) -> str:
        """The first 12 hex digits after ``sha256:``."""
        return self.id.removeprefix("sha256:")[:12]

    @property
    def unique_size(self) -> int:
        """Bytes no other image uses."""
        return max(self.size - max(self.shared_size, 0), 0)

    @property
    def dangling(self) -> bool:
        """True for an image without a tag."""
        return not self.tags

    @property
    def display_name(self) -> str:
        """The first tag, or ``<none>:<none>``."""
        return self.tags[0] if self.tags else "<none>:<none>"


@dataclass(frozen=True)
class ContainerUsage:
    """A container with the size of its writable layer and what it uses."""

    id: str
    name: str
    image: str
    image_id: str
    state: str
    size_rw: int
    size_root_fs: int
    labels: tuple[tuple[str, str], ...] = ()
    volume_names: tuple[str, ...] = ()
    network_names: tuple[str, ...] = ()

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the id."""
        return self.id[:12]

    @property
    def stopped(self) -> bool:
        """True when a container prune would remove it."""
        return self.state in STOPPED_STATES

    @property
    def running(self) -> bool:
        """True while the container has processes (paused and restarting included)."""
        return self.state in ("running", "paused", "restarting")


@dataclass(frozen=True)
class VolumeUsage:
    """A volume with its size and how many containers reference it."""

    name: str
    driver: str
    size: int
    ref_count: int
    labels: tuple[tuple[str, str], ...] = ()
    anonymous: bool = False
    created: datetime | None = None


@dataclass(frozen=True)
class NetworkUsage:
    """A network; it takes no disk space but a network prune removes it."""

    id: str
    name: str
    driver: str
    scope: str
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def predefined(self) -> bool:
        """True for bridge, host and none, which the engine never removes."""
        return self.name in PREDEFINED_NETWORKS or self.name == "ingress"


@dataclass(frozen=True)
class BuildCacheUsage:
    """One BuildKit cache record."""

    id: str
    kind: str
    size: int
    in_use: bool
    shared: bool
    description: str = ""
    last_used: datetime | None = None


@dataclass(frozen=True)
class DiskSnapshot:
    """Everything the disk view and the prune previews need, read at one time."""

    api_version: str
    images: tuple[ImageUsage, ...] = ()
    containers: tuple[ContainerUsage, ...] = ()
    volumes: tuple[VolumeUsage, ...] = ()
    networks: tuple[NetworkUsage, ...] = ()
    build_cache: tuple[BuildCacheUsage, ...] = ()
    layers_size: int = 0
    layer_sizes_exact: bool = True

    def volume_users(self, volume_name: str) -> list[ContainerUsage]:
        """Return the containers (any state) that mount ``volume_name``."""
        return [c for c in self.containers if volume_name in c.volume_names]

    def image_users(self, image_id: str) -> list[ContainerUsage]:
        """Return the containers (any state) created from ``image_id``."""
        return [c for c in self.containers if c.image_id == image_id]

    def network_users(self, network_name: str) -> list[ContainerUsage]:
        """Return the containers (any state) configured on ``network_name``."""
        return [c for c in self.containers if network_name in c.network_names]


@dataclass(frozen=True)
class CategoryUsage:
    """One line of the disk summary: a kind of object and its figures."""

    kind: str
    title: str
    count: int
    size: int
    reclaimable: int
    reclaimable_count: int
    reason: str


@dataclass(frozen=True)
class FilesystemUsage:
    """Free and total bytes of the filesystem holding the engine's data root."""

    path: str
    total: int
    used: int
    free: int

    @property
    def percent_used(self) -> float:
        """Used bytes as a percentage of the total, 0 for an empty filesystem."""
        return 100.0 * self.used / self.total if self.total else 0.0


def chain_ids(diff_ids: Sequence[str]) -> list[str]:
    """Return the layer chain ids of an image from its ordered diff ids.

    The engine keys its layer store by chain id: the first layer's chain id is
    its diff id, and each next one is the SHA-256 of "<parent chain id> <diff id>".
    """
    chains: list[str] = []
    for diff_id in diff_ids:
        if not chains:
            chains.append(diff_id)
            continue
        text = f"{chains[-1]} {diff_id}".encode()
        chains.append("sha256:" + hashlib.sha256(text).hexdigest())
    return chains


def layer_sizes(
    diff_ids: Sequence[str], history_sizes: Sequence[int]
) -> tuple[list[int], bool]:
    """Assign a size to each diff id from an image's history sizes (oldest first).

    The history endpoint reports a size for every step but does not say which
    steps made a layer. A layer whose diff id is the empty tar's digest is 0
    bytes, and every other layer takes the next positive history size. Returns
    the sizes and whether every positive size found exactly one layer.
    """
    positive = [size for size in history_sizes if size > 0]
    needed = sum(1 for diff_id in diff_ids if diff_id != EMPTY_LAYER_DIGEST)
    sizes: list[int] = []
    queue = list(positive)
    for diff_id in diff_ids:
        if diff_id == EMPTY_LAYER_DIGEST or not queue:
            sizes.append(0)
        else:
            sizes.append(queue.pop(0))
    if queue and sizes:
        # More sized steps than layers: keep the total right on the top layer.
        sizes[-1] += sum(queue)
    return sizes, len(positive) == needed


def check_shared_sizes(images: Iterable[ImageUsage]) -> bool:
    """Return True when the layers read reproduce the engine's ``SharedSize``.

    A layer counts as shared when more than one listed image contains it, which
    is how the engine computes ``SharedSize``.
    """
    images = list(images)
    references: dict[str, int] = {}
    for image in images:
        for layer in image.layers or ():
            references[layer.chain_id] = references.get(layer.chain_id, 0) + 1
    for image in images:
        if image.layers is None:
            continue
        shared = sum(
            layer.size for layer in image.layers if references[layer.chain_id] > 1
        )
        if shared != image.shared_size:
            return False
    return True


def freed_by_removing(images: Iterable[ImageUsage], removed_ids: Iterable[str]) -> int:
    """Return the bytes freed by removing ``removed_ids`` while the others stay.

    A layer is freed only when no kept image contains it, so a base layer shared
    with a kept image is never counted, while a layer shared only among removed
    images is counted once.
    """
    removed = set(removed_ids)
    kept_chains: set[str] = set()
    removed_layers: dict[str, int] = {}
    freed = 0
    for image in images:
        if image.id not in removed:
            kept_chains.update(layer.chain_id for layer in image.layers or ())
        elif image.layers is None:
            freed += image.size
        else:
            removed_layers.update({lay.chain_id: lay.size for lay in image.layers})
    freed += sum(
        size for chain, size in removed_layers.items() if chain not in kept_chains
    )
    return freed


def positive(size: int) -> int:
    """Return ``size``, or 0 for the engine's "unknown" value of -1."""
    return size if size > 0 else 0


@dataclass
class LabelFilter:
    """The engine's ``label`` filter: each ``key`` or ``key=value`` term must match."""

    terms: tuple[str, ...] = field(default=())

    def matches(self, labels: Iterable[tuple[str, str]]) -> bool:
        """Return True when ``labels`` satisfy every term."""
        present = dict(labels)
        for term in self.terms:
            key, has_value, value = term.partition("=")
            if key not in present:
                return False
            if has_value and present[key] != value:
                return False
        return True

    def as_filters(self) -> dict[str, list[str]]:
        """Return the terms in the engine's ``filters`` form, empty when none."""
        return {"label": list(self.terms)} if self.terms else {}
