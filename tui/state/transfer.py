"""Progress of pulls, pushes and builds, read from the engine's JSON messages.

A pull or push reports one message per layer event (``id``, ``status`` and
``progressDetail`` with ``current`` and ``total`` bytes). A build reports text
lines under ``stream``, the result under ``aux.ID`` and a failure under
``errorDetail``. These classes fold the messages into what a screen shows.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from typing import Any

from .text import clean

DONE_STATUSES = frozenset(
    {
        "Pull complete",
        "Already exists",
        "Download complete",
        "Pushed",
        "Layer already exists",
        "Verifying Checksum",
    }
)
"""Layer statuses after which the layer's bytes count as transferred."""

MAX_BUILD_LINES = 5000
"""Build output lines kept in memory. Older lines are dropped."""


class RegistryErrorKind(str, Enum):
    """Kinds of pull or push failure, in the terms an operator acts on."""

    NOT_FOUND = "not found"
    UNAUTHORIZED = "unauthorized"
    UNREACHABLE = "registry unreachable"
    OTHER = "failed"


_NOT_FOUND_MARKERS = (
    "manifest unknown",
    "not found",
    "repository does not exist",
    "name unknown",
    "no such image",
)
_UNAUTHORIZED_MARKERS = (
    "unauthorized",
    "authentication required",
    "access denied",
    "denied:",
    "no basic auth credentials",
    "incorrect username or password",
)
_UNREACHABLE_MARKERS = (
    "connection refused",
    "no such host",
    "dial tcp",
    "i/o timeout",
    "network is unreachable",
    "no route to host",
    "tls handshake timeout",
    "server misbehaving",
)


def classify_registry_error(message: str) -> RegistryErrorKind:
    """Return the kind of a registry failure from the engine's message."""
    text = message.lower()
    for markers, kind in (
        (_UNAUTHORIZED_MARKERS, RegistryErrorKind.UNAUTHORIZED),
        (_UNREACHABLE_MARKERS, RegistryErrorKind.UNREACHABLE),
        (_NOT_FOUND_MARKERS, RegistryErrorKind.NOT_FOUND),
    ):
        if any(marker in text for marker in markers):
            return kind
    return RegistryErrorKind.OTHER


def error_of(message: dict[str, Any]) -> str:
    """Return the error text of a stream message, or an empty string."""
    detail = message.get("errorDetail")
    if isinstance(detail, dict) and detail.get("message"):
        return clean(str(detail["message"]))
    if message.get("error"):
        return clean(str(message["error"]))
    return ""


@dataclass
class LayerProgress:
    """Transfer state of one layer."""

    id: str
    status: str
    current: int = 0
    total: int = 0
    done: bool = False

    @property
    def fraction(self) -> float:
        """Share of the layer transferred, from 0.0 to 1.0."""
        if self.done:
            return 1.0
        return min(self.current / self.total, 1.0) if self.total else 0.0


class TransferProgress:
    """Per-layer and total progress of one pull or push."""

    def __init__(self) -> None:
        self.layers: dict[str, LayerProgress] = {}
        self.messages: list[str] = []
        self.error = ""
        self.digest = ""
        self.finished = False

    def apply(self, message: dict[str, Any]) -> None:
        """Fold one decoded stream message into the progress."""
        error = error_of(message)
        if error:
            self.error = error
            return
        status = clean(str(message.get("status") or ""))
        aux = message.get("aux")
        if isinstance(aux, dict) and aux.get("Digest"):
            self.digest = clean(str(aux["Digest"]))
        layer_id = clean(str(message.get("id") or ""))
        if not layer_id or not _is_layer_id(layer_id):
            if status:
                self._note(status)
            return
        self._update_layer(layer_id, status, message.get("progressDetail") or {})

    def _note(self, status: str) -> None:
        if status.startswith("Digest: "):
            self.digest = status.removeprefix("Digest: ").strip()
        elif ": digest: " in status:
            self.digest = status.split(": digest: ", 1)[1].split(" ", 1)[0]
        self.messages.append(status)

    def _update_layer(self, layer_id: str, status: str, detail: dict[str, Any]) -> None:
        layer = self.layers.setdefault(layer_id, LayerProgress(layer_id, status))
        layer.status = status
        total = detail.get("total") if isinstance(detail, dict) else None
        current = detail.get("current") if isinstance(detail, dict) else None
        downloading = status in ("Downloading", "Pushing")
        if downloading and isinstance(total, int) and total > 0:
            layer.total = total
        if downloading and isinstance(current, int):
            # A push reports more bytes sent than the layer's size (compression
            # and retries), so the count stops at the size.
            layer.current = min(current, layer.total) if layer.total else current
        if status in DONE_STATUSES or status.startswith(
            ("Mounted from", "Pull complete")
        ):
            layer.done = True
            layer.current = layer.total

    def copy_layers(self) -> tuple[LayerProgress, ...]:
        """Return a copy of the layers that another thread may read safely."""
        return tuple(replace(layer) for layer in self.layers.values())

    @property
    def total_bytes(self) -> int:
        """Bytes of all layers whose size the engine reported."""
        return sum(layer.total for layer in self.layers.values())

    @property
    def done_bytes(self) -> int:
        """Bytes transferred so far."""
        return sum(layer.current for layer in self.layers.values())

    @property
    def fraction(self) -> float:
        """Share of the layers finished, weighted by bytes where sizes are known."""
        if self.finished:
            return 1.0
        if not self.layers:
            return 0.0
        if all(layer.done for layer in self.layers.values()):
            return 1.0
        if self.total_bytes:
            return min(self.done_bytes / self.total_bytes, 1.0)
        finished = sum(1 for layer in self.layers.values() if layer.done)
        return finished / len(self.layers)


def _is_layer_id(value: str) -> bool:
    """Return True for a short layer id (12 hex digits), not a tag or repository."""
    return len(value) == 12 and all(ch in "0123456789abcdef" for ch in value)


class BuildLog:
    """The output of one build: text lines, the current step, result or failure."""

    def __init__(self, max_lines: int = MAX_BUILD_LINES) -> None:
        self.lines: deque[str] = deque(maxlen=max_lines)
        self.step = ""
        self.image_id = ""
        self.error = ""
        self._partial = ""

    def apply(self, message: dict[str, Any]) -> list[str]:
        """Fold one message into the log and return the complete new lines."""
        error = error_of(message)
        if error:
            self.error = error
            return self._add([f"ERROR: {error}"])
        aux = message.get("aux")
        if isinstance(aux, dict) and aux.get("ID"):
            self.image_id = clean(str(aux["ID"]))
        text = message.get("stream")
        if text is None and message.get("status"):
            text = str(message["status"]) + "\n"
        if not isinstance(text, str):
            return []
        return self._add(self._split(text))

    def _split(self, text: str) -> list[str]:
        pieces = (self._partial + text).split("\n")
        self._partial = pieces.pop()
        return [clean(piece) for piece in pieces]

    def _add(self, new_lines: list[str]) -> list[str]:
        for line in new_lines:
            if line.startswith("Step ") and " : " in line:
                self.step = line
            self.lines.append(line)
        return new_lines

    @property
    def failing_step(self) -> str:
        """The step that was running when the build failed, or an empty string."""
        return self.step if self.error else ""


@dataclass(frozen=True)
class HistoryEntry:
    """One step of an image's history: the command, its layer size and when."""

    id: str
    created: datetime | None
    created_by: str
    size: int
    comment: str = ""
    tags: tuple[str, ...] = ()

    @property
    def command(self) -> str:
        """The step's instruction without the legacy builder's shell prefix."""
        text = self.created_by
        for prefix in ("/bin/sh -c #(nop) ", "/bin/sh -c "):
            if text.startswith(prefix):
                return text[len(prefix) :].strip()
        return text.strip()
