"""Interactive exec against the real engine, driven through a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from dockertui.engine import Engine, EngineError, ErrorKind
from dockertui.engine.exec import choose_shell
from log_containers import RunContainer, run_container

__all__ = ["run_container"]

HELPER = str(Path(__file__).with_name("exec_pty_helper.py"))


class PtyChild:
    """The exec helper running on a pseudo-terminal of a given size."""

    def __init__(self, container_id: str, rows: int, columns: int, *args: str):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            set_size(0, rows, columns)
            os.execv(sys.executable, [sys.executable, HELPER, container_id, *args])
        self.output = b""

    def read_until(self, marker: bytes, timeout: float = 10.0) -> bytes:
        """Read until ``marker`` appears and return everything read so far."""
        deadline = time.monotonic() + timeout
        while marker not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{marker!r} not seen; output: {self.output!r}")
            readable, _, _ = select.select([self.fd], [], [], remaining)
            if readable:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(
                        f"{marker!r} not seen before EOF: {self.output!r}"
                    )
                self.output += chunk
        return self.output

    def send(self, text: str) -> None:
        """Type ``text`` on the terminal."""
        os.write(self.fd, text.encode())

    def line_mode(self) -> bool:
        """True when the terminal is in canonical (cooked) mode."""
        return bool(termios.tcgetattr(self.fd)[3] & termios.ICANON)

    def wait(self) -> int:
        """Wait for the helper to exit and return its exit status."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
            time.sleep(0.05)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("exec helper did not exit within 10 s")

    def close(self) -> None:
        """Kill the helper if it still runs and close the terminal."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def set_size(fd: int, rows: int, columns: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


@pytest.fixture
def shell_container(run_container: RunContainer) -> str:
    return run_container("sleep 600")


@pytest.fixture
def children() -> Iterator[list[PtyChild]]:
    started: list[PtyChild] = []
    yield started
    for child in started:
        child.close()


def open_child(
    children: list[PtyChild],
    container_id: str,
    rows: int = 24,
    columns: int = 80,
    *args: str,
) -> PtyChild:
    child = PtyChild(container_id, rows, columns, *args)
    children.append(child)
    return child


def test_shell_runs_commands(shell_container: str, children: list[PtyChild]) -> None:
    child = open_child(children, shell_container)
    child.read_until(b"# ")
    child.send("echo $((6*7))\r")
    assert b"\r\n42\r\n" in child.read_until(b"\r\n42\r\n")


def test_stty_size_follows_resize(
    shell_container: str, children: list[PtyChild]
) -> None:
    child = open_child(children, shell_container, 24, 80)
    child.read_until(b"# ")
    child.send("stty size\r")
    child.read_until(b"24 80\r\n")
    # Resizing the master makes the kernel send SIGWINCH to the helper,
    # which passes the new size on with exec_resize.
    set_size(child.fd, 30, 100)
    time.sleep(0.3)
    child.send("stty size\r")
    assert b"30 100\r\n" in child.read_until(b"30 100\r\n")


def test_terminal_restored_after_exit(
    shell_container: str, children: list[PtyChild]
) -> None:
    child = open_child(children, shell_container)
    child.read_until(b"# ")
    assert not child.line_mode()
    child.send("printf '\\033[?1049h\\033[?25l'; exit 3\r")
    output = child.read_until(b"EXITED: 3")
    assert child.line_mode()
    assert output.rfind(b"\x1b[?1049l") > output.rfind(b"\x1b[?1049h")
    assert output.rfind(b"\x1b[?25h") > output.rfind(b"\x1b[?25l")
    assert child.wait() == 0


def test_terminal_restored_when_container_dies(
    docker_api: docker.APIClient, shell_container: str, children: list[PtyChild]
) -> None:
    child = open_child(children, shell_container)
    child.read_until(b"# ")
    docker_api.kill(shell_container)
    child.read_until(b"EXITED:")
    assert child.line_mode()
    assert b"\x1b[?25h" in child.output
    assert child.wait() == 0


def test_configured_command_used(
    shell_container: str, children: list[PtyChild]
) -> None:
    command = "sh -c 'echo configured-$((1+1)); exit 4'"
    child = open_child(children, shell_container, 24, 80, command)
    assert b"configured-2" in child.read_until(b"EXITED: 4")


def test_no_shell_gives_message(
    engine: Engine,
    docker_api: docker.APIClient,
    shell_container: str,
    children: list[PtyChild],
) -> None:
    # busybox installs its applets as symlinks, so removing these leaves
    # the image without any shell while sleep keeps running.
    exec_id = docker_api.exec_create(
        shell_container, ["rm", "-f", "/bin/sh", "/bin/ash", "/bin/bash"]
    )
    docker_api.exec_start(exec_id)
    with pytest.raises(EngineError) as caught:
        choose_shell(engine, shell_container, "no-shell")
    assert caught.value.kind == ErrorKind.NOT_FOUND
    assert (
        caught.value.message
        == "No shell found in container no-shell: tried bash and sh."
    )
    child = open_child(children, shell_container)
    assert b"ERROR: No shell found" in child.read_until(b"tried bash and sh.")
    assert child.wait() == 3


def test_stopped_container_rejected(
    engine: Engine, run_container: RunContainer
) -> None:
    container_id = run_container("sleep 600", start=False)
    with pytest.raises(EngineError) as caught:
        choose_shell(engine, container_id, "stopped-one")
    assert caught.value.message == (
        "Container stopped-one is created, so no shell can start in it."
    )
    assert caught.value.hint == "Start it first."


def test_paused_container_rejected(
    engine: Engine, docker_api: docker.APIClient, shell_container: str
) -> None:
    docker_api.pause(shell_container)
    with pytest.raises(EngineError) as caught:
        choose_shell(engine, shell_container, "paused-one")
    assert caught.value.message == (
        "Container paused-one is paused, so no shell can start in it."
    )
    assert caught.value.hint == "Unpause it first."
