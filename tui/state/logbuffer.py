"""A bounded store of log lines, search and filter matching, and log times."""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta, timezone
from typing import Protocol

from .logstream import STREAM_STDERR, LogLine

DEFAULT_CAPACITY = 20_000
"""Maximum lines a log view keeps. Older ones are dropped as new ones arrive."""

DEFAULT_BACKLOG = 4_000
"""Waiting lines at which readers pause, so one frame never appends many more."""

SINCE_PRESETS: dict[str, timedelta | None] = {
    "5m": timedelta(minutes=5),
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "all": None,
}
"""The "since" choices offered by key, with how far back each reaches."""

_RELATIVE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class LineSequence(Protocol):
    """Lines a view can count and index: a list, a LogBuffer or FilteredLines."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> LogLine: ...


class LogBuffer:
    """A ring of log lines with a fixed capacity.

    Lines are numbered in the order they were added (the sequence number), so
    a view can tell how many were dropped from the front since it looked.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        self.capacity = capacity
        self._lines: deque[LogLine] = deque(maxlen=capacity)
        self._next_seq = 0

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index: int) -> LogLine:
        return self._lines[index]

    def __iter__(self) -> Iterator[LogLine]:
        return iter(self._lines)

    @property
    def first_seq(self) -> int:
        """Sequence number of the oldest line kept."""
        return self._next_seq - len(self._lines)

    @property
    def next_seq(self) -> int:
        """Sequence number the next added line gets."""
        return self._next_seq

    def extend(self, lines: Sequence[LogLine]) -> int:
        """Append ``lines`` in order and return how many old lines were dropped."""
        before = self.first_seq
        self._lines.extend(lines)
        self._next_seq += len(lines)
        return self.first_seq - before

    def clear(self) -> None:
        """Drop every line, but keep counting sequence numbers."""
        self._lines.clear()


class FilteredLines:
    """The lines of a buffer that a matcher accepts, kept up to date cheaply."""

    def __init__(self, capacity: int, matcher: LineMatcher) -> None:
        self.matcher = matcher
        self._entries: deque[tuple[int, LogLine]] = deque(maxlen=capacity)

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, index: int) -> LogLine:
        return self._entries[index][1]

    def rebuild(self, buffer: LogBuffer) -> None:
        """Match every line of ``buffer`` again (after the pattern changed)."""
        self._entries.clear()
        self.add(list(buffer), buffer.first_seq)

    def add(self, lines: Sequence[LogLine], first_seq: int) -> int:
        """Add the matching lines among ``lines``, numbered from ``first_seq``.

        Returns how many matched.
        """
        before = len(self._entries)
        matches = self.matcher.matches
        self._entries.extend(
            (first_seq + offset, line)
            for offset, line in enumerate(lines)
            if matches(line.text)
        )
        return len(self._entries) - before

    def drop_before(self, first_seq: int) -> int:
        """Drop the lines the buffer no longer contains and return how many went."""
        dropped = 0
        while self._entries and self._entries[0][0] < first_seq:
            self._entries.popleft()
            dropped += 1
        return dropped


class LineMatcher:
    """A search pattern: plain text or a regular expression, with or without case.

    Raises:
        ValueError: when ``regex`` is set and ``pattern`` is not a valid one.
    """

    def __init__(self, pattern: str, regex: bool = False, case_sensitive: bool = False):
        self.pattern = pattern
        self.regex = regex
        self.case_sensitive = case_sensitive
        flags = 0 if case_sensitive else re.IGNORECASE
        source = pattern if regex else re.escape(pattern)
        try:
            self._compiled = re.compile(source, flags)
        except re.error as error:
            raise ValueError(
                f"Invalid regular expression {pattern!r}: {error}"
            ) from None

    def matches(self, text: str) -> bool:
        """True when ``text`` contains the pattern."""
        return bool(self.pattern) and self._compiled.search(text) is not None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Return the (start, end) offsets of every non-empty match in ``text``."""
        if not self.pattern:
            return []
        return [m.span() for m in self._compiled.finditer(text) if m.end() > m.start()]


def find_match(
    lines: LineSequence, matcher: LineMatcher, start: int, backwards: bool = False
) -> int | None:
    """Return the index of the next line after ``start`` that matches, wrapping."""
    count = len(lines)
    if count == 0:
        return None
    step = -1 if backwards else 1
    for offset in range(1, count + 1):
        index = (start + step * offset) % count
        if matcher.matches(lines[index].text):
            return index
    return None


def local_zone_name(now: datetime | None = None) -> str:
    """Return the local time zone as ``CET (UTC+01:00)``."""
    moment = (now or datetime.now(timezone.utc)).astimezone()
    offset = moment.strftime("%z")
    label = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    name = moment.tzname() or ""
    return f"{name} ({label})" if name and name != label else label


def format_local_time(time_ns: int) -> str:
    """Format an engine timestamp in local time, to the millisecond."""
    if time_ns <= 0:
        return " " * 23
    seconds, nanos = divmod(time_ns, 1_000_000_000)
    moment = datetime.fromtimestamp(seconds, timezone.utc).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M:%S") + f".{nanos // 1_000_000:03d}"


def parse_since(text: str, now: datetime) -> datetime | None:
    """Read a "since" value: a preset, a duration like ``90m``, or a time.

    A time without a zone is local time; ``2026-12-04T17:00:00+01:00`` and a
    trailing ``Z`` name their own zone. ``HH:MM`` means today. Returns None for
    "all".

    Raises:
        ValueError: with a message naming the accepted forms.
    """
    value = text.strip()
    if value.lower() in SINCE_PRESETS:
        delta = SINCE_PRESETS[value.lower()]
        return None if delta is None else now - delta
    relative = _RELATIVE.match(value.lower())
    if relative:
        seconds = float(relative.group(1)) * _UNIT_SECONDS[relative.group(2)]
        return now - timedelta(seconds=seconds)
    return _parse_absolute(value, now)


def _parse_absolute(value: str, now: datetime) -> datetime:
    clock = re.fullmatch(r"(\d\d?):(\d\d)(?::(\d\d))?", value)
    if clock:
        hour, minute, second = (int(part or 0) for part in clock.groups())
        if hour < 24 and minute < 60 and second < 60:
            return now.astimezone().replace(
                hour=hour, minute=minute, second=second, microsecond=0
            )
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"Invalid time {value!r}: use 5m, 1h, 24h, all, a duration like 90m, "
            "HH:MM, or a date like 2026-12-04 17:00 (optionally with +01:00)."
        ) from None
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment


def since_parameter(moment: datetime) -> str:
    """Format an aware time as the engine's ``since`` parameter: seconds.nanoseconds."""
    return f"{int(moment.timestamp())}.{moment.microsecond * 1000:09d}"


class LineInbox:
    """Lines handed from reader threads to the screen, bounded and thread-safe.

    Readers ``put`` batches; the screen ``take``s everything once per frame.
    When the screen falls behind, the oldest waiting lines are dropped and
    counted, so memory stays bounded however fast a container writes.
    """

    def __init__(
        self, capacity: int = DEFAULT_CAPACITY, backlog: int = DEFAULT_BACKLOG
    ) -> None:
        self._lines: deque[LogLine] = deque(maxlen=capacity)
        self.backlog = backlog
        self._lock = threading.Lock()
        self.generation = 0
        self.skipped = 0

    def put(self, generation: int, lines: Sequence[LogLine]) -> bool:
        """Add lines read for ``generation``, or return False once it is over."""
        with self._lock:
            if generation != self.generation:
                return False
            room = self._lines.maxlen or 0
            overflow = len(self._lines) + len(lines) - room
            if overflow > 0:
                self.skipped += overflow
            self._lines.extend(lines)
            return True

    def has_backlog(self) -> bool:
        """True when more lines wait than one frame should take."""
        with self._lock:
            return len(self._lines) >= self.backlog

    def take(self) -> list[LogLine]:
        """Remove and return every waiting line."""
        with self._lock:
            lines = list(self._lines)
            self._lines.clear()
            return lines

    def restart(self) -> int:
        """Drop waiting lines, start a new generation and return its number."""
        with self._lock:
            self._lines.clear()
            self.generation += 1
            self.skipped = 0
            return self.generation


def plain_line(line: LogLine, source_names: Sequence[str] | None) -> str:
    """Format a line for a saved file: local ISO time, name, stream, text."""
    parts: list[str] = []
    if line.time_ns > 0:
        seconds, nanos = divmod(line.time_ns, 1_000_000_000)
        moment = datetime.fromtimestamp(seconds, timezone.utc).astimezone()
        moment = moment.replace(microsecond=nanos // 1000)
        parts.append(moment.isoformat(timespec="microseconds"))
    if source_names:
        parts.append(
            source_names[line.source] if line.source < len(source_names) else "?"
        )
    if line.stream == STREAM_STDERR:
        parts.append("stderr:")
    parts.append(line.text)
    return " ".join(parts)
