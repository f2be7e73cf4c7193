"""Log stream parsing, the line ring, matching and log times, without an engine."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from dockertui.state.logbuffer import (
    FilteredLines,
    LineInbox,
    LineMatcher,
    LogBuffer,
    find_match,
    format_local_time,
    local_zone_name,
    parse_since,
    plain_line,
    since_parameter,
)
from dockertui.state.logstream import (
    FrameDecoder,
    LineAssembler,
    LogLine,
    TtyMessageSplitter,
    make_line,
    parse_timestamp,
)

STAMP = b"2026-12-04T17:32:07.215345716Z "


def test_log_state_imports_no_textual() -> None:
    """The state and engine log modules stay free of Textual."""
    code = (
        "import sys, dockertui.state.logstream, dockertui.state.logbuffer, "
        "dockertui.engine.logs, dockertui.engine.exec, dockertui.terminal; "
        "print('textual' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def frame(stream: int, payload: bytes) -> bytes:
    return struct.pack(">BxxxL", stream, len(payload)) + payload


def decode_all(data: bytes, chunk: int) -> list[LogLine]:
    decoder = FrameDecoder()
    assemblers = {1: LineAssembler(0, 1), 2: LineAssembler(0, 2)}
    lines: list[LogLine] = []
    for start in range(0, len(data), chunk):
        for stream, payload, starts in decoder.feed(data[start : start + chunk]):
            lines.extend(assemblers[stream].feed(payload, starts))
    for assembler in assemblers.values():
        lines.extend(assembler.finish())
    return lines


@pytest.fixture
def utc_plus_one() -> Iterator[None]:
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "CET-1"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.mark.parametrize("chunk", [1, 3, 8, 9, 1000])
def test_frames_split_anywhere(chunk: int) -> None:
    data = frame(1, STAMP + b"out line\n") + frame(2, STAMP + b"err line\n")
    lines = decode_all(data, chunk)
    assert [(line.stream, line.text) for line in lines] == [
        (1, "out line"),
        (2, "err line"),
    ]


def test_frame_is_not_a_line() -> None:
    data = frame(1, STAMP + b"first half ") + frame(
        1, STAMP.replace(b"07.2", b"08.2") + b"second half\nnext\n"
    )
    lines = decode_all(data, 5)
    assert [line.text for line in lines] == ["first half second half", "next"]
    assert lines[0].time_ns == parse_timestamp(STAMP)[0]


def test_header_bytes_never_in_text() -> None:
    lines = decode_all(frame(1, STAMP + b"abc\n") + frame(1, STAMP + b"def\n"), 2)
    assert [line.text for line in lines] == ["abc", "def"]


def test_multibyte_across_frames_decoded_whole() -> None:
    text = "é€😀".encode()
    data = frame(1, STAMP + text[:1]) + frame(1, STAMP + text[1:] + b"\n")
    assert [line.text for line in decode_all(data, 1)] == ["é€😀"]


def test_invalid_utf8_becomes_replacement() -> None:
    data = frame(1, STAMP + b"latin1: \xe9t\xe9 bad: \xff\xfe\n")
    assert decode_all(data, 4)[0].text == "latin1: \ufffdt\ufffd bad: \ufffd\ufffd"


def test_truncated_char_at_end_replaced() -> None:
    data = frame(1, STAMP + "x€".encode()[:-1])
    assert decode_all(data, 100)[0].text == "x\ufffd"


def test_zero_length_frame_skipped() -> None:
    data = frame(1, b"") + frame(1, STAMP + b"ok\n")
    assert [line.text for line in decode_all(data, 3)] == ["ok"]


def test_timestamp_parsed_to_nanoseconds() -> None:
    time_ns, used = parse_timestamp(STAMP + b"x")
    expected = int(datetime(2026, 12, 4, 17, 32, 7, tzinfo=timezone.utc).timestamp())
    assert time_ns == expected * 1_000_000_000 + 215345716
    assert used == len(STAMP)


def test_no_timestamp_keeps_text() -> None:
    assert parse_timestamp(b"plain text") == (0, 0)


def test_crlf_normalised() -> None:
    assert make_line(0, 1, 0, "windows\r").text == "windows"


def test_carriage_return_keeps_last_state() -> None:
    assert make_line(0, 1, 0, "10%\r50%\r100%").text == "100%"


def test_escapes_removed_colours_kept() -> None:
    line = make_line(0, 1, 0, "\x1b[31mRED\x1b[0m plain\x1b[2J\x1b[H\x1b]0;t\x07!")
    assert line.text == "RED plain!"
    assert line.runs is not None
    assert line.runs[0] == ("31", "RED")


def test_consecutive_sgr_merged() -> None:
    line = make_line(0, 1, 0, "\x1b[1m\x1b[32mbold green")
    assert line.runs == (("1;32", "bold green"),)


def test_alternate_screen_switch_removed() -> None:
    line = make_line(0, 1, 0, "\x1b[?1049hfull\x1b[?1049l")
    assert line.text == "full"
    assert line.runs is None


def test_markup_brackets_kept_as_text() -> None:
    assert make_line(0, 1, 0, "[bold]x[/bold] [red]").text == "[bold]x[/bold] [red]"


def split_tty(data: bytes, chunk: int) -> list[str]:
    splitter = TtyMessageSplitter()
    assembler = LineAssembler(0, 0)
    lines: list[LogLine] = []
    for start in range(0, len(data), chunk):
        for piece, starts in splitter.feed(data[start : start + chunk]):
            lines.extend(assembler.feed(piece, starts))
    for piece, starts in splitter.feed(b"", final=True):
        lines.extend(assembler.feed(piece, starts))
    lines.extend(assembler.finish())
    return [line.text for line in lines]


@pytest.mark.parametrize("chunk", [1, 777, 100_000])
def test_tty_timestamp_inside_long_line_removed(chunk: int) -> None:
    data = STAMP + b"a" * (16 * 1024) + STAMP + b"tail\r\n" + STAMP + b"short\r\n"
    assert split_tty(data, chunk) == ["a" * 16384 + "tail", "short"]


def test_tty_cut_after_replaced_half_char() -> None:
    """The json-file driver stores a cut half of "é" as the 3-byte U+FFFD."""
    content = b"a" * 16383 + "\ufffd".encode()
    data = STAMP + content + STAMP + "\ufffdtail\r\n".encode()
    assert split_tty(data, 4096) == ["a" * 16383 + "\ufffd\ufffdtail"]


def test_tty_timestamp_text_in_short_line_kept() -> None:
    data = STAMP + b"x " + STAMP + b"\r\n"
    assert split_tty(data, 50) == ["x " + STAMP.decode()]


def test_buffer_drops_oldest_at_capacity() -> None:
    buffer = LogBuffer(capacity=3)
    dropped = buffer.extend([make_line(0, 1, i, str(i)) for i in range(5)])
    assert dropped == 2
    assert [line.text for line in buffer] == ["2", "3", "4"]
    assert buffer.first_seq == 2


def test_inbox_bounded_and_counts_skipped() -> None:
    inbox = LineInbox(capacity=4)
    generation = inbox.restart()
    inbox.put(generation, [make_line(0, 1, i, str(i)) for i in range(10)])
    assert [line.text for line in inbox.take()] == ["6", "7", "8", "9"]
    assert inbox.skipped == 6


def test_inbox_rejects_old_generation() -> None:
    inbox = LineInbox()
    old = inbox.restart()
    inbox.restart()
    assert inbox.put(old, [make_line(0, 1, 0, "late")]) is False
    assert inbox.take() == []


def test_filtered_lines_follow_buffer() -> None:
    buffer = LogBuffer(capacity=4)
    filtered = FilteredLines(4, LineMatcher("keep"))
    for text in ["keep 1", "drop", "keep 2", "drop", "drop", "keep 3"]:
        line = make_line(0, 1, 0, text)
        first_seq = buffer.next_seq
        buffer.extend([line])
        filtered.add([line], first_seq)
        filtered.drop_before(buffer.first_seq)
    assert [filtered[i].text for i in range(len(filtered))] == ["keep 2", "keep 3"]


def test_matcher_plain_text_is_literal() -> None:
    matcher = LineMatcher("a.c")
    assert matcher.matches("xa.cx")
    assert not matcher.matches("abc")


def test_matcher_regex_and_case() -> None:
    assert LineMatcher("a.c", regex=True).matches("ABC")
    assert not LineMatcher("a.c", regex=True, case_sensitive=True).matches("ABC")


def test_matcher_invalid_regex_raises_value_error() -> None:
    with pytest.raises(ValueError, match="Invalid regular expression"):
        LineMatcher("(", regex=True)


def test_matcher_spans() -> None:
    assert LineMatcher("ab").spans("ab xab") == [(0, 2), (4, 6)]


def test_find_match_wraps_both_ways() -> None:
    lines = [make_line(0, 1, 0, text) for text in ["x", "hit", "y", "hit"]]
    matcher = LineMatcher("hit")
    assert find_match(lines, matcher, 1) == 3
    assert find_match(lines, matcher, 3) == 1
    assert find_match(lines, matcher, 3, backwards=True) == 1


def test_local_time_and_zone_name(utc_plus_one: None) -> None:
    moment = datetime(2026, 12, 4, 17, 0, 0, 250000, tzinfo=timezone.utc)
    time_ns = int(moment.timestamp()) * 1_000_000_000 + 250_000_000
    assert format_local_time(time_ns) == "2026-12-04 18:00:00.250"
    assert local_zone_name(moment) == "CET (UTC+01:00)"


def test_since_presets() -> None:
    now = datetime(2026, 12, 4, 17, 0, tzinfo=timezone.utc)
    assert parse_since("5m", now) == now - timedelta(minutes=5)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("all", now) is None
    assert parse_since("90s", now) == now - timedelta(seconds=90)


def test_since_with_zone() -> None:
    now = datetime(2026, 12, 4, 17, 0, tzinfo=timezone.utc)
    since = parse_since("2026-12-04T17:30:00+01:00", now)
    assert since is not None
    assert since.astimezone(timezone.utc) == datetime(
        2026, 12, 4, 16, 30, tzinfo=timezone.utc
    )


def test_since_local_clock_time(utc_plus_one: None) -> None:
    now = datetime(2026, 12, 4, 17, 0, tzinfo=timezone.utc)
    since = parse_since("09:15", now)
    assert since is not None
    assert since.astimezone(timezone.utc).hour == 8


def test_since_invalid_names_forms() -> None:
    with pytest.raises(ValueError, match="Invalid time 'yesterday'"):
        parse_since("yesterday", datetime.now(timezone.utc))


def test_since_parameter_has_nanoseconds() -> None:
    moment = datetime(2026, 12, 4, 17, 0, 0, 123456, tzinfo=timezone.utc)
    assert since_parameter(moment) == f"{int(moment.timestamp())}.123456000"


def test_plain_line_marks_stderr_and_name(utc_plus_one: None) -> None:
    line = make_line(1, 2, 1_796_400_000_000_000_000, "boom")
    assert plain_line(line, ["web", "db"]).endswith(" db stderr: boom")
    assert plain_line(line, None).startswith("2026-12-04T")
