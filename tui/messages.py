"""Messages that workers post to the app: what the engine reported or did."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from textual.message import Message

from .engine.errors import EngineError
from .state.records import ContainerDetail, EngineEvent, EngineInfo


@dataclass
class EngineConnected(Message):
    """The engine responded; ``info`` describes it."""

    info: EngineInfo
    generation: int


@dataclass
class EngineUnreachable(Message):
    """Connecting, or a request on an open connection, failed for lack of an engine."""

    error: EngineError
    generation: int


@dataclass
class EventsFollowing(Message):
    """The event stream is open, so a full list from now on misses nothing."""

    generation: int


@dataclass
class EventsReceived(Message):
    """Events arrived from the engine's event stream."""

    events: Sequence[EngineEvent]
    generation: int


@dataclass
class EventStreamDropped(Message):
    """The event stream ended or broke."""

    error: EngineError | None
    generation: int


@dataclass
class ListLoaded(Message):
    """A list request returned: every record of ``kind``, or those with ``ids``."""

    kind: str
    records: Sequence[Any]
    generation: int
    ids: Sequence[str] | None = None


@dataclass
class DetailLoaded(Message):
    """Inspect detail of one container arrived."""

    detail: ContainerDetail


@dataclass
class ImageLayersLoaded(Message):
    """The layers of one image arrived: (command, size) from newest to oldest."""

    image_id: str
    layers: Sequence[tuple[str, int]]


@dataclass
class ActionFailed(Message):
    """An action the operator asked for was rejected or failed."""

    title: str
    error: EngineError


@dataclass
class ActionDone(Message):
    """An action the operator asked for finished."""

    title: str


@dataclass
class StatsSampled(Message):
    """A sweep of resource counters arrived, with the source it came from."""

    samples: dict[str, Any]
    source: str
    host: Any
    generation: int
