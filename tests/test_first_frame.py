"""The plain first frame drawn before Textual starts.

Its text must sit in the cells where the app's first frame puts the same
text, or the screen jumps when Textual takes over.
"""

from __future__ import annotations

import os
import pty
from typing import Any

import pytest
from dockertui.first_frame import FirstFrame, frame_lines, render, table_rows
from fake_engine import FROZEN_NOW, FakeEngine
from test_app_fake import GatedEngine, ReadyQuickList, make_app


@pytest.mark.parametrize("size", [(80, 24), (120, 36), (160, 48), (200, 50)])
async def test_frame_matches_app_frame(size: tuple[int, int]) -> None:
    columns, lines = size
    fake = GatedEngine()
    records = fake.list_containers()
    expected = frame_lines(records, fake.endpoint.display, columns, lines, FROZEN_NOW)
    app = make_app(fake, quick_list=ReadyQuickList(records))
    async with app.run_test(size=size) as pilot:
        await pilot.pause(0.3)
        screen = [strip.text for strip in app.screen._compositor.render_strips()]
        fake.gate.set()
    assert len(expected) > 6
    for number, line in enumerate(expected):
        shown = screen[number]
        if number >= 4:
            # Right of the rows: the scrollbar, and on wide terminals the
            # detail panel.
            shown = shown[: len(line)]
        assert shown.rstrip() == line.rstrip(), f"line {number}"


def test_rows_stop_above_detail() -> None:
    assert table_rows(24, 80) == 24 - 5 - 1 - 1 - 7
    assert table_rows(48, 160) == 48 - 5 - 1 - 1 - 14
    assert table_rows(50, 200) == 50 - 5 - 1 - 1
    assert table_rows(8, 80) == 0


def test_frame_strips_escapes() -> None:
    fake = FakeEngine()
    fake.containers[0] = {
        **fake.containers[0],
        "Names": ["/evil\x1b[2J\x1b]0;title\x07name"],
        "Image": "img\x1b[31m",
    }
    records = fake.list_containers()
    lines = frame_lines(records, "unix:///x.sock", 120, 30, FROZEN_NOW)
    drawn = render(lines, 120, 30)
    assert not any("\x1b" in line or "\x07" in line for line in lines)
    assert "\x1b]0;" not in drawn
    assert "\x1b[31m" not in drawn


def test_undo_leaves_alternate_screen() -> None:
    controller, terminal = pty.openpty()
    try:
        frame = FirstFrame(terminal)
        frame.draw(FakeEngine().list_containers(), "unix:///x.sock", FROZEN_NOW)
        frame.undo()
        frame.undo()
        written = os.read(controller, 1 << 20)
    finally:
        os.close(controller)
        os.close(terminal)
    assert written.startswith(b"\x1b[?1049h")
    assert written.count(b"\x1b[?1049l") == 1
    assert written.endswith(b"\x1b[?1049l")


def run_in_pty(
    argv: list[str], columns: int, lines: int, until: bytes, home: str
) -> tuple[bytes, int]:
    """Run ``argv`` in a pty until ``until`` shows, press q; return output, status."""
    import fcntl
    import select
    import struct
    import termios
    import time

    pid, fd = pty.fork()
    if pid == 0:  # the child
        os.environ.update(TERM="xterm-256color", HOME=home)
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
    output = b""
    deadline = time.monotonic() + 30
    pressed = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        if not pressed and until in output and b"\x1b[?1000h" in output:
            time.sleep(0.5)
            os.write(fd, b"q")
            pressed = True
    else:
        os.kill(pid, 9)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return output, status


def test_real_engine_frame_before_textual(make_container: Any, tmp_path: Any) -> None:
    import sys

    container = make_container(suffix="first-frame")
    argv = [sys.executable, "-m", "dockertui"]
    name = container.name.encode()

    # Wide enough that the name column shows whole names.
    output, status = run_in_pty(argv, 400, 400, name, str(tmp_path))

    textual_starts = output.find(b"\x1b[?1000h")
    assert textual_starts > 0, output[-500:]
    plain_frame = output[:textual_starts]
    assert plain_frame.startswith(b"\x1b[?1049h")
    assert name in plain_frame
    assert os.WIFEXITED(status)
    assert os.WEXITSTATUS(status) == 0
    assert output.rfind(b"\x1b[?1049l") > textual_starts
