"""Command palette entries: the same actions as the keys, and containers by name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .state.text import clean

if TYPE_CHECKING:
    from .app import DockerTUI

PALETTE_ACTIONS = [
    ("show_pane('containers')", "Show containers"),
    ("show_pane('images')", "Show images"),
    ("show_pane('networks')", "Show networks"),
    ("show_pane('volumes')", "Show volumes"),
    ("toggle_all", "Toggle all / running containers"),
    ("cycle_sort", "Sort by next column"),
    ("start", "Start container"),
    ("stop", "Stop container"),
    ("restart", "Restart container"),
    ("pause", "Pause or unpause container"),
    ("kill", "Kill container"),
    ("remove", "Remove selection"),
    ("inspect", "Inspect selection"),
    ("logs", "Logs of container"),
    ("shell", "Shell in container"),
    ("reconnect", "Reconnect / re-read everything"),
]
PER_CONTAINER = [("logs", "logs"), ("inspect", "inspect"), ("shell", "shell")]


class EngineCommands(Provider):
    """Offer the main screen's actions that apply now, and per-container commands."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: DockerTUI = self.app  # type: ignore[assignment]
        try:
            main = app.main
        except RuntimeError:
            return []
        found: list[tuple[str, Callable[[], object], str]] = []
        for action, title in PALETTE_ACTIONS:
            name = action.split("(")[0]
            if main.check_action(name, ()) is False:
                continue
            found.append(
                (title, partial(main.run_action, action), f"key action {name}")
            )
        for container in app.state.containers:
            for action, word in PER_CONTAINER:
                if action == "shell" and (
                    app.read_only or container.state != "running"
                ):
                    continue
                label = f"{word}: {clean(container.name)}"
                found.append(
                    (label, partial(self._on_container, container.id, action), "")
                )
        return found

    def _on_container(self, container_id: str, action: str) -> None:
        app: DockerTUI = self.app  # type: ignore[assignment]
        main = app.main
        main.action_show_pane("containers")
        table = main.table("containers")
        if container_id in [row.value for row in table.rows]:
            table.move_cursor(row=table.get_row_index(container_id))
        main.call_after_refresh(main.run_action, action)

    async def discover(self) -> Hits:
        """List the actions that apply to the selection."""
        for title, callback, help_text in self._commands()[: len(PALETTE_ACTIONS)]:
            if help_text:
                yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        """Match actions and container commands against what the operator typed."""
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(title), callback, help=help_text or None
                )
