"""The app's current view of the engine: records by key, and what changed.

Snapshots and per-object refreshes go in; a ``Change`` (added, updated and
removed keys) comes out, so a table can update only the rows that changed.
Relations that the engine's list endpoints do not report (which containers use
an image, a network or a volume) are derived from the container list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from .records import ContainerRecord, ImageRecord, NetworkRecord, VolumeRecord


class Keyed(Protocol):
    """A record with a stable key."""

    @property
    def id(self) -> str: ...


R = TypeVar("R", bound=Keyed)


@dataclass
class Change:
    """The keys that were added, updated or removed by one operation."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.updated or self.removed)


class Collection(Generic[R]):
    """Records of one kind, by key."""

    def __init__(self) -> None:
        self.by_id: dict[str, R] = {}
        self.loaded = False

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.by_id.values())

    def get(self, key: str) -> R | None:
        """Return the record with ``key``, or None."""
        return self.by_id.get(key)

    def replace_all(self, records: Iterable[R]) -> Change:
        """Make the collection equal to ``records`` and report the difference."""
        incoming = {record.id: record for record in records}
        change = Change(removed=[key for key in self.by_id if key not in incoming])
        for key in change.removed:
            del self.by_id[key]
        change.added, change.updated = self._merge(incoming)
        self.loaded = True
        return change

    def upsert(self, records: Iterable[R]) -> Change:
        """Add or replace ``records``, leaving the others alone."""
        change = Change()
        change.added, change.updated = self._merge({r.id: r for r in records})
        return change

    def remove(self, keys: Iterable[str]) -> Change:
        """Drop the records with these keys, if present."""
        change = Change(removed=[key for key in keys if key in self.by_id])
        for key in change.removed:
            del self.by_id[key]
        return change

    def _merge(self, incoming: dict[str, R]) -> tuple[list[str], list[str]]:
        added: list[str] = []
        updated: list[str] = []
        for key, record in incoming.items():
            previous = self.by_id.get(key)
            if previous is None:
                added.append(key)
            elif previous != record:
                updated.append(key)
            self.by_id[key] = record
        return added, updated


@dataclass(frozen=True)
class ContainerCounts:
    """How many containers are in each group the header shows."""

    running: int = 0
    paused: int = 0
    stopped: int = 0

    @property
    def total(self) -> int:
        """All containers."""
        return self.running + self.paused + self.stopped


class EngineState:
    """Every record the app holds of one engine, and the relations between them."""

    def __init__(self) -> None:
        self.containers: Collection[ContainerRecord] = Collection()
        self.images: Collection[ImageRecord] = Collection()
        self.networks: Collection[NetworkRecord] = Collection()
        self.volumes: Collection[VolumeRecord] = Collection()
        self.stale = False

    def counts(self) -> ContainerCounts:
        """Count running, paused and stopped containers."""
        running = paused = stopped = 0
        for container in self.containers:
            if container.state == "paused":
                paused += 1
            elif container.state in ("running", "restarting"):
                running += 1
            else:
                stopped += 1
        return ContainerCounts(running, paused, stopped)

    def image_users(self) -> dict[str, list[ContainerRecord]]:
        """Map each image id to the containers created from it."""
        users: dict[str, list[ContainerRecord]] = defaultdict(list)
        for container in self.containers:
            users[container.image_id].append(container)
        return users

    def network_users(self) -> dict[str, list[ContainerRecord]]:
        """Map each network id (and name) to the containers attached to it."""
        users: dict[str, list[ContainerRecord]] = defaultdict(list)
        for container in self.containers:
            for attachment in container.networks:
                key = attachment.network_id or attachment.network_name
                users[key].append(container)
                if attachment.network_id:
                    users[f"name:{attachment.network_name}"].append(container)
        return users

    def volume_users(self) -> dict[str, list[ContainerRecord]]:
        """Map each volume name to the containers that mount it."""
        users: dict[str, list[ContainerRecord]] = defaultdict(list)
        for container in self.containers:
            for mount in container.mounts:
                if mount.volume_name:
                    users[mount.volume_name].append(container)
        return users

    def users_of_network(self, network: NetworkRecord) -> list[ContainerRecord]:
        """Return the containers attached to ``network``, by id or by name."""
        users = self.network_users()
        return users.get(network.id) or users.get(f"name:{network.name}") or []
