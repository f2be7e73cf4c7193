"""The inspect viewer: an object's full JSON, highlighted, scrollable, searchable."""

from __future__ import annotations

import json
import re
from typing import Any

from rich.syntax import Syntax
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Static

from ..engine.errors import EngineError
from ..state.text import clean


def inspect_text(document: Any) -> Text:
    """Render inspect JSON as highlighted text, with escape codes made harmless.

    ``json.dumps`` escapes control characters (``\\u001b``), so a value from
    the container cannot reach the terminal as an escape sequence.
    """
    source = json.dumps(document, indent=2, sort_keys=False, ensure_ascii=False)
    source = clean(source, keep_newlines=True)
    syntax = Syntax(source, "json", theme="ansi_dark", word_wrap=False)
    return syntax.highlight(source)


def match_lines(text: Text, query: str) -> list[int]:
    """Return the line numbers (from 0) that contain ``query``, ignoring case."""
    if not query:
        return []
    needle = query.casefold()
    return [
        i for i, line in enumerate(text.plain.split("\n")) if needle in line.casefold()
    ]


class InspectScreen(Screen[None]):
    """Show ``docker inspect`` of one object.

    Keys: ``/`` search, ``n``/``N`` next and previous match, escape or ``q`` close.
    """

    BINDINGS = [
        Binding("escape", "close_or_clear", "Close", id="inspect-close"),
        Binding("q", "close", "Close", show=False, id="inspect-quit"),
        Binding("slash", "search", "Search", id="inspect-search"),
        Binding("n", "next_match(1)", "Next", id="inspect-next"),
        Binding("N", "next_match(-1)", "Previous", id="inspect-previous"),
    ]

    def __init__(self, engine: Any, kind: str, object_id: str) -> None:
        super().__init__()
        self.engine = engine
        self.kind = kind
        self.object_id = object_id
        self.text = Text("")
        self.matches: list[int] = []
        self.match_index = -1

    def compose(self) -> ComposeResult:
        """Lay out a title, the JSON, a search line and the footer."""
        short = self.object_id.removeprefix("sha256:")[:12]
        yield Label(Text(f"inspect {self.kind} {short}"), id="inspect-title")
        with VerticalScroll(id="inspect-scroll"):
            yield Static(Text("Reading…"), id="inspect-body")
        yield Input(
            placeholder="search (enter: next match, escape: close search)",
            id="inspect-query",
        )
        yield Footer()

    def on_mount(self) -> None:
        """Read the JSON in a worker."""
        self.query_one("#inspect-query", Input).display = False
        self.query_one("#inspect-scroll").focus()
        self._read()

    @work(thread=True, exit_on_error=False)
    def _read(self) -> None:
        try:
            document = self.engine.inspect(self.kind, self.object_id)
        except EngineError as error:
            self.app.call_from_thread(self._show_error, error)
            return
        text = inspect_text(document)
        self.app.call_from_thread(self._show, text)

    def _show(self, text: Text) -> None:
        self.text = text
        self.query_one("#inspect-body", Static).update(text)

    def _show_error(self, error: EngineError) -> None:
        self.query_one("#inspect-body", Static).update(
            Text(error.message, style="bold red")
        )

    def action_search(self) -> None:
        """Open the search line."""
        field = self.query_one("#inspect-query", Input)
        field.display = True
        self.set_focus(field)

    @on(Input.Changed, "#inspect-query")
    def highlight(self, event: Input.Changed) -> None:
        """Highlight every match and jump to the first."""
        text = self.text.copy()
        if event.value:
            text.highlight_regex(
                re.compile(re.escape(event.value), re.IGNORECASE), "black on yellow"
            )
        self.query_one("#inspect-body", Static).update(text)
        self.matches = match_lines(self.text, event.value)
        self.match_index = -1
        self.action_next_match(1)

    @on(Input.Submitted, "#inspect-query")
    def jump(self, event: Input.Submitted) -> None:
        """Go to the next match on enter."""
        self.action_next_match(1)

    def action_next_match(self, step: int) -> None:
        """Scroll to the next (or previous) matching line."""
        if not self.matches:
            self.sub_title = "no match"
            return
        self.match_index = (self.match_index + step) % len(self.matches)
        line = self.matches[self.match_index]
        scroll = self.query_one("#inspect-scroll", VerticalScroll)
        scroll.scroll_to(y=max(line - 3, 0), animate=False)
        title = self.query_one("#inspect-title", Label)
        short = self.object_id.removeprefix("sha256:")[:12]
        title.update(
            Text(
                f"inspect {self.kind} {short}   match {self.match_index + 1}"
                f" of {len(self.matches)} (line {line + 1})"
            )
        )

    def action_close_or_clear(self) -> None:
        """Close the search line if open, otherwise the viewer."""
        field = self.query_one("#inspect-query", Input)
        if field.display:
            field.display = False
            self.query_one("#inspect-scroll").focus()
            return
        self.dismiss()

    def action_close(self) -> None:
        """Close the viewer."""
        self.dismiss()
