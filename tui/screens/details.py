"""What the detail panel shows for the highlighted row, and what it must read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockertui.widgets import detail_panel as panel
from rich.console import Group, RenderableType
from rich.text import Text

from ..state.records import ContainerDetail, ContainerRecord

if TYPE_CHECKING:
    from .main import MainScreen

MAX_CACHED = 500
"""Maximum inspect responses kept; the oldest are dropped first."""


class DetailCache:
    """Inspect details and image layers read so far, by id."""

    def __init__(self) -> None:
        self.containers: dict[str, ContainerDetail] = {}
        self.layers: dict[str, list[tuple[str, int]]] = {}
        self.seen_status: dict[str, str] = {}

    def container(self, record: ContainerRecord) -> ContainerDetail | None:
        """Return the detail of ``record`` unless its status changed since read."""
        if self.seen_status.get(record.id) != record.status:
            self.containers.pop(record.id, None)
            self.seen_status[record.id] = record.status
        return self.containers.get(record.id)

    def missing(self, screen: MainScreen) -> tuple[str, str] | None:
        """Return (kind, id) of what the selection still needs read, or None."""
        key = screen.selected_key()
        if key is None:
            return None
        if screen.current == "containers":
            record = screen.tui.state.containers.get(key)
            if record is not None and self.container(record) is None:
                return ("container", record.id)
        if screen.current == "images":
            image_id = key.split("|", 1)[0]
            if image_id not in self.layers and screen.tui.state.images.get(image_id):
                return ("image", image_id)
        self._trim()
        return None

    def _trim(self) -> None:
        for cache in (self.containers, self.layers, self.seen_status):
            while len(cache) > MAX_CACHED:
                cache.pop(next(iter(cache)))


def render(screen: MainScreen) -> RenderableType:
    """Build the detail panel's content for the current selection."""
    state = screen.tui.state
    now = screen.tui.clock()
    key = screen.selected_key()
    if key is None:
        return Text("Nothing selected.", style="dim")
    if screen.current == "containers":
        container = state.containers.get(key)
        if container is None:
            return Text("")
        detail = screen.details.container(container)
        return panel.container_view(container, detail, now)
    if screen.current == "images":
        image = state.images.get(key.split("|", 1)[0])
        if image is None:
            return Text("")
        users = state.image_users().get(image.id, [])
        view = panel.image_view(image, users, now)
        layers = screen.details.layers.get(image.id)
        if layers is None:
            return Group(view, Text("\nLayers: reading…", style="dim"))
        return Group(view, panel.layers_view(layers))
    if screen.current == "networks":
        network = state.networks.get(key)
        if network is None:
            return Text("")
        return panel.network_view(network, state.users_of_network(network))
    volume = state.volumes.get(key)
    if volume is None:
        return Text("")
    return panel.volume_view(volume, state.volume_users().get(volume.name, []), now)
