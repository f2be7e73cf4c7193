"""Decide what to re-read when engine events arrive.

Events do not patch state: each one only names what changed, and the app
re-reads that object (a container) or that list (images, networks, volumes).
A batch collects the events of one short window so a burst of them costs one
request per kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import EngineEvent

MAX_CONTAINERS_BY_ID = 50
"""Past this many changed containers, one full list is cheaper than a filter."""

QUIET_CONTAINER_ACTIONS = (
    "exec_",
    "attach",
    "resize",
    "top",
    "archive-path",
    "export",
    "copy",
)
"""Container actions that never change what the list shows."""

LIST_CHANGING_ACTIONS = {
    "image": None,
    "network": {"create", "destroy", "remove", "connect", "disconnect", "update"},
    "volume": {"create", "destroy", "remove", "prune"},
}
"""For each other kind, the actions that change its list (None: every action)."""

KIND_TO_PANE = {"image": "images", "network": "networks", "volume": "volumes"}


@dataclass
class EventBatch:
    """The objects a window of events requires the app to re-read."""

    container_ids: set[str] = field(default_factory=set)
    removed_containers: set[str] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)
    full_containers: bool = False

    def add(self, event: EngineEvent) -> None:
        """Fold one event into the batch."""
        if event.kind == "container":
            self._add_container(event)
            return
        actions = LIST_CHANGING_ACTIONS.get(event.kind, set())
        if event.kind in KIND_TO_PANE and (actions is None or event.action in actions):
            self.kinds.add(KIND_TO_PANE[event.kind])
        if event.kind == "network" and event.action in ("connect", "disconnect"):
            container_id = dict(event.attributes).get("container", "")
            if container_id:
                self._mark_changed(container_id)

    def _add_container(self, event: EngineEvent) -> None:
        if not event.actor_id or event.action.startswith(QUIET_CONTAINER_ACTIONS):
            return
        if event.action == "destroy":
            self.removed_containers.add(event.actor_id)
            self.container_ids.discard(event.actor_id)
            return
        self.removed_containers.discard(event.actor_id)
        self._mark_changed(event.actor_id)

    def _mark_changed(self, container_id: str) -> None:
        self.container_ids.add(container_id)
        if len(self.container_ids) > MAX_CONTAINERS_BY_ID:
            self.full_containers = True


def backoff_delay(failures: int, first: float = 2.0, cap: float = 15.0) -> float:
    """Return seconds to wait before retry number ``failures + 1``: 2, 4, 8, 15."""
    return min(cap, first * (2 ** min(failures, 10)))
