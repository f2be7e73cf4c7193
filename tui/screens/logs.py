"""The log viewer: one container or several merged by time, followed live."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from importlib.resources import files
from typing import TYPE_CHECKING

from dockertui.state.logbuffer import (
    DEFAULT_CAPACITY,
    FilteredLines,
    LineInbox,
    LineMatcher,
    LogBuffer,
    find_match,
    local_zone_name,
    parse_since,
    plain_line,
)
from dockertui.widgets.log_view import SOURCE_COLOURS, LogView
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from .log_feed import LogFeed
from .log_save import SaveLogModal, SaveRequest

if TYPE_CHECKING:
    from dockertui.engine import Engine
    from dockertui.state.logstream import LogLine
    from dockertui.state.records import ContainerRecord

FRAME_SECONDS = 1 / 20
"""How often lines read by the workers are moved onto the screen."""


COPY_LINES = 500
"""Lines that ``y`` copies at most."""


class LogScreen(Screen[None]):
    """Show the log of one or more containers, merged by time, and follow it."""

    CSS_PATH = str(files("dockertui.styles").joinpath("logs.tcss"))

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("q", "close", "Back", show=False),
        Binding("f", "toggle_follow", "Follow"),
        Binding("t", "toggle_timestamps", "Time"),
        Binding("w", "toggle_wrap", "Wrap"),
        Binding("slash", "open_prompt('search')", "Search"),
        Binding("n", "next_match", "Next", show=False),
        Binding("N", "next_match(True)", "Previous", show=False),
        Binding("F", "open_prompt('filter')", "Filter"),
        Binding("r", "toggle_regex", "Regex", show=False),
        Binding("c", "toggle_case", "Case", show=False),
        Binding("s", "open_prompt('since')", "Since"),
        Binding("1", "since('5m')", "5 min", show=False),
        Binding("2", "since('1h')", "1 hour", show=False),
        Binding("3", "since('24h')", "24 hours", show=False),
        Binding("4", "since('all')", "All", show=False),
        Binding("S", "save", "Save"),
        Binding("y", "copy_lines", "Copy", show=False),
        Binding("end,G", "follow_end", "End", show=False),
    ]

    def __init__(
        self,
        engine: Engine,
        containers: list[ContainerRecord],
        tail: int = 1000,
        capacity: int = DEFAULT_CAPACITY,
        feed_factory: Callable[..., LogFeed] | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.containers = list(containers)
        self.names = [container.name for container in self.containers]
        self.tail = tail
        self.buffer = LogBuffer(capacity)
        self.inbox = LineInbox(capacity)
        self.since: datetime | None = None
        self.since_label = "all" if tail is None else f"last {tail:,} lines"
        self.pattern = ""
        self.regex = False
        self.case_sensitive = False
        self.filtered: FilteredLines | None = None
        self.prompt_mode = ""
        self.message = ""
        self._last_status = Text()
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        make_feed = feed_factory or LogFeed
        self.feed = make_feed(
            engine, [c.id for c in self.containers], self.inbox, self._run_reader
        )

    def _run_reader(self, function: Callable[[], None]) -> object:
        return self.run_worker(
            function, thread=True, exit_on_error=False, group="log-readers"
        )

    def compose(self) -> ComposeResult:
        """Build the title, the log view, the prompt and the status line."""
        yield Static(id="log-title")
        yield LogView(self.buffer, self.names, id="log-view")
        with Horizontal(id="log-prompt"):
            yield Static(id="log-prompt-label")
            yield Input(id="log-input")
        yield Static(id="log-status")
        yield Footer()

    @property
    def view(self) -> LogView:
        """The log view widget."""
        return self.query_one(LogView)

    def on_mount(self) -> None:
        """Start reading and move new lines onto the screen once per frame."""
        self.query_one("#log-prompt").display = False
        self.view.focus()
        self.set_interval(FRAME_SECONDS, self.drain_inbox)
        self._update_title()
        self.restart_feed()

    def on_unmount(self) -> None:
        """Close every log stream, so the reader threads end."""
        self.feed.stop()

    def restart_feed(self) -> None:
        """Drop what is shown and read again with the current "since"."""
        self.buffer.clear()
        if self.filtered is not None:
            self.filtered.rebuild(self.buffer)
        self.view.set_lines(self.filtered if self.filtered is not None else self.buffer)
        tail = None if self.since is not None else self.tail
        self.feed.start(tail, self.since, self.buffer.capacity)
        self._update_status()

    # Frame loop

    def drain_inbox(self) -> None:
        """Append the lines the readers left since the last frame."""
        lines = self.inbox.take()
        if lines:
            lines.sort(key=_time_of)
            self._append(lines)
        self._update_status()

    def _append(self, lines: list[LogLine]) -> None:
        first_seq = self.buffer.next_seq
        dropped = self.buffer.extend(lines)
        if self.filtered is None:
            self.view.lines_changed(len(lines), dropped)
            return
        gone = self.filtered.drop_before(self.buffer.first_seq)
        added = self.filtered.add(lines, first_seq)
        self.view.lines_changed(added, gone)

    # Status

    def _update_title(self) -> None:
        title = Text("Logs ", style="bold")
        for index, name in enumerate(self.names):
            if index:
                title.append(", ")
            title.append(name, SOURCE_COLOURS[index % len(SOURCE_COLOURS)])
        title.append(f"  since: {self.since_label}", style="dim")
        if self.view.show_timestamps:
            title.append(f"  times in {local_zone_name(self._clock())}", style="dim")
        self.query_one("#log-title", Static).update(title, layout=False)

    def _update_status(self) -> None:
        status = self._follow_status()
        status.append(f"  {len(self.buffer):,} lines")
        if self.inbox.skipped:
            status.append(f"  {self.inbox.skipped:,} skipped (output too fast)")
        status.append_text(self._pattern_status())
        if self.view.wrap:
            status.append("  wrap")

        ended = self.feed.ended_count()
        if ended:
            status.append(f"  {ended} of {len(self.names)} streams ended", style="dim")
        message = self.message or (self.feed.errors[-1] if self.feed.errors else "")
        if message:
            status.append(f"  {message}", style="bold red")

        if status != self._last_status:
            self._last_status = status
            self.query_one("#log-status", Static).update(status, layout=False)

    def _follow_status(self) -> Text:
        status = Text()
        if self.view.following:
            status.append(" following ", style="bold reverse green")
            return status
        status.append(" paused ", style="bold reverse yellow")
        below = self.view.lines_below()
        if below:
            status.append(f" {below:,} new lines below (f or End to follow)")
        return status

    def _pattern_status(self) -> Text:
        status = Text()
        if self.pattern:
            kind = "filter" if self.filtered is not None else "search"
            status.append(f"  {kind}: ")
            status.append(self.pattern, style="bold")
        if self.regex:
            status.append("  regex")
        if self.case_sensitive:
            status.append("  match case")
        return status

    # Actions

    def action_close(self) -> None:
        """Close the prompt if open, else leave the log viewer."""
        if self.prompt_mode:
            self._close_prompt()
            return
        self.feed.stop()
        self.dismiss(None)

    def action_toggle_follow(self) -> None:
        """Pause or resume following the newest line."""
        self.view.follow(not self.view.following)
        self._update_status()

    def action_follow_end(self) -> None:
        """Jump to the newest line and follow."""
        self.view.follow(True)
        self._update_status()

    def action_toggle_timestamps(self) -> None:
        """Show or hide the engine's timestamps in local time."""
        self.view.show_timestamps = not self.view.show_timestamps
        self.view.options_changed(widths_changed=False)
        self._update_title()

    def action_toggle_wrap(self) -> None:
        """Wrap long lines or scroll them sideways."""
        self.view.wrap = not self.view.wrap
        self.view.options_changed()
        self._update_status()

    def action_toggle_regex(self) -> None:
        """Treat the pattern as a regular expression or as plain text."""
        self.regex = not self.regex
        self._apply_pattern(self.pattern, self.filtered is not None)

    def action_toggle_case(self) -> None:
        """Match case or ignore it."""
        self.case_sensitive = not self.case_sensitive
        self._apply_pattern(self.pattern, self.filtered is not None)

    def action_next_match(self, backwards: bool = False) -> None:
        """Jump to the next (or previous) line that matches the search."""
        matcher = self.view.matcher
        if matcher is None:
            return
        lines = self.filtered if self.filtered is not None else self.buffer
        start = self.view.current_line
        if start is None:
            start = self.view.line_at_row(round(self.view.scroll_y)) or 0
            start -= 0 if backwards else 1
        found = find_match(lines, matcher, start, backwards)
        self.message = "" if found is not None else f"no match for {self.pattern!r}"
        if found is not None:
            self.view.show_line(found)
        self._update_status()

    def action_copy_lines(self) -> None:
        """Copy the last lines of the view (filtered, if a filter is on) via OSC 52.

        Terminals cap the size of an OSC 52 payload, so at most
        ``COPY_LINES`` lines go; saving (S) writes any amount to a file.
        """
        shown = self.filtered if self.filtered is not None else self.buffer
        first = max(0, len(shown) - COPY_LINES)
        lines = [shown[index].text for index in range(first, len(shown))]
        self.app.copy_to_clipboard("\n".join(lines))
        self.notify(
            f"Copied the last {len(lines):,} lines to the clipboard.", timeout=3
        )

    def action_save(self) -> None:
        """Ask where to save, then write the loaded lines or the whole log."""
        stamp = self._clock().astimezone().strftime("%Y%m%d-%H%M%S")
        base = self.names[0] if len(self.names) == 1 else "containers"
        default = os.path.join(os.getcwd(), f"{_safe_file_name(base)}-{stamp}.log")
        self.app.push_screen(
            SaveLogModal(default, self.since_label, len(self.buffer)), self._save
        )

    def action_since(self, preset: str) -> None:
        """Read the log again from a preset: 5m, 1h, 24h or all."""
        self._set_since(preset)

    # Prompt

    def action_open_prompt(self, mode: str) -> None:
        """Open the one-line prompt for a search, a filter or a "since" time."""
        labels = {
            "search": "Search:",
            "filter": "Filter:",
            "since": "Since (5m, 1h, 24h, all, 17:30, 2026-12-04 17:30+01:00):",
        }
        self.prompt_mode = mode
        self.query_one("#log-prompt-label", Static).update(labels[mode])
        prompt_input = self.query_one("#log-input", Input)
        prompt_input.value = self.pattern if mode != "since" else ""
        self.query_one("#log-prompt").display = True
        self.set_focus(prompt_input)

    def _close_prompt(self) -> None:
        self.prompt_mode = ""
        self.query_one("#log-prompt").display = False
        self.view.focus()

    @on(Input.Submitted, "#log-input")
    def submit_prompt(self, event: Input.Submitted) -> None:
        """Apply what was typed in the prompt."""
        mode = self.prompt_mode
        self._close_prompt()
        if mode == "since":
            self._set_since(event.value)
        elif mode in ("search", "filter"):
            self._apply_pattern(event.value, mode == "filter")
            if mode == "search" and event.value:
                self.action_next_match()

    def _apply_pattern(self, pattern: str, filtering: bool) -> None:
        try:
            matcher = LineMatcher(pattern, self.regex, self.case_sensitive)
        except ValueError as error:
            self.message = str(error)
            self._update_status()
            return
        self.message = ""
        self.pattern = pattern
        self.view.matcher = matcher if pattern else None
        if filtering and pattern:
            self.filtered = FilteredLines(self.buffer.capacity, matcher)
            self.filtered.rebuild(self.buffer)
            self.view.set_lines(self.filtered)
        elif self.filtered is not None:
            self.filtered = None
            self.view.set_lines(self.buffer)
        self.view.options_changed()
        self._update_status()

    def _set_since(self, value: str) -> None:
        try:
            since = parse_since(value, self._clock())
        except ValueError as error:
            self.message = str(error)
            self._update_status()
            return
        self.message = ""
        self.since = since
        self.since_label = "all" if since is None else _since_label(value, since)
        self._update_title()
        self.restart_feed()

    # Save

    def _save(self, request: SaveRequest | None) -> None:
        if request is None:
            return
        names = self.names if len(self.names) > 1 else None
        if request.whole_log:
            self._write_whole_log(request.path, names)
        else:
            self._write_loaded(request.path, list(self.buffer), names)

    @work(thread=True, exit_on_error=False, group="log-save")
    def _write_loaded(
        self, path: str, lines: list[LogLine], names: list[str] | None
    ) -> None:
        target = os.path.abspath(os.path.expanduser(path))
        try:
            with open(target, "w", encoding="utf-8") as output:
                for line in lines:
                    output.write(plain_line(line, names) + "\n")
        except OSError as error:
            self.app.call_from_thread(
                self.notify,
                f"Cannot write {target}: {error.strerror}",
                severity="error",
            )
            return
        self.app.call_from_thread(
            self.notify, f"Saved {len(lines):,} lines to {target}"
        )

    @work(thread=True, exit_on_error=False, group="log-save")
    def _write_whole_log(self, path: str, names: list[str] | None) -> None:
        target = os.path.abspath(os.path.expanduser(path))
        try:
            count = self.feed.write_whole_log(
                self.since, target, lambda line: plain_line(line, names)
            )
        except Exception as error:  # noqa: BLE001 - shown to the operator
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.notify, f"Saved {count:,} lines to {target}")

    @on(LogView.FollowingChanged)
    def show_following(self) -> None:
        """Redraw the status line when following starts or stops."""
        self._update_status()


def _time_of(line: LogLine) -> int:
    return line.time_ns


def _since_label(value: str, since: datetime) -> str:
    text = value.strip()
    if text.lower() in ("5m", "1h", "24h") or text[-1:].lower() in "smhd":
        return f"last {text}"
    return since.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def _safe_file_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name) or "log"
