"""A scrolling view of log lines that renders only the rows on screen."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from dockertui.state.logbuffer import LineMatcher, LineSequence, format_local_time
from dockertui.state.logstream import STREAM_STDERR, LogLine
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .log_style import styled_text

SOURCE_COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "bright_red")
"""Colours of the container name prefix, given out in this order."""

MAX_NAME_WIDTH = 20
_CACHE_SIZE = 512
_STDERR_MARK = Segment("▍", Style(color="red", bold=True))
_STDOUT_MARK = Segment(" ")
_MATCH_STYLE = Style(color="black", bgcolor="yellow")
_CURRENT_STYLE = Style(color="black", bgcolor="bright_green", bold=True)
_TIME_STYLE = Style(dim=True)


class LogView(ScrollView, can_focus=True):
    """Log lines with optional name prefix, local timestamp, wrapping and matches.

    The view reads lines from a sequence the screen owns. After each batch the
    screen reports how many lines were appended and dropped, so the view keeps
    the rows the operator looks at in place while it is not following.
    """

    DEFAULT_CSS = """
    LogView { background: $surface; }
    """

    following: var[bool] = var(True)
    """True while the view sticks to the newest line."""

    class FollowingChanged(Message):
        """The view started or stopped following the newest line."""

        def __init__(self, log_view: LogView, following: bool) -> None:
            super().__init__()
            self.log_view = log_view
            self.following = following

        @property
        def control(self) -> LogView:
            """The view that changed."""
            return self.log_view

    def __init__(
        self,
        lines: LineSequence = (),
        source_names: Sequence[str] = (),
        *,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's widget signature
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: LineSequence = lines
        self.source_names = list(source_names)
        self.show_sources = len(self.source_names) > 1
        self.show_timestamps = False
        self.wrap = False
        self.matcher: LineMatcher | None = None
        self.current_line: int | None = None
        # Wrapped mode: the first virtual row of each line, counted from a
        # moving origin so dropping old lines does not rewrite every entry.
        self._row_starts: list[int] = []
        self._row_origin = 0
        self._row_end = 0
        self._widest = 0
        self._cache: dict[tuple[LogLine, bool], Strip] = {}
        self._adjusting = False
        self._base_style: Style | None = None

    # Content

    @property
    def line_count(self) -> int:
        """Lines in the current sequence."""
        return len(self._lines)

    def set_lines(self, lines: LineSequence) -> None:
        """Show another sequence (for example the filtered lines)."""
        self._lines = lines
        self.current_line = None
        self._relayout()
        if self.following:
            self._scroll_to_row(self.max_scroll_y_for_layout())

    def lines_changed(self, appended: int, dropped: int) -> None:
        """Take note that ``appended`` lines came and ``dropped`` old lines went."""
        if appended == 0 and dropped == 0:
            return
        rows_dropped = self._rows_before(dropped)
        if self.current_line is not None:
            self.current_line = self.current_line - dropped
            if self.current_line < 0:
                self.current_line = None
        self._extend_layout(appended, dropped)
        if self.following:
            self._scroll_to_row(self.max_scroll_y_for_layout())
        elif rows_dropped:
            self._scroll_to_row(max(0, round(self.scroll_y) - rows_dropped))
        else:
            self.refresh()

    def options_changed(self, widths_changed: bool = True) -> None:
        """Re-render after a display option (names, time, wrap, matcher) changed.

        With ``widths_changed=False`` only the prefix changed, so unwrapped
        lines need no new measuring.
        """
        top_line = self.line_at_row(round(self.scroll_y))
        if widths_changed or self.wrap:
            self._relayout()
        else:
            self._cache.clear()
            self._set_virtual_size()
        if self.following:
            self._scroll_to_row(self.max_scroll_y_for_layout())
        elif top_line is not None:
            self._scroll_to_row(self._rows_before(top_line))
        self.refresh()

    def show_line(self, index: int) -> None:
        """Mark line ``index`` as the current match and scroll it into the middle."""
        self.current_line = index
        self._cache.clear()
        self.following = False
        row = self._rows_before(index)
        self._scroll_to_row(max(0, row - self.size.height // 2))
        self.refresh()

    def follow(self, following: bool) -> None:
        """Start or stop following, and when starting jump to the newest line."""
        self.following = following
        if following:
            self._scroll_to_row(self.max_scroll_y_for_layout())

    def lines_below(self) -> int:
        """Return how many lines lie below the last row on screen."""
        bottom_row = round(self.scroll_y) + max(self.size.height, 1) - 1
        last_visible = self.line_at_row(bottom_row)
        if last_visible is None:
            return 0
        return max(0, len(self._lines) - 1 - last_visible)

    def line_at_row(self, row: int) -> int | None:
        """Return the index of the line shown on virtual row ``row``."""
        if not self._lines:
            return None
        if not self.wrap:
            return min(max(row, 0), len(self._lines) - 1)
        index = bisect_right(self._row_starts, row + self._row_origin) - 1
        return min(max(index, 0), len(self._lines) - 1)

    def max_scroll_y_for_layout(self) -> int:
        """Return the scroll offset that shows the last row."""
        return max(0, self.virtual_size.height - self.size.height)

    # Layout

    def _content_width(self) -> int:
        return max(1, self.size.width or 80)

    def _prefix_width(self) -> int:
        width = 2
        if self.show_sources:
            longest = max((cell_len(n) for n in self.source_names), default=0)
            width += min(longest, MAX_NAME_WIDTH) + 1
        if self.show_timestamps:
            width += 24
        return width

    def _relayout(self) -> None:
        self._cache.clear()
        self._row_starts = []
        self._row_origin = 0
        self._row_end = 0
        self._widest = 0
        self._add_to_layout([self._lines[i] for i in range(len(self._lines))])
        self._set_virtual_size()

    def _extend_layout(self, appended: int, dropped: int) -> None:
        """Lay out only the new lines, unless the old layout no longer fits."""
        count = len(self._lines)
        if appended > count or (
            self.wrap and len(self._row_starts) - dropped + appended != count
        ):
            self._relayout()
            return
        if self.wrap and dropped:
            del self._row_starts[:dropped]
            self._row_origin = (
                self._row_starts[0] if self._row_starts else self._row_end
            )
        new_lines = [self._lines[i] for i in range(count - appended, count)]
        self._add_to_layout(new_lines)
        self._set_virtual_size()

    def _add_to_layout(self, lines: list[LogLine]) -> None:
        if not lines:
            return
        if not self.wrap:
            widest = max(_text_width(line.text) for line in lines)
            self._widest = max(self._widest, widest)
            return
        width = self._content_width()
        prefix = self._prefix_width()
        starts = self._row_starts
        end = self._row_end
        for line in lines:
            starts.append(end)
            end += max(1, -(-(prefix + _text_width(line.text)) // width))
        self._row_end = end

    def _set_virtual_size(self) -> None:
        if self.wrap:
            rows = self._row_end - self._row_origin
            self.virtual_size = Size(self._content_width(), rows)
        else:
            width = self._prefix_width() + self._widest
            self.virtual_size = Size(width, len(self._lines))

    def _rows_before(self, index: int) -> int:
        if not self.wrap:
            return index
        if index < len(self._row_starts):
            return self._row_starts[index] - self._row_origin
        return self._row_end - self._row_origin

    def _scroll_to_row(self, row: int) -> None:
        self._adjusting = True
        try:
            self.scroll_to(y=row, animate=False, immediate=True, force=True)
        finally:
            self._adjusting = False

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Stop following when the operator scrolls up, resume at the bottom."""
        super().watch_scroll_y(old_value, new_value)
        if self._adjusting:
            return
        at_end = round(new_value) >= self.max_scroll_y_for_layout()
        if at_end != self.following and (at_end or new_value < old_value):
            self.following = at_end

    def watch_following(self, following: bool) -> None:
        """Tell the screen whether the view follows the newest line."""
        self.post_message(self.FollowingChanged(self, following))

    def _style(self) -> Style:
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        """Forget the cached base style and rendered lines after a CSS change."""
        super().notify_style_update()
        self._base_style = None
        self._cache.clear()

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        self.options_changed()

    # Rendering

    def render_line(self, y: int) -> Strip:
        """Render row ``y`` of the visible region."""
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.size.width
        style = self._style()
        index = self.line_at_row(row)
        if index is None or row >= self.virtual_size.height:
            return Strip.blank(width, style)
        strip = self._line_strip(index)
        if self.wrap:
            offset = (row - self._rows_before(index)) * width
            return strip.crop_extend(offset, offset + width, style)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _line_strip(self, index: int) -> Strip:
        line = self._lines[index]
        key = (line, index == self.current_line)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = self._line_text(line, index == self.current_line)
        segments = text.render(self.app.console, end="")
        strip = Strip(list(segments)).apply_style(self._style())
        if len(self._cache) >= _CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = strip
        return strip

    def _line_text(self, line: LogLine, current: bool) -> Text:
        text = Text(no_wrap=True, end="")
        text.append_text(self._prefix(line))
        body = styled_text(line)
        if self.matcher is not None:
            match_style = _CURRENT_STYLE if current else _MATCH_STYLE
            for start, end in self.matcher.spans(line.text):
                body.stylize(match_style, start, end)
        text.append_text(body)
        return text

    def _prefix(self, line: LogLine) -> Text:
        prefix = Text(no_wrap=True, end="")
        if self.show_sources:
            names = self.source_names
            name = names[line.source] if 0 <= line.source < len(names) else "?"
            longest = max((cell_len(n) for n in names), default=0)
            width = min(longest, MAX_NAME_WIDTH)
            shown = name if cell_len(name) <= width else name[: width - 1] + "…"
            colour = SOURCE_COLOURS[line.source % len(SOURCE_COLOURS)]
            prefix.append(shown.ljust(width) + " ", Style(color=colour, bold=True))
        if self.show_timestamps:
            prefix.append(format_local_time(line.time_ns) + " ", _TIME_STYLE)
        mark = _STDERR_MARK if line.stream == STREAM_STDERR else _STDOUT_MARK
        prefix.append(mark.text, mark.style)
        prefix.append(" ")
        return prefix


def _text_width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)
