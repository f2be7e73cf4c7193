"""The help screen: every key, what it does, and whether it applies now."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "space": "space",
    "escape": "escape",
    "asterisk": "*",
    "exclamation_mark": "!",
    "shift+tab": "shift+tab",
}

GLOBAL_KEYS = [
    ("?", "This help"),
    ("ctrl+p", "Command palette: every action, and a container by name"),
    ("q", "Quit"),
]


def key_label(key: str) -> str:
    """Show a binding's key the way it is typed."""
    return KEY_NAMES.get(key, key)


class HelpScreen(ModalScreen[None]):
    """List every key; keys that do not apply to the selection are dimmed."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help-close"),
        Binding("question_mark", "dismiss", "Close", show=False, id="help-close-2"),
        Binding("q", "dismiss", "Close", show=False, id="help-close-3"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str, bool]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        """Lay out the table of keys."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, description in GLOBAL_KEYS:
            table.add_row(key, description)
        for key, description, available in self.rows:
            style = "" if available else "dim"
            suffix = "" if available else "  (not for this selection)"
            table.add_row(
                Text(key_label(key), style=style),
                Text(description + suffix, style=style),
            )
        with VerticalScroll(id="help-dialog"):
            yield Label("Keys (escape closes)", id="help-title")
            yield Static(table)
