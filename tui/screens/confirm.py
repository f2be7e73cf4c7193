"""A confirmation dialog that names exactly what an action will remove."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Static


@dataclass(frozen=True)
class Option:
    """A tick box in the dialog; a ``required`` one must be ticked to confirm."""

    key: str
    label: str
    required: bool = False
    default: bool = False


class ConfirmModal(ModalScreen[dict[str, bool] | None]):
    """Ask before a destructive action, listing every object it touches.

    Dismisses with the state of each option when confirmed (``y`` or the
    button), or with None when cancelled (``n``, escape or the button).
    """

    BINDINGS = [
        Binding("y", "confirm", "Yes, remove", id="confirm-yes"),
        Binding("n", "cancel", "No", id="confirm-no"),
        Binding("escape", "cancel", "Cancel", show=False, id="confirm-cancel"),
    ]

    def __init__(
        self,
        title: str,
        lines: Sequence[str],
        options: Sequence[Option] = (),
        confirm_label: str = "Remove",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = list(lines)
        self.options = list(options)
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        """Lay out the question, the list, the options and the buttons."""
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text), id="dialog-title")
            with VerticalScroll(id="dialog-list"):
                yield Static(Text("\n".join(self.lines)))
            for option in self.options:
                yield Checkbox(
                    Text(option.label), option.default, id=f"option-{option.key}"
                )
            yield Static("", id="dialog-warning")
            with Horizontal(id="dialog-buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="yes")
                yield Button("Cancel (n)", id="no")

    def on_mount(self) -> None:
        """Focus the cancel button, so a stray enter cancels."""
        self.query_one("#no", Button).focus()

    def _choices(self) -> dict[str, bool]:
        return {
            option.key: self.query_one(f"#option-{option.key}", Checkbox).value
            for option in self.options
        }

    def action_confirm(self) -> None:
        """Confirm, unless a required option is not ticked."""
        choices = self._choices()
        missing = [o for o in self.options if o.required and not choices[o.key]]
        if missing:
            warning = self.query_one("#dialog-warning", Static)
            warning.update(
                Text(f"Tick “{missing[0].label}” first, or press n to cancel.")
            )
            self.query_one(f"#option-{missing[0].key}", Checkbox).focus()
            return
        self.dismiss(choices)

    def action_cancel(self) -> None:
        """Close without doing anything."""
        self.dismiss(None)

    @on(Button.Pressed, "#yes")
    def press_yes(self) -> None:
        """Confirm through the button."""
        self.action_confirm()

    @on(Button.Pressed, "#no")
    def press_no(self) -> None:
        """Cancel through the button."""
        self.action_cancel()
