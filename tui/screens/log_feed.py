"""Reader threads that fill a log screen's inbox: first the tail, then live lines."""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from functools import partial
from typing import TYPE_CHECKING

from dockertui.engine.errors import EngineError
from dockertui.engine.logs import LogStream, open_logs, read_tail, write_whole_log

if TYPE_CHECKING:
    from dockertui.engine import Engine
    from dockertui.state.logbuffer import LineInbox
    from dockertui.state.logstream import LogLine

log = logging.getLogger(__name__)

BACKOFF_SECONDS = 0.02
"""How long a reader waits when the screen has not taken the last lines yet."""

RunInThread = Callable[[Callable[[], None]], object]


def _plain_thread(function: Callable[[], None]) -> object:
    thread = threading.Thread(target=function, daemon=True, name="log-reader")
    thread.start()
    return thread


class LogFeed:
    """Read the logs of several containers into one inbox.

    The tails of all containers are read first and merged by time, so the
    first screen is in order. Then one thread per container follows its log
    from the last line it had, skipping lines it already delivered.
    """

    def __init__(
        self,
        engine: Engine,
        container_ids: list[str],
        inbox: LineInbox,
        run_in_thread: RunInThread | None = None,
    ) -> None:
        self.engine = engine
        self.container_ids = list(container_ids)
        self.inbox = inbox
        self.errors: list[str] = []
        self._run = run_in_thread or _plain_thread
        self._streams: set[LogStream] = set()
        self._ended: set[int] = set()
        self._lock = threading.Lock()

    def start(self, tail: int | None, since: datetime | None, limit: int) -> None:
        """Stop any reading and start again with ``tail`` and ``since``."""
        self.stop()
        generation = self.inbox.generation
        with self._lock:
            self._ended.clear()
            self.errors.clear()
        self._run(lambda: self._load(generation, tail, since, limit))

    def stop(self) -> None:
        """End every stream and discard the lines still in flight."""
        self.inbox.restart()
        with self._lock:
            streams, self._streams = self._streams, set()
        for stream in streams:
            stream.close()

    def ended_count(self) -> int:
        """Return how many containers' streams have ended (stopped or failed)."""
        with self._lock:
            return len(self._ended)

    def write_whole_log(
        self, since: datetime | None, path: str, format_line: Callable[[LogLine], str]
    ) -> int:
        """Stream every container's log since ``since`` to ``path``, merged by time."""
        return write_whole_log(
            self.engine, self.container_ids, since, path, format_line
        )

    def _current(self, generation: int) -> bool:
        return self.inbox.generation == generation

    def _load(
        self, generation: int, tail: int | None, since: datetime | None, limit: int
    ) -> None:
        tails: list[list[LogLine]] = []
        for index, container_id in enumerate(self.container_ids):
            try:
                lines = read_tail(
                    self.engine,
                    container_id,
                    index,
                    tail,
                    since,
                    limit,
                    lambda: not self._current(generation),
                )
            except EngineError as error:
                self._fail(index, error)
                lines = []
            tails.append(lines)
        merged = list(heapq.merge(*tails, key=lambda line: line.time_ns))
        if not self.inbox.put(generation, merged[-limit:]):
            return
        for index, container_id in enumerate(self.container_ids):
            if index in self._ended:
                continue
            after_ns = tails[index][-1].time_ns if tails[index] else 0
            self._run(
                partial(self._follow, generation, index, container_id, after_ns, since)
            )

    def _follow(
        self,
        generation: int,
        index: int,
        container_id: str,
        after_ns: int,
        since: datetime | None,
    ) -> None:
        # With no line in the tail the log was empty then, so "all" returns
        # only lines written since. Otherwise start at the last line's time.
        start = _time_from_ns(after_ns) if after_ns else since
        try:
            stream = open_logs(
                self.engine, container_id, index, tail=None, since=start, follow=True
            )
        except EngineError as error:
            self._fail(index, error)
            return
        with self._lock:
            if not self._current(generation):
                stream.close()
                return
            self._streams.add(stream)
        try:
            self._pump(generation, stream, after_ns)
        except EngineError as error:
            self._fail(index, error)
        finally:
            stream.close()
            with self._lock:
                self._streams.discard(stream)
                if self._current(generation):
                    self._ended.add(index)

    def _pump(self, generation: int, stream: LogStream, after_ns: int) -> None:
        for batch in stream.batches():
            if after_ns:
                batch = [line for line in batch if line.time_ns > after_ns]
                if batch:
                    after_ns = 0
            if batch and not self.inbox.put(generation, batch):
                return
            # A reader decoding a flood holds the GIL for the whole switch
            # interval (5 ms) each time, and the event loop needs it dozens
            # of times per key press, so the reader yields it after every
            # chunk. Pausing while a backlog waits bounds the work of one
            # frame, and the engine keeps the lines until they are read.
            # NOTE: this caps a flood at about 5,000 lines/s on screen (the
            # engine sends about 45,000), so the view then lags behind it.
            time.sleep(BACKOFF_SECONDS if self.inbox.has_backlog() else 0)

    def _fail(self, index: int, error: EngineError) -> None:
        log.warning("log of %s failed: %s", self.container_ids[index][:12], error)
        with self._lock:
            self._ended.add(index)
            self.errors.append(str(error))


def _time_from_ns(time_ns: int) -> datetime:
    seconds, nanos = divmod(time_ns, 1_000_000_000)
    return datetime.fromtimestamp(seconds, timezone.utc).replace(
        microsecond=nanos // 1000
    )
