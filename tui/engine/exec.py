"""Run an interactive command in a container through the exec API.

The exec is created with a TTY and stdin, started with ``socket=True`` so
docker-py hands over the upgraded connection, and resized through
``exec_resize``. No docker CLI is involved: the same client and connection
settings as the rest of the app are used.
"""

from __future__ import annotations

import logging
import os
import shlex
import socket
from typing import TYPE_CHECKING, Any

from .errors import EngineError, ErrorKind

if TYPE_CHECKING:
    from .client import Engine

log = logging.getLogger(__name__)

SHELL_CANDIDATES = ("bash", "sh")
"""Shells tried in this order when no command is configured."""

READ_SIZE = 16 * 1024


class ExecSession:
    """The byte pipe to one running exec, with its TTY size control."""

    def __init__(self, engine: Engine, exec_id: str, sock: Any) -> None:
        self.engine = engine
        self.exec_id = exec_id
        self._original = sock
        # docker-py 7.1 returns a read-only socket.SocketIO for unix and plain
        # TCP connections, so a socket object on a duplicate of its descriptor
        # does the sending. TLS sockets and SSH channels can send already.
        if hasattr(sock, "sendall"):
            self._sock = sock
        else:
            self._sock = socket.socket(fileno=os.dup(sock.fileno()))

    def fileno(self) -> int:
        """Return the descriptor to wait on with ``select``."""
        return int(self._sock.fileno())

    def read(self) -> bytes | None:
        """Return the bytes that arrived, None if none yet, empty once it ended."""
        try:
            return bytes(self._sock.recv(READ_SIZE))
        except (TimeoutError, BlockingIOError):
            return None
        except OSError:
            log.info("exec %s: connection closed", self.exec_id[:12])
            return b""

    def write(self, data: bytes) -> None:
        """Send keystrokes to the exec's stdin."""
        self._sock.sendall(data)

    def resize(self, rows: int, columns: int) -> None:
        """Set the exec's TTY size, logging a failure instead of raising it."""
        try:
            self.engine.api.exec_resize(self.exec_id, height=rows, width=columns)
        except Exception:  # noqa: BLE001 - the exec may just have ended
            log.debug("exec %s: resize failed", self.exec_id[:12], exc_info=True)

    def exit_code(self) -> int | None:
        """Return the exit code once the exec has ended, else None."""
        try:
            detail = self.engine.api.exec_inspect(self.exec_id)
        except Exception:  # noqa: BLE001 - the engine may be gone
            return None
        if detail.get("Running"):
            return None
        code = detail.get("ExitCode")
        return code if isinstance(code, int) else None

    def close(self) -> None:
        """Close the connection to the exec."""
        try:
            self._sock.close()
            if self._original is not self._sock:
                self._original.close()
        except OSError:
            log.debug("exec %s: close failed", self.exec_id[:12], exc_info=True)


def check_exec_allowed(engine: Engine, container_id: str, name: str) -> None:
    """Raise an EngineError with the reason when no shell can start in the container.

    Raises:
        EngineError: when the container is paused, not running or gone.
    """
    detail = engine.inspect("container", container_id)
    state = detail.get("State") or {}
    if state.get("Paused"):
        raise EngineError(
            ErrorKind.CONFLICT,
            f"Container {name} is paused, so no shell can start in it.",
            "Unpause it first.",
        )
    if not state.get("Running"):
        status = state.get("Status") or "not running"
        raise EngineError(
            ErrorKind.CONFLICT,
            f"Container {name} is {status}, so no shell can start in it.",
            "Start it first.",
        )


def choose_shell(
    engine: Engine, container_id: str, name: str, command: str | None = None
) -> list[str]:
    """Return the command to run: ``command`` if given, else bash, else sh.

    Raises:
        EngineError: when the container cannot run a shell or has none.
    """
    check_exec_allowed(engine, container_id, name)
    if command:
        return shlex.split(command)
    for shell in SHELL_CANDIDATES:
        if _runs(engine, container_id, [shell, "-c", "exit 0"]):
            return [shell]
    tried = " and ".join(SHELL_CANDIDATES)
    raise EngineError(
        ErrorKind.NOT_FOUND,
        f"No shell found in container {name}: tried {tried}.",
        "Configure a command that exists in the image.",
    )


def _runs(engine: Engine, container_id: str, argv: list[str]) -> bool:
    """Run ``argv`` in the container without a TTY; report if it exited with 0."""
    api = engine.api
    try:
        created = api.exec_create(container_id, argv, stdout=True, stderr=True)
        api.exec_start(created["Id"])
        return bool(api.exec_inspect(created["Id"]).get("ExitCode") == 0)
    except Exception as error:  # noqa: BLE001 - a missing binary may raise here
        log.info("probe %s in %s failed: %s", argv[0], container_id[:12], error)
        return False


def open_exec(
    engine: Engine, container_id: str, argv: list[str], rows: int, columns: int
) -> ExecSession:
    """Start ``argv`` in the container with a TTY and return its connection.

    Raises:
        EngineError: when the engine refuses the exec.
    """
    api = engine.api
    action = f"exec in {container_id[:12]}"
    created = engine._call(
        action,
        lambda: api.exec_create(
            container_id,
            argv,
            stdin=True,
            tty=True,
            stdout=True,
            stderr=True,
            environment={"TERM": "xterm-256color"},
        ),
    )
    exec_id = created["Id"]
    sock = engine._call(action, lambda: api.exec_start(exec_id, tty=True, socket=True))
    session = ExecSession(engine, exec_id, sock)
    session.resize(rows, columns)
    return session
