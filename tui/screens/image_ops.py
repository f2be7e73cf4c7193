"""Dialogs that pull, push, tag and build images, with live progress.

Each dialog runs its engine call in a thread worker. A pull or push shows a bar
per layer and a total, and escape cancels it by closing the connection. A build
streams its output into a log and returns the new image's id.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from dockertui.widgets.progress_layers import LayerProgressView
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Log, Static

from ..engine.errors import EngineError
from ..state.text import clean
from ..state.transfer import (
    MAX_BUILD_LINES,
    BuildLog,
    LayerProgress,
    RegistryErrorKind,
    TransferProgress,
    classify_registry_error,
)

if TYPE_CHECKING:
    from ..engine.client import Engine
    from ..engine.images import TransferStream

UPDATE_INTERVAL = 0.1
"""Seconds between two progress redraws of a running transfer."""


def _styles_path() -> str:
    return str(resources.files("dockertui.styles") / "disk.tcss")


def describe_registry_error(message: str) -> str:
    """Return the error with its kind first: "Not found: …", "Unauthorized: …"."""
    kind = classify_registry_error(message)
    if kind is RegistryErrorKind.OTHER:
        return f"Failed: {message}"
    return f"{kind.value.capitalize()}: {message}"


@dataclass
class TransferUpdated(Message):
    """New per-layer progress of the running pull or push."""

    layers: tuple[LayerProgress, ...]
    fraction: float

    def can_replace(self, message: Message) -> bool:
        """Keep only the newest progress in the queue."""
        return isinstance(message, TransferUpdated)


@dataclass
class TransferEnded(Message):
    """The pull or push finished, failed or was cancelled."""

    error: str
    cancelled: bool
    digest: str


class TransferModal(ModalScreen[str | None]):
    """Shared layout and worker of the pull and push dialogs.

    Enter starts the transfer of the reference in the input. Escape cancels a
    running transfer, and otherwise closes. Dismisses with the reference after
    a transfer that succeeded, else with None.
    """

    CSS_PATH = _styles_path()
    BINDINGS = [Binding("escape", "cancel", "Cancel / close", id="transfer-cancel")]
    VERB = "Transfer"

    def __init__(self, engine: Engine, reference: str = "") -> None:
        super().__init__()
        self.engine = engine
        self.reference = reference
        self.stream: TransferStream | None = None
        self.cancel_requested = False
        self.running = False
        self.succeeded = False

    def compose(self) -> ComposeResult:
        """Lay out the reference input, the layer bars and the status line."""
        with Vertical(classes="transfer-dialog"):
            yield Label(Text(f"{self.VERB} an image"), classes="transfer-title")
            yield Input(self.reference, placeholder="name[:tag] or name@sha256:…")
            yield LayerProgressView(classes="transfer-layers")
            yield Static("", classes="transfer-error")
            yield Static("enter starts   escape cancels", classes="transfer-hint")

    def open_stream(self, reference: str) -> TransferStream:
        """Start the transfer on the engine; subclasses call pull or push."""
        raise NotImplementedError

    @on(Input.Submitted)
    def start(self, event: Input.Submitted) -> None:
        """Start the transfer of the reference typed."""
        if self.running:
            return
        self.reference = event.value.strip()
        self.running, self.succeeded = True, False
        self.cancel_requested = False
        self._status("")
        self.query_one(".transfer-title", Label).update(
            Text(f"{self.VERB} {self.reference}…")
        )
        self._transfer(self.reference)

    def _status(self, text: str) -> None:
        self.query_one(".transfer-error", Static).update(Text(text))

    @work(thread=True, exclusive=True, group="transfer", exit_on_error=False)
    def _transfer(self, reference: str) -> None:
        progress = TransferProgress()
        try:
            self.stream = self.open_stream(reference)
            if self.cancel_requested:
                self.stream.close()
            last = 0.0
            for message in self.stream:
                progress.apply(message)
                if time.monotonic() - last >= UPDATE_INTERVAL:
                    last = time.monotonic()
                    self._post_progress(progress)
        except EngineError as error:
            progress.error = error.message
        cancelled = self.stream is not None and self.stream.cancelled
        progress.finished = not progress.error and not cancelled
        self._post_progress(progress)
        self.post_message(TransferEnded(progress.error, cancelled, progress.digest))

    def _post_progress(self, progress: TransferProgress) -> None:
        self.post_message(TransferUpdated(progress.copy_layers(), progress.fraction))

    @on(TransferUpdated)
    def show_progress(self, message: TransferUpdated) -> None:
        """Redraw the layer bars."""
        view = self.query_one(LayerProgressView)
        view.show(message.layers, message.fraction)

    @on(TransferEnded)
    def show_result(self, message: TransferEnded) -> None:
        """Say how the transfer ended: done, cancelled, or which error."""
        self.running, self.stream = False, None
        title = self.query_one(".transfer-title", Label)
        if message.cancelled:
            title.update(Text(f"{self.VERB} of {self.reference} cancelled"))
        elif message.error:
            title.update(Text(f"{self.VERB} of {self.reference} failed"))
            self._status(describe_registry_error(message.error))
        else:
            self.succeeded = True
            title.update(Text(f"{self.VERB} of {self.reference} done"))
            self._status(f"Digest: {message.digest}" if message.digest else "")
        self.query_one(".transfer-hint", Static).update(
            Text("enter starts again   escape closes")
        )

    def action_cancel(self) -> None:
        """Cancel a running transfer, or close the dialog."""
        if self.running:
            # Escape while the request is still being sent closes the stream as
            # soon as the worker has it.
            self.cancel_requested = True
            stream = self.stream
            if stream is not None:
                stream.close()
            return
        self.dismiss(self.reference if self.succeeded else None)


class PullModal(TransferModal):
    """Pull an image by ``name:tag`` or ``name@digest`` with per-layer progress."""

    VERB = "Pull"

    def open_stream(self, reference: str) -> TransferStream:
        """Start pulling ``reference``."""
        from ..engine.images import pull

        return pull(self.engine, reference)


class PushModal(TransferModal):
    """Push a local image to its registry with per-layer progress."""

    VERB = "Push"

    def open_stream(self, reference: str) -> TransferStream:
        """Start pushing ``reference``."""
        from ..engine.images import push

        return push(self.engine, reference)


@dataclass
class TagFinished(Message):
    """Tagging ended; ``error`` is empty on success."""

    error: str


class TagModal(ModalScreen[str | None]):
    """Give an image a new name; dismisses with the new reference, or None."""

    CSS_PATH = _styles_path()
    BINDINGS = [Binding("escape", "cancel", "Close", id="tag-cancel")]

    def __init__(self, engine: Engine, image_id: str, current_name: str = "") -> None:
        super().__init__()
        self.engine = engine
        self.image_id = image_id
        self.current_name = current_name
        self.reference = ""

    def compose(self) -> ComposeResult:
        """Lay out the question and the input."""
        name = clean(self.current_name or self.image_id.removeprefix("sha256:")[:12])
        with Vertical(classes="transfer-dialog"):
            yield Label(Text(f"Tag image {name}"), classes="transfer-title")
            yield Input(placeholder="repository[:tag]")
            yield Static("", classes="transfer-error")
            yield Static("enter tags   escape closes", classes="transfer-hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        """Tag the image with the name typed."""
        self.reference = event.value.strip()
        self._tag(self.reference)

    @work(thread=True, exclusive=True, group="tag", exit_on_error=False)
    def _tag(self, reference: str) -> None:
        from ..engine.images import tag

        try:
            tag(self.engine, self.image_id, reference)
        except EngineError as error:
            self.post_message(TagFinished(error.message))
            return
        self.post_message(TagFinished(""))

    @on(TagFinished)
    def finish(self, message: TagFinished) -> None:
        """Close with the new name, or show why tagging failed."""
        if message.error:
            self.query_one(".transfer-error", Static).update(Text(message.error))
            return
        self.dismiss(self.reference)

    def action_cancel(self) -> None:
        """Close without tagging."""
        self.dismiss(None)


@dataclass
class BuildOutput(Message):
    """New lines of build output."""

    lines: list[str]


@dataclass
class BuildEnded(Message):
    """The build finished: ``image_id`` on success, else the error and its step."""

    image_id: str
    error: str
    failing_step: str


class BuildModal(ModalScreen[str | None]):
    """Build a directory's Dockerfile, streaming the output.

    Dismisses with the built image's id, or None when the build failed or was
    not run.
    """

    CSS_PATH = _styles_path()
    BINDINGS = [Binding("escape", "cancel", "Close", id="build-cancel")]

    def __init__(
        self,
        engine: Engine,
        directory: str = "",
        tag_name: str = "",
        labels: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.engine = engine
        self.directory = directory
        self.tag_name = tag_name
        self.labels = labels or {}
        self.image_id = ""
        self.running = False

    def compose(self) -> ComposeResult:
        """Lay out directory and tag inputs, the output log and the status."""
        with Vertical(classes="transfer-dialog"):
            yield Label("Build an image", classes="transfer-title")
            yield Input(
                self.directory,
                placeholder="directory with a Dockerfile",
                id="build-directory",
            )
            yield Input(
                self.tag_name, placeholder="repository[:tag] (optional)", id="build-tag"
            )
            yield Log(max_lines=MAX_BUILD_LINES, id="build-log")
            yield Static("", classes="transfer-error")
            yield Static("enter builds   escape closes", classes="transfer-hint")

    @on(Input.Submitted)
    def start(self) -> None:
        """Build the directory typed."""
        if self.running:
            return
        self.directory = self.query_one("#build-directory", Input).value.strip()
        self.tag_name = self.query_one("#build-tag", Input).value.strip()
        self.running, self.image_id = True, ""
        self.query_one("#build-log", Log).clear()
        self.query_one(".transfer-error", Static).update("")
        self.query_one(".transfer-title", Label).update(
            Text(f"Building {self.directory}…")
        )
        self._build(self.directory, self.tag_name)

    @work(thread=True, exclusive=True, group="build", exit_on_error=False)
    def _build(self, directory: str, tag_name: str) -> None:
        from ..engine.images import build

        build_log = BuildLog()
        try:
            for message in build(self.engine, directory, tag_name, labels=self.labels):
                lines = build_log.apply(message)
                if lines:
                    self.post_message(BuildOutput(lines))
        except EngineError as error:
            build_log.error = error.message
        self.post_message(
            BuildEnded(build_log.image_id, build_log.error, build_log.failing_step)
        )

    @on(BuildOutput)
    def show_output(self, message: BuildOutput) -> None:
        """Append build output lines."""
        self.query_one("#build-log", Log).write_lines(message.lines)

    @on(BuildEnded)
    def show_result(self, message: BuildEnded) -> None:
        """Name the built image, or the failing step and the error."""
        self.running = False
        title = self.query_one(".transfer-title", Label)
        if message.error or not message.image_id:
            title.update(Text("Build failed"))
            step = f"at {message.failing_step}: " if message.failing_step else ""
            error = message.error or "the engine returned no image id"
            self.query_one(".transfer-error", Static).update(
                Text(f"Failed {step}{error}")
            )
            return
        self.image_id = message.image_id
        short = message.image_id.removeprefix("sha256:")[:12]
        title.update(
            Text(f"Built {short}" + (f" as {self.tag_name}" if self.tag_name else ""))
        )
        self.query_one(".transfer-hint", Static).update(
            Text("escape closes and selects it")
        )

    def action_cancel(self) -> None:
        """Close, returning the built image's id if there is one."""
        self.dismiss(self.image_id or None)
