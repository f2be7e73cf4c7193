"""Read container logs from the Engine API, telling stdout from stderr.

docker-py's ``logs(stream=True)`` yields decoded payloads and drops the stream
type, so this module requests ``GET /containers/{id}/logs`` through the
client's public ``requests.Session`` interface (``APIClient`` subclasses it)
and parses the multiplexed frames itself. Call these functions from worker
threads only: every one of them blocks.
"""

from __future__ import annotations

import heapq
import logging
import os
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from ..state.logbuffer import since_parameter
from ..state.logstream import (
    STREAM_RAW,
    FrameDecoder,
    LineAssembler,
    LogLine,
    TtyMessageSplitter,
)
from .errors import EngineError, ErrorKind, connection_error

if TYPE_CHECKING:
    from datetime import datetime

    from .client import Engine

log = logging.getLogger(__name__)

READ_SIZE = 64 * 1024
CONNECT_TIMEOUT = 10.0


class LogStream:
    """One open log response of one container: iterate ``batches()``, then close it.

    ``close()`` may be called from any thread: it shuts the socket down, so a
    thread blocked reading the stream returns at once.
    """

    def __init__(self, response: Any, source: int, tty: bool, host: str) -> None:
        self.source = source
        self.tty = tty
        self._response = response
        self._host = host
        self._closed = threading.Event()

    def chunks(self) -> Iterator[bytes]:
        """Yield the response body as it arrives, until it ends or is closed."""
        raw = self._response.raw
        try:
            while not self._closed.is_set():
                chunk = raw.read1(READ_SIZE)
                if not chunk:
                    return
                yield chunk
        except Exception as error:  # noqa: BLE001 - a shut-down socket raises anything
            if self._closed.is_set():
                return
            raise connection_error(error, self._host) from error

    def batches(self) -> Iterator[list[LogLine]]:
        """Yield the complete lines each received chunk finishes."""
        if self.tty:
            yield from _tty_batches(self.chunks(), self.source)
        else:
            yield from _multiplexed_batches(self.chunks(), self.source)

    def close(self) -> None:
        """End the stream and release its connection."""
        if self._closed.is_set():
            return
        self._closed.set()
        connection = getattr(self._response.raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if isinstance(sock, socket.socket):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                log.debug("shutting down a log socket failed", exc_info=True)
        self._response.close()


def _tty_batches(chunks: Iterable[bytes], source: int) -> Iterator[list[LogLine]]:
    splitter = TtyMessageSplitter()
    assembler = LineAssembler(source, STREAM_RAW)
    for chunk in chunks:
        lines: list[LogLine] = []
        for piece, starts in splitter.feed(chunk):
            lines.extend(assembler.feed(piece, starts))
        if lines:
            yield lines
    tail: list[LogLine] = []
    for piece, starts in splitter.feed(b"", final=True):
        tail.extend(assembler.feed(piece, starts))
    tail.extend(assembler.finish())
    if tail:
        yield tail


def _multiplexed_batches(
    chunks: Iterable[bytes], source: int
) -> Iterator[list[LogLine]]:
    decoder = FrameDecoder()
    assemblers: dict[int, LineAssembler] = {}
    for chunk in chunks:
        lines: list[LogLine] = []
        for stream, payload, starts in decoder.feed(chunk):
            assembler = assemblers.get(stream)
            if assembler is None:
                assembler = assemblers[stream] = LineAssembler(source, stream)
            lines.extend(assembler.feed(payload, starts))
        if lines:
            yield lines
    tail = [line for a in assemblers.values() for line in a.finish()]
    if tail:
        yield sorted(tail, key=lambda line: line.time_ns)


def container_has_tty(engine: Engine, container_id: str) -> bool:
    """Return True when the container was created with a TTY (raw log)."""
    detail = engine.inspect("container", container_id)
    return bool((detail.get("Config") or {}).get("Tty"))


def open_logs(
    engine: Engine,
    container_id: str,
    source: int = 0,
    tail: int | None = 1000,
    since: datetime | None = None,
    follow: bool = False,
) -> LogStream:
    """Request a container's log with engine timestamps on every message.

    Args:
        engine: a connected engine.
        container_id: the container to read.
        source: the number the lines carry, to tell containers apart.
        tail: how many lines at most from the end; None for all.
        since: only messages at or after this (timezone-aware) time.
        follow: keep the stream open for new messages.

    Raises:
        EngineError: when the container is gone or the engine cannot be reached.
    """
    tty = container_has_tty(engine, container_id)
    api = engine.api
    params: dict[str, Any] = {
        "stdout": 1,
        "stderr": 1,
        "timestamps": 1,
        "follow": 1 if follow else 0,
        "tail": "all" if tail is None else str(tail),
    }
    if since is not None:
        params["since"] = since_parameter(since)
    url = f"{api.base_url}/v{api.api_version}/containers/{container_id}/logs"
    action = f"read logs of {container_id[:12]}"
    response = engine._call(
        action,
        lambda: api.get(
            url, params=params, stream=True, timeout=(CONNECT_TIMEOUT, None)
        ),
    )
    _check_status(response, action)
    return LogStream(response, source, tty, engine.endpoint.host)


def _check_status(response: Any, action: str) -> None:
    if response.status_code < 400:
        return
    try:
        message = response.json().get("message") or response.text
    except ValueError:
        message = response.text
    finally:
        response.close()
    kind = ErrorKind.NOT_FOUND if response.status_code == 404 else ErrorKind.REJECTED
    raise EngineError(kind, f"{action} failed: {message}")


def read_tail(
    engine: Engine,
    container_id: str,
    source: int,
    tail: int | None,
    since: datetime | None,
    limit: int,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[LogLine]:
    """Return the last ``tail`` lines (all when None) of one container, oldest first.

    At most ``limit`` lines are kept while reading, so "all since a day ago"
    of a chatty container does not fill memory.
    """
    stream = open_logs(engine, container_id, source, tail=tail, since=since)
    kept: deque[LogLine] = deque(maxlen=limit if tail is None else min(tail, limit))
    try:
        for batch in stream.batches():
            kept.extend(batch)
            if should_stop():
                break
    finally:
        stream.close()
    return sorted(kept, key=lambda line: line.time_ns)


def write_whole_log(
    engine: Engine,
    container_ids: list[str],
    since: datetime | None,
    path: str,
    format_line: Callable[[LogLine], str],
) -> int:
    """Stream the whole log of several containers, merged by time, into a file.

    Lines go straight from the sockets to the file, so memory stays small
    whatever the log size. Returns the number of lines written.

    Raises:
        EngineError: when a log cannot be read or the file cannot be written.
    """
    streams = [
        open_logs(engine, cid, index, tail=None, since=since)
        for index, cid in enumerate(container_ids)
    ]
    count = 0
    try:
        with open(os.path.expanduser(path), "w", encoding="utf-8") as output:
            merged = heapq.merge(
                *(_flatten(stream.batches()) for stream in streams),
                key=lambda line: line.time_ns,
            )
            for line in merged:
                output.write(format_line(line) + "\n")
                count += 1
    except OSError as error:
        raise EngineError(
            ErrorKind.REJECTED, f"Cannot write {path}: {error.strerror or error}"
        ) from error
    finally:
        for stream in streams:
            stream.close()
    return count


def _flatten(batches: Iterable[list[LogLine]]) -> Iterator[LogLine]:
    for batch in batches:
        yield from batch
