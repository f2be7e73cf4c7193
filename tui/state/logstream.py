"""Turn the bytes of an Engine API log stream into log lines.

A container started without a TTY has its log multiplexed: every frame starts
with an 8-byte header (stream type, three zero bytes, big-endian uint32 payload
length). A TTY container's log is raw bytes. With ``timestamps=1`` the engine
puts an RFC 3339 timestamp with nine fraction digits and a space in front of
every message. The json-file and local log drivers store a line longer than
16 KiB as several messages, each with its own timestamp, so a frame (or a
message) is not a line: the pieces are joined here before decoding.
"""

from __future__ import annotations

import calendar
import codecs
import re
import struct
from collections.abc import Iterator
from typing import NamedTuple

from .text import clean, split_sgr

STREAM_RAW = 0
STREAM_STDOUT = 1
STREAM_STDERR = 2

HEADER_SIZE = 8
MAX_PIECE = 1 << 20
"""Maximum bytes of one frame payload buffered before it is passed on in pieces."""

PARTIAL_MESSAGE_SIZE = 16 * 1024
"""Bytes of content in a message that the log driver cut from a longer line."""

MAX_LINE_CHARS = 64 * 1024
"""Maximum characters kept of one line. The rest of a longer line is dropped."""

TIMESTAMP_SIZE = 31
"""Length of ``2026-01-02T03:04:05.123456789Z`` plus the space after it."""

_TIMESTAMP = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z ")
_SGR_RUN = re.compile(r"(?:\x1b\[[0-9;:]*m){2,}")
_SGR_PARAMS = re.compile(r"\x1b\[([0-9;:]*)m")


class LogLine(NamedTuple):
    """One complete log line, already safe to show.

    ``text`` has no escape sequence or control character. ``runs`` keeps the
    colour codes as (SGR parameters, text) pairs when the line had any. A
    tuple of strings and integers is left alone by the cyclic garbage
    collector, which keeps full collections short while a flood churns lines.
    """

    source: int
    stream: int
    time_ns: int
    text: str
    runs: tuple[tuple[str, str], ...] | None = None


class FrameDecoder:
    """Split a multiplexed log stream into (stream type, payload, starts frame)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._stream = 0
        self._remaining = 0
        self._starts = False

    def feed(self, data: bytes) -> Iterator[tuple[int, bytes, bool]]:
        """Yield the frame payloads that ``data`` completes.

        A payload longer than ``MAX_PIECE`` is passed on in pieces, so a bogus
        length never makes the decoder buffer gigabytes.
        """
        buffer = self._buffer + data if self._buffer else data
        position = 0
        end = len(buffer)
        while True:
            if self._remaining:
                available = end - position
                if available < min(self._remaining, MAX_PIECE):
                    break
                size = min(self._remaining, available, MAX_PIECE)
                piece = buffer[position : position + size]
                position += size
                self._remaining -= size
                starts, self._starts = self._starts, False
                yield self._stream, piece, starts
                continue
            if end - position < HEADER_SIZE:
                break
            stream_type, length = struct.unpack_from(">BxxxL", buffer, position)
            position += HEADER_SIZE
            if length:
                self._stream, self._remaining, self._starts = stream_type, length, True
        self._buffer = buffer[position:]

    @property
    def pending(self) -> int:
        """Bytes received but not yet passed on."""
        return len(self._buffer)


class TtyMessageSplitter:
    """Find where messages start in a raw (TTY) log stream with timestamps.

    A message starts at the beginning of the stream, after every newline, and
    after about 16 KiB of content without a newline. The json-file driver
    (engine 20.10) stores messages as JSON strings and so replaces invalid
    UTF-8, such as half of a character cut at 16 KiB, with the 3-byte U+FFFD.
    The cut is therefore looked for within a few bytes after 16 KiB.
    """

    CUT_SLACK = 8

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._at_start = True
        self._near_cut = False
        self._message_size = 0

    def feed(self, data: bytes, final: bool = False) -> Iterator[tuple[bytes, bool]]:
        """Yield (bytes, starts message) pieces, and with ``final`` flush the rest."""
        self._buffer += data
        while self._buffer:
            if self._near_cut:
                if len(self._buffer) < self.CUT_SLACK + TIMESTAMP_SIZE and not final:
                    return
                yield from self._find_cut()
                continue
            if self._at_start and len(self._buffer) < TIMESTAMP_SIZE and not final:
                return
            yield self._take_message_part()

    def _find_cut(self) -> Iterator[tuple[bytes, bool]]:
        self._near_cut = False
        self._message_size = 0
        window = bytes(self._buffer[: self.CUT_SLACK + TIMESTAMP_SIZE])
        match = _TIMESTAMP.search(window)
        if match is None or match.start() > self.CUT_SLACK:
            return
        self._at_start = True
        if match.start():
            yield bytes(self._buffer[: match.start()]), False
            del self._buffer[: match.start()]

    def _take_message_part(self) -> tuple[bytes, bool]:
        starts, self._at_start = self._at_start, False
        if starts:
            self._message_size = 0
        budget = PARTIAL_MESSAGE_SIZE - self._message_size
        start = TIMESTAMP_SIZE if starts and _TIMESTAMP.match(self._buffer) else 0
        newline = self._buffer.find(b"\n", start, start + budget)
        if newline >= 0:
            end = newline + 1
            self._at_start = True
        else:
            end = min(len(self._buffer), start + budget)
            self._message_size += end - start
            self._near_cut = self._message_size >= PARTIAL_MESSAGE_SIZE
        piece = bytes(self._buffer[:end])
        del self._buffer[:end]
        return piece, starts


def parse_timestamp(raw: bytes) -> tuple[int, int]:
    """Return (nanoseconds since the epoch, bytes used) of a leading timestamp.

    Returns (0, 0) when ``raw`` does not start with one.
    """
    match = _TIMESTAMP.match(raw)
    if match is None:
        return 0, 0
    seconds = _epoch_seconds(match.group(1))
    fraction = (match.group(2) or b"").ljust(9, b"0")
    return seconds * 1_000_000_000 + int(fraction), match.end()


_seconds_cache: dict[bytes, int] = {}


def _epoch_seconds(text: bytes) -> int:
    cached = _seconds_cache.get(text)
    if cached is None:
        if len(_seconds_cache) > 4096:
            _seconds_cache.clear()
        parts = (
            text[0:4],
            text[5:7],
            text[8:10],
            text[11:13],
            text[14:16],
            text[17:19],
        )
        year, month, day, hour, minute, second = (int(part) for part in parts)
        cached = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
        _seconds_cache[text] = cached
    return cached


class LineAssembler:
    """Join the messages of one stream into whole, decoded lines.

    Decoding is incremental with ``errors="replace"``, so invalid UTF-8 becomes
    U+FFFD and a character split between two messages is decoded whole.
    """

    def __init__(self, source: int, stream: int, timestamps: bool = True) -> None:
        self.source = source
        self.stream = stream
        self._timestamps = timestamps
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._parts: list[str] = []
        self._size = 0
        self._time_ns = 0

    def feed(self, data: bytes, starts_message: bool) -> list[LogLine]:
        """Add one message or piece of one, and return the lines it completed."""
        if starts_message and self._timestamps:
            time_ns, used = parse_timestamp(data)
            data = data[used:]
            if not self._parts and used:
                self._time_ns = time_ns
        return self._split(self._decoder.decode(data))

    def finish(self) -> list[LogLine]:
        """Return the last line when the stream ended without a newline."""
        self._split(self._decoder.decode(b"", final=True))
        if not self._parts:
            return []
        return [self._complete()]

    def _split(self, text: str) -> list[LogLine]:
        if "\n" not in text:
            self._append(text)
            return []
        head, *middle, tail = text.split("\n")
        self._append(head)
        lines = [self._complete()]
        lines.extend(self._line(part) for part in middle)
        self._append(tail)
        return lines

    def _append(self, text: str) -> None:
        if text and self._size < MAX_LINE_CHARS:
            self._parts.append(text[: MAX_LINE_CHARS - self._size])
            self._size += len(text)

    def _complete(self) -> LogLine:
        text = "".join(self._parts)
        self._parts.clear()
        self._size = 0
        return self._line(text)

    def _line(self, text: str) -> LogLine:
        return make_line(self.source, self.stream, self._time_ns, text)


def make_line(source: int, stream: int, time_ns: int, raw: str) -> LogLine:
    """Build a safe line from raw decoded text without its newline.

    A carriage return overwrites the line, as a terminal does for a progress
    bar, so only the text after the last one is kept. Colour codes are kept as
    runs, and every other escape sequence and control character is removed.
    """
    if "\r" in raw:
        raw = _last_state(raw)
    if raw.isascii() and raw.isprintable():
        return LogLine(source, stream, time_ns, raw)
    if "\x1b" not in raw and "\x9b" not in raw:
        return LogLine(source, stream, time_ns, clean(raw))
    merged = _SGR_RUN.sub(_merge_sgr, raw)
    runs = tuple(split_sgr(merged))
    text = "".join(chunk for _, chunk in runs)
    has_colour = any(params for params, _ in runs)
    return LogLine(source, stream, time_ns, text, runs if has_colour else None)


def _last_state(raw: str) -> str:
    for segment in reversed(raw.split("\r")):
        if segment:
            return segment
    return ""


def _merge_sgr(match: re.Match[str]) -> str:
    params = [group or "0" for group in _SGR_PARAMS.findall(match.group(0))]
    return "\x1b[" + ";".join(params) + "m"
