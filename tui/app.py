"""The dockertui application: connects to the engine and keeps the state live.

Data flows one way. Thread workers call the engine and post messages; handlers
here apply them to ``EngineState`` and tell the main screen what changed. The
event stream drives refreshes; a slow periodic resync heals missed events.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.timer import Timer
from textual.worker import Worker, get_current_worker

from . import messages as msg
from .commands import EngineCommands
from .engine.client import Engine
from .engine.endpoint import Endpoint
from .engine.errors import EngineError, ErrorKind
from .engine.quick_list import QuickList
from .screens.actions import MUTATING
from .state.events import EventBatch, backoff_delay
from .state.records import ContainerRecord, EngineEvent
from .state.store import EngineState
from .stats_feed import StatsFeed

log = logging.getLogger(__name__)

RESYNC_SECONDS = 15.0
"""Seconds between full re-lists that heal any event the stream missed."""

EVENT_COALESCE_SECONDS = 0.05
"""Events arriving within this window are handled with one refresh."""

MUTATING_ACTIONS = MUTATING
MUTATING_KEYS = {
    "u": "start",
    "s": "stop",
    "r": "restart",
    "p": "pause",
    "K": "kill",
    "d": "remove",
    "e": "shell",
    "P": "pull",
    "t": "tag",
    "U": "push",
    "b": "build",
}


def _styles_path() -> str:
    return str(resources.files("dockertui.styles") / "app.tcss")


class DockerTUI(App[None]):
    """A live dashboard of one Docker Engine."""

    TITLE = "dockertui"
    CSS_PATH = _styles_path()
    COMMANDS = App.COMMANDS | {EngineCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Help", id="help"),
    ] + [
        Binding(key, f"explain('{action}')", show=False, id=f"explain-{action}")
        for key, action in MUTATING_KEYS.items()
    ]

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        engine: Any = None,
        read_only: bool = False,
        refresh_seconds: float = 2.0,
        clock: Callable[[], datetime] | None = None,
        follow_events: bool = True,
        shell_command: str | None = None,
        quick_list: QuickList | None = None,
    ) -> None:
        super().__init__()
        self.endpoint = endpoint
        self.engine: Engine = engine if engine is not None else Engine(endpoint)
        self.read_only = read_only
        self.refresh_seconds = refresh_seconds
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.follow_events = follow_events
        self.shell_command = shell_command
        self.quick_list = quick_list
        self.state = EngineState()
        self.info = None
        self.connected = False
        self.generation = 0
        self.failures = 0
        self._pending = EventBatch()
        self.stats = StatsFeed(self)
        self._flush_timer: Timer | None = None
        self._event_load: Worker[None] | None = None
        self._retry_timer: Timer | None = None
        self._resync_timer: Timer | None = None

    # Start-up and connection

    async def on_mount(self) -> None:
        """Show the main screen at once, then connect in the background."""
        from .screens.main import MainScreen

        if self.quick_list is not None:
            records = self.quick_list.records(timeout=0)
            if records is not None:
                self._seed_containers(records)
            elif not self.quick_list.done:
                self._wait_for_quick_list()
        await self.push_screen(MainScreen())
        # Objects made at start-up live as long as the app; freezing them keeps
        # full garbage collections (seen at 50-250 ms under a log flood) short.
        gc.freeze()
        self.connect_engine()

    @work(thread=True, group="quick-list", exit_on_error=False)
    def _wait_for_quick_list(self) -> None:
        assert self.quick_list is not None
        records = self.quick_list.records(timeout=None)
        if records is not None:
            self.call_from_thread(self._seed_containers, records)

    def _seed_containers(self, records: list[ContainerRecord]) -> None:
        """Show the start-up container list until the first full list arrives."""
        if self.state.containers.loaded:
            return
        self.state.containers.replace_all(records)
        self._update_running()
        self._show_on_main("show_change", {"containers"})

    def connect_engine(self) -> None:
        """Start (or restart) connecting; results arrive as messages."""
        self.generation += 1
        self._cancel_timer("_retry_timer")
        self._show_on_main("show_link", "connecting…", live=False)
        self._connect(self.generation)

    @work(thread=True, exclusive=True, group="connect", exit_on_error=False)
    def _connect(self, generation: int) -> None:
        try:
            info = self.engine.connect()
        except EngineError as error:
            self.post_message(msg.EngineUnreachable(error, generation))
            return
        self.post_message(msg.EngineConnected(info, generation))
        # The container list is what the operator waits for, so it is read
        # before the event stream opens. The full list read after the stream
        # opens heals any change made in between.
        self._load_now(("containers",), generation)

    @on(msg.EngineConnected)
    def start_following(self, message: msg.EngineConnected) -> None:
        """Record the engine, then open the event stream (or list at once)."""
        if message.generation != self.generation:
            return
        self.info = message.info
        self.connected = True
        self.failures = 0
        self._show_on_main("show_engine", message.info)
        if self.follow_events:
            self._follow_events(message.generation)
        else:
            self.load_lists()
        self._cancel_timer("_resync_timer")
        self._resync_timer = self.set_interval(RESYNC_SECONDS, self.resync)
        self.stats.start(message.info, message.generation)

    @on(msg.EngineUnreachable)
    def retry_later(self, message: msg.EngineUnreachable) -> None:
        """Mark the data stale, show why, and retry with a growing delay."""
        if message.generation != self.generation and self.connected:
            return
        self.connected = False
        self.state.stale = True
        self.stats.stop()
        self.engine.close_events()
        delay = backoff_delay(self.failures)
        self.failures += 1
        log.warning("engine unreachable, retry in %.0fs: %s", delay, message.error)
        self._show_on_main("show_unreachable", message.error, delay)
        self._cancel_timer("_retry_timer")
        self._retry_timer = self.set_timer(delay, self.connect_engine)

    # Events

    @work(thread=True, exclusive=True, group="events", exit_on_error=False)
    def _follow_events(self, generation: int) -> None:
        worker = get_current_worker()
        error: EngineError | None = None
        try:
            events = self.engine.events()
            self.post_message(msg.EventsFollowing(generation))
            for event in events:
                if worker.is_cancelled:
                    break
                self.post_message(msg.EventsReceived([event], generation))
        except EngineError as failure:
            error = failure
        if not worker.is_cancelled:
            self.post_message(msg.EventStreamDropped(error, generation))

    @on(msg.EventsFollowing)
    def list_everything(self, message: msg.EventsFollowing) -> None:
        """List all four kinds once the stream guarantees no change is missed."""
        if message.generation == self.generation:
            self._show_on_main("show_link", "live", live=True)
            self.load_lists()

    @on(msg.EventsReceived)
    def queue_events(self, message: msg.EventsReceived) -> None:
        """Collect events and handle them together a moment later."""
        if message.generation != self.generation:
            return
        for event in message.events:
            self._pending.add(event)
        if self._flush_timer is None:
            self._flush_timer = self.set_timer(
                EVENT_COALESCE_SECONDS, self._flush_events
            )

    def _flush_events(self) -> None:
        self._flush_timer = None
        busy = self._event_load is not None and not self._event_load.is_finished
        if busy:
            # One refresh at a time: events arriving meanwhile wait in the batch,
            # so a burst of thousands of events costs a few requests, not thousands.
            self._flush_timer = self.set_timer(
                EVENT_COALESCE_SECONDS, self._flush_events
            )
            return
        batch, self._pending = self._pending, EventBatch()
        if batch.removed_containers:
            change = self.state.containers.remove(batch.removed_containers)
            if change:
                self._update_running()
                self._show_on_main("show_change", {"containers"})
        ids: list[str] | None = None
        if batch.container_ids and not batch.full_containers:
            ids = sorted(batch.container_ids)
        kinds = tuple(sorted(batch.kinds))
        if batch.full_containers:
            kinds = ("containers", *kinds)
        if ids or kinds:
            self._event_load = self._load_after_events(ids, kinds, self.generation)

    @work(thread=True, group="lists", exit_on_error=False)
    def _load_after_events(
        self, ids: list[str] | None, kinds: tuple[str, ...], generation: int
    ) -> None:
        if ids:
            self._load_containers_now(ids, generation)
        self._load_now(kinds, generation)

    @on(msg.EventStreamDropped)
    def reopen_events(self, message: msg.EventStreamDropped) -> None:
        """Re-open a dropped event stream, through a reconnect with back-off."""
        if message.generation != self.generation or not self.connected:
            return
        log.warning("event stream dropped: %s", message.error)
        error = message.error or EngineError(
            ErrorKind.REFUSED, "The engine closed the event stream."
        )
        self.post_message(msg.EngineUnreachable(error, self.generation))

    # Lists

    def resync(self) -> None:
        """Re-list everything; run by a slow timer to heal missed events."""
        if self.connected:
            self.load_lists()

    def load_lists(
        self, kinds: tuple[str, ...] = ("containers", "images", "networks", "volumes")
    ) -> None:
        """List the given kinds in one worker; each list is one request."""
        self._load(kinds, self.generation)

    @work(thread=True, group="lists", exit_on_error=False)
    def _load(self, kinds: tuple[str, ...], generation: int) -> None:
        self._load_now(kinds, generation)

    def _load_now(self, kinds: tuple[str, ...], generation: int) -> None:
        listers = {
            "containers": self.engine.list_containers,
            "images": self.engine.list_images,
            "networks": self.engine.list_networks,
            "volumes": self.engine.list_volumes,
        }
        for kind in kinds:
            try:
                records = listers[kind]()
            except EngineError as error:
                self._report_list_error(error, generation)
                return
            self.post_message(msg.ListLoaded(kind, records, generation))

    def _load_containers_now(self, ids: list[str], generation: int) -> None:
        try:
            records = self.engine.list_containers(ids)
        except EngineError as error:
            self._report_list_error(error, generation)
            return
        self.post_message(msg.ListLoaded("containers", records, generation, ids))

    def _report_list_error(self, error: EngineError, generation: int) -> None:
        if error.is_connection_error:
            self.post_message(msg.EngineUnreachable(error, generation))
        else:
            log.warning("list failed: %s", error)

    @on(msg.ListLoaded)
    def apply_list(self, message: msg.ListLoaded) -> None:
        """Apply a list to the state and show what changed."""
        if message.generation != self.generation:
            return
        collection = getattr(self.state, message.kind)
        first_list = not collection.loaded
        if message.ids is None:
            change = collection.replace_all(message.records)
        else:
            # A container named by an event but absent from the response is gone.
            found = {record.id for record in message.records}
            change = collection.upsert(message.records)
            gone = collection.remove(
                [key for key in message.ids if key not in found]
            ).removed
            change.removed.extend(gone)
        if message.kind == "containers":
            self._update_running()
        if self.state.stale and self.connected:
            self.state.stale = False
            self._show_on_main(
                "show_change", {"containers", "images", "networks", "volumes"}
            )
        elif change or first_list:
            # An empty first list changes no row but turns "not listed" into 0.
            self._show_on_main("show_change", {message.kind})

    def _update_running(self) -> None:
        """Give the sampler the containers that have counters to read."""
        self.stats.set_running(
            tuple(
                (c.id, 0, c.network_mode)
                for c in self.state.containers
                if c.state in ("running", "paused")
            )
        )

    @on(msg.StatsSampled)
    def apply_stats(self, message: msg.StatsSampled) -> None:
        """Derive rates from a sweep and show them."""
        if message.generation != self.generation:
            return
        self.stats.apply(message)
        self._show_on_main("show_stats")

    # Actions

    def run_engine_action(self, title: str, call: Callable[[], None]) -> None:
        """Run one state-changing engine call off the event loop."""
        if self.read_only:
            self.notify_read_only(title)
            return
        self._run_action(title, call)

    @work(thread=True, group="actions", exit_on_error=False)
    def _run_action(self, title: str, call: Callable[[], None]) -> None:
        try:
            call()
        except EngineError as error:
            self.post_message(msg.ActionFailed(title, error))
            return
        self.post_message(msg.ActionDone(title))

    @on(msg.ActionFailed)
    def show_action_failure(self, message: msg.ActionFailed) -> None:
        """Show the engine's own reason for rejecting an action."""
        self.notify(
            message.error.message, title=message.title, severity="error", timeout=8
        )
        if message.error.is_connection_error:
            self.post_message(msg.EngineUnreachable(message.error, self.generation))
        elif message.error.kind is ErrorKind.NOT_FOUND and self.connected:
            # The object went away after the last list, so its row is stale.
            self.load_lists()

    @on(msg.ActionDone)
    def show_action_done(self, message: msg.ActionDone) -> None:
        """Confirm an action briefly; the event stream shows its effect."""
        self.notify(message.title, timeout=3)
        if not self.follow_events:
            self.load_lists()

    def notify_read_only(self, title: str) -> None:
        """Explain that --read-only switched an action off."""
        self.notify(
            f"{title}: dockertui runs with --read-only, so actions that change "
            "the engine are switched off.",
            title="Read-only",
            severity="warning",
        )

    def action_explain(self, action: str) -> None:
        """Say why a key did nothing: read-only mode, or the selection."""
        if self.read_only and action in MUTATING_ACTIONS:
            self.notify_read_only(action.capitalize())
            return
        reason = self.main.unavailable_reason(action)
        if reason:
            self.notify(reason, severity="warning", timeout=4)

    def action_help(self) -> None:
        """Show every key and what it does."""
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen(self.main.help_rows()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Let the explain bindings catch only keys the screen did not take."""
        return True

    # Helpers

    def _show_on_main(self, method: str, *args: Any, **options: Any) -> None:
        """Call a display method of the main screen, if it is still mounted.

        Worker messages can arrive while the app shuts down, after the main
        screen is gone; those have nothing left to show.
        """
        if not self.is_running:
            return
        for screen in self.screen_stack:
            if type(screen).__name__ == "MainScreen" and screen.is_mounted:
                getattr(screen, method)(*args, **options)
                return

    @property
    def main(self) -> Any:
        """The main screen (the bottom of the screen stack)."""
        from .screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        raise RuntimeError("main screen is not mounted")

    def _cancel_timer(self, name: str) -> None:
        timer = getattr(self, name)
        if timer is not None:
            timer.stop()
            setattr(self, name, None)

    def on_unmount(self) -> None:
        """Close the event stream and the sampler so their threads end with the app."""
        self.stats.stop()
        self.engine.close_events()

    def handle_event(self, event: EngineEvent) -> None:
        """Queue one event as if it came from the stream (used by tests)."""
        self.post_message(msg.EventsReceived([event], self.generation))
