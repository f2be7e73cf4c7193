"""Hand the real terminal to an exec session and take it back afterwards.

The terminal goes into raw mode so every key (Ctrl-C included) reaches the
shell in the container. Window size changes (SIGWINCH) are passed on to the
exec. When the exec ends, fails or loses its connection, the terminal is put
back in its saved mode with the cursor shown, the normal screen active and
mouse reporting off.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import termios
import tty
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .engine import Engine

RESET_SEQUENCE = (
    b"\x1b[0m"  # default colours and attributes
    b"\x1b[?1049l"  # leave the alternate screen
    b"\x1b[?25h"  # show the cursor
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l"  # mouse reporting off
    b"\x1b[?2004l"  # bracketed paste off
    b"\x1b[?1l\x1b>"  # normal cursor and keypad keys
)
"""Bytes that undo the terminal modes a shell or a full-screen program set."""


class ExecPipe(Protocol):
    """The parts of an exec session the bridge uses."""

    def fileno(self) -> int: ...

    def read(self) -> bytes | None: ...

    def write(self, data: bytes) -> None: ...

    def resize(self, rows: int, columns: int) -> None: ...


def terminal_size(fd: int) -> tuple[int, int]:
    """Return (rows, columns) of the terminal on ``fd``, or 24x80 if it has none."""
    try:
        size = os.get_terminal_size(fd)
    except OSError:
        return 24, 80
    return size.lines, size.columns


@contextlib.contextmanager
def raw_terminal(stdin_fd: int, stdout_fd: int) -> Iterator[None]:
    """Put the terminal in raw mode and always restore it on the way out."""
    saved = termios.tcgetattr(stdin_fd) if os.isatty(stdin_fd) else None
    try:
        if saved is not None:
            tty.setraw(stdin_fd, termios.TCSANOW)
        yield
    finally:
        if saved is not None:
            termios.tcsetattr(stdin_fd, termios.TCSADRAIN, saved)
        with contextlib.suppress(OSError):
            _write_all(stdout_fd, b"\r\n" + RESET_SEQUENCE)


@contextlib.contextmanager
def resize_signal() -> Iterator[int]:
    """Yield a descriptor that becomes readable on every SIGWINCH."""
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)

    def on_resize(_signum: int, _frame: object) -> None:
        with contextlib.suppress(OSError):
            os.write(wake_write, b"w")

    previous = signal.signal(signal.SIGWINCH, on_resize)
    try:
        yield wake_read
    finally:
        signal.signal(signal.SIGWINCH, previous)
        os.close(wake_read)
        os.close(wake_write)


def bridge(pipe: ExecPipe, stdin_fd: int = 0, stdout_fd: int = 1) -> None:
    """Copy keys to the exec and its output to the terminal until it ends.

    Must run on the main thread, since it installs a SIGWINCH handler.
    """
    with raw_terminal(stdin_fd, stdout_fd), resize_signal() as wake_fd:
        pipe.resize(*terminal_size(stdout_fd))
        _copy_loop(pipe, stdin_fd, stdout_fd, wake_fd)


def _copy_loop(pipe: ExecPipe, stdin_fd: int, stdout_fd: int, wake_fd: int) -> None:
    watched = [pipe.fileno(), stdin_fd, wake_fd]
    while True:
        try:
            readable, _, _ = select.select(watched, [], [])
        except InterruptedError:
            continue
        if wake_fd in readable:
            os.read(wake_fd, 1024)
            pipe.resize(*terminal_size(stdout_fd))
        if pipe.fileno() in readable:
            data = pipe.read()
            if data == b"":
                return
            if data:
                _write_all(stdout_fd, data)
        if stdin_fd in readable:
            keys = os.read(stdin_fd, 4096)
            if not keys:
                watched.remove(stdin_fd)
                continue
            try:
                pipe.write(keys)
            except OSError:
                return


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def attach_shell(
    engine: Engine,
    container_id: str,
    argv: list[str],
    stdin_fd: int = 0,
    stdout_fd: int = 1,
) -> int | None:
    """Run ``argv`` in the container on this terminal and return its exit code.

    Raises:
        EngineError: when the exec cannot start.
    """
    from .engine.exec import open_exec

    rows, columns = terminal_size(stdout_fd)
    session = open_exec(engine, container_id, argv, rows, columns)
    try:
        bridge(session, stdin_fd, stdout_fd)
    finally:
        session.close()
    return session.exit_code()
