"""One place that turns SDK and socket failures into a few dockertui errors.

Every error carries a one-line ``message`` (what failed) and a ``hint`` (what to
do next), so the screens can show it without knowing the SDK.
"""

from __future__ import annotations

import errno
import re
import socket
from enum import Enum
from typing import Any

_FULL_ID = re.compile(r"\b[0-9a-f]{64}\b")


class ErrorKind(str, Enum):
    """The kinds of failure the app treats differently."""

    NO_SOCKET = "no socket"
    PERMISSION_DENIED = "permission denied"
    REFUSED = "connection refused"
    TIMED_OUT = "timed out"
    SSH_FAILED = "ssh failed"
    BAD_ENDPOINT = "invalid endpoint"
    NOT_FOUND = "not found"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    UNEXPECTED = "unexpected"


CONNECTION_KINDS = frozenset(
    {
        ErrorKind.NO_SOCKET,
        ErrorKind.PERMISSION_DENIED,
        ErrorKind.REFUSED,
        ErrorKind.TIMED_OUT,
        ErrorKind.SSH_FAILED,
        ErrorKind.BAD_ENDPOINT,
    }
)


class EngineError(Exception):
    """A failure talking to the engine, with a message and a hint for the user."""

    def __init__(self, kind: ErrorKind, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.hint = hint

    @property
    def is_connection_error(self) -> bool:
        """True when the engine could not be reached at all."""
        return self.kind in CONNECTION_KINDS

    def __str__(self) -> str:
        return self.message


def _socket_path(endpoint: str) -> str:
    for prefix in ("unix://", "http+unix://"):
        if endpoint.startswith(prefix):
            return endpoint[len(prefix) :]
    return ""


def _find_errno(error: BaseException) -> int | None:
    """Walk the exception chain and return the first OS errno found."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [error]
    while stack:
        current = stack.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno is not None:
            return current.errno
        stack.extend([current.__cause__, current.__context__])
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException):
                stack.append(arg)
        reason = getattr(current, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return None


def _chain_text(error: BaseException) -> str:
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 6:
        parts.append(f"{type(current).__name__}: {current}")
        current = current.__cause__ or current.__context__
    return " | ".join(parts)


def connection_error(error: BaseException, endpoint: str) -> EngineError:
    """Map a failure to reach ``endpoint`` to an error that names cause and fix."""
    code = _find_errno(error)
    path = _socket_path(endpoint)
    text = _chain_text(error).lower()
    if isinstance(error, EngineError):
        return error
    if code == errno.ENOENT or (path and "no such file" in text):
        return EngineError(
            ErrorKind.NO_SOCKET,
            f"Cannot connect to the Docker daemon: no socket at {path or endpoint}.",
            "Start the daemon (sudo systemctl start docker, or run dockerd), or "
            "point dockertui at another engine with --host or --context.",
        )
    if code in (errno.EACCES, errno.EPERM) or "permission denied" in text:
        return EngineError(
            ErrorKind.PERMISSION_DENIED,
            f"Permission denied on {path or endpoint}.",
            "Add your user to the docker group (sudo usermod -aG docker $USER, "
            "then log in again), or run dockertui with sudo.",
        )
    if code == errno.ECONNREFUSED or "connection refused" in text:
        return EngineError(
            ErrorKind.REFUSED,
            f"Connection refused by {endpoint}: nothing answers there.",
            "Check that the daemon runs and listens on that address.",
        )
    if "ssh" in endpoint.split("://")[0] or "paramiko" in text or "ssh" in text:
        return EngineError(
            ErrorKind.SSH_FAILED,
            f"SSH connection to {endpoint} failed: {error}",
            "Check that 'ssh' to that host works without a password prompt and "
            "that the host key is known (ssh once by hand to accept it).",
        )
    if isinstance(error, (socket.timeout, TimeoutError)) or "timed out" in text:
        return EngineError(
            ErrorKind.TIMED_OUT,
            f"Timed out waiting for the engine at {endpoint}.",
            "The daemon may be overloaded or the network slow; dockertui retries.",
        )
    return EngineError(
        ErrorKind.UNEXPECTED,
        f"Cannot talk to the engine at {endpoint}: {error}",
        "Check the address and that the daemon runs.",
    )


def api_error(error: Any, action: str) -> EngineError:
    """Map an SDK ``APIError`` raised by ``action`` to an EngineError.

    The engine's own explanation is kept as the message, since it says what is
    wrong better than any rewording.
    """
    status = getattr(error, "status_code", None)
    explanation = getattr(error, "explanation", None) or str(error)
    if isinstance(explanation, bytes):
        explanation = explanation.decode("utf-8", "replace")
    # The engine names objects by full id; 12 digits identify them as the CLI does.
    explanation = _FULL_ID.sub(lambda match: match.group(0)[:12], str(explanation))
    message = f"{action} failed: {explanation}"
    if status == 404:
        return EngineError(ErrorKind.NOT_FOUND, message)
    if status == 409:
        return EngineError(ErrorKind.CONFLICT, message)
    return EngineError(ErrorKind.REJECTED, message)
