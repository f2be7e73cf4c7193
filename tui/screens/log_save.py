"""The dialog that requests a file path for a log and how much of it to save."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label


@dataclass(frozen=True)
class SaveRequest:
    """A save request: the file path, and the whole log or only the loaded lines."""

    path: str
    whole_log: bool


class SaveLogModal(ModalScreen[SaveRequest | None]):
    """Ask for a file path, then save the loaded lines or the whole log."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, default_path: str, since_label: str, loaded_count: int) -> None:
        super().__init__()
        self.default_path = default_path
        self.since_label = since_label
        self.loaded_count = loaded_count

    def compose(self) -> ComposeResult:
        """Build the path input and the three buttons."""
        with Vertical(id="save-dialog"):
            yield Label("Save log to:")
            yield Input(self.default_path, id="save-path")
            with Horizontal(id="save-buttons"):
                yield Button(
                    f"Loaded lines ({self.loaded_count:,})",
                    id="save-loaded",
                    variant="primary",
                )
                yield Button(f"Whole log, since: {self.since_label}", id="save-whole")
                yield Button("Cancel", id="save-cancel")

    def on_mount(self) -> None:
        """Put the cursor in the path field."""
        self.query_one("#save-path", Input).focus()

    def _path(self) -> str:
        return self.query_one("#save-path", Input).value.strip()

    @on(Input.Submitted, "#save-path")
    @on(Button.Pressed, "#save-loaded")
    def save_loaded(self) -> None:
        """Save the lines the viewer holds."""
        if self._path():
            self.dismiss(SaveRequest(self._path(), whole_log=False))

    @on(Button.Pressed, "#save-whole")
    def save_whole(self) -> None:
        """Stream the whole log since the chosen time to the file."""
        if self._path():
            self.dismiss(SaveRequest(self._path(), whole_log=True))

    @on(Button.Pressed, "#save-cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)
