"""A program running in a pseudo-terminal, with a pyte screen reading its output."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import threading
import time
from collections.abc import Mapping, Sequence

import pyte

POLL_SECONDS = 0.02
MOUSE_MODE = re.compile(rb"\x1b\[\?100[0236]h")
"""Switching on mouse reporting: a full-screen program doing it has set up input."""


class PtySession:
    """A program in a pty of a fixed size, with a screen that follows what it draws."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cols: int, rows: int
    ) -> None:
        self.argv = list(argv)
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self.bytes_read = 0
        self.mouse_mode_at: float | None = None
        """When the program first switched on mouse reporting (it reads input)."""
        self.feed_errors = 0
        self.started = time.monotonic()
        self.pid, self._fd = _fork_program(self.argv, env, cols, rows)
        self._exit_status: int | None = None
        self._reader = threading.Thread(target=self._read_loop, daemon=True)
        self._reader.start()

    def _read_loop(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self._fd], [], [], 0.1)
                if not ready:
                    if self._exit_status is not None:
                        return
                    continue
                chunk = os.read(self._fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            if self.mouse_mode_at is None and MOUSE_MODE.search(chunk):
                self.mouse_mode_at = time.monotonic()
            with self._lock:
                self.bytes_read += len(chunk)
                try:
                    self._stream.feed(chunk)
                except Exception:  # noqa: BLE001 - pyte rejects some sequences
                    self.feed_errors += 1

    def lines(self) -> list[str]:
        """Return the screen's current rows as text."""
        with self._lock:
            return list(self.screen.display)

    def find_line(self, text: str) -> str | None:
        """Return the first screen row containing ``text``, or None."""
        for line in self.lines():
            if text in line:
                return line
        return None

    def wait_for(self, text: str, timeout: float) -> float | None:
        """Poll until ``text`` is on screen and return that monotonic time, or None."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.find_line(text) is not None:
                return time.monotonic()
            if not self.is_running():
                return None
            time.sleep(POLL_SECONDS)
        return None

    def send(self, data: bytes) -> None:
        """Type ``data`` into the program's terminal."""
        try:
            os.write(self._fd, data)
        except OSError:
            pass

    def is_running(self) -> bool:
        """Return whether the program is still running, reaping it if it has exited."""
        if self._exit_status is not None:
            return False
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            self._exit_status = -1
            return False
        if pid == 0:
            return True
        self._exit_status = status
        return False

    def stop(self, quit_keys: bytes = b"q", grace: float = 5.0) -> str:
        """Stop the program (quit keys, SIGTERM, SIGKILL) and return what ended it."""
        ended_by = "quit key"
        if self.is_running():
            self.send(quit_keys)
        for sig, wait in ((None, grace), (signal.SIGTERM, 3.0), (signal.SIGKILL, 3.0)):
            if sig is not None and self.is_running():
                ended_by = sig.name
                _signal_group(self.pid, sig)
            deadline = time.monotonic() + wait
            while self.is_running() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not self.is_running():
                break
        self._reader.join(timeout=2.0)
        try:
            os.close(self._fd)
        except OSError:
            pass
        return ended_by


def _signal_group(pid: int, sig: signal.Signals) -> None:
    """Send ``sig`` to the session that pty.fork made for ``pid``, then to ``pid``."""
    for send in (lambda: os.killpg(pid, sig), lambda: os.kill(pid, sig)):
        try:
            send()
        except ProcessLookupError:
            pass


def _fork_program(
    argv: list[str], env: Mapping[str, str], cols: int, rows: int
) -> tuple[int, int]:
    """Start ``argv`` as the leader of a new session whose terminal is a pty."""
    pid, fd = pty.fork()
    if pid == 0:
        try:
            size = struct.pack("HHHH", rows, cols, 0, 0)
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            os.execve(argv[0], argv, dict(env))
        finally:
            os._exit(127)
    return pid, fd
