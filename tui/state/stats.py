"""Container resource figures: raw counters in, per-second rates and percents out.

The engine layer reads counters (from cgroup files or the Engine API) into
``RawSample`` records. ``StatsTracker`` keeps the previous sample of each
container and derives ``ContainerStats`` with the arithmetic ``docker stats``
uses: CPU percent is the container's CPU time delta over the host's CPU time
delta, times the number of online CPUs, so 100 % is one fully busy core.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

HISTORY_LENGTH = 150
"""Points kept per container: five minutes at the default 2 s refresh."""

UNLIMITED_MEMORY = 1 << 62
"""Memory limits at or above this many bytes mean "no limit".

cgroup v1 writes 9223372036854771712 (2**63 rounded down to a page) for an
unlimited group, and cgroup v2 writes "max", which the readers turn into None.
"""


@dataclass(frozen=True)
class RawSample:
    """Cumulative counters of one container at one moment, as read from the engine.

    Every field except ``timestamp`` may be None when the source did not report
    it. Network counters are None for containers without a network namespace of
    their own (network mode host, none or container:<other>).
    """

    timestamp: float
    """Wall-clock time of the reading, in seconds since the epoch."""
    cpu_total_ns: int | None = None
    """CPU time the container used since it started, in nanoseconds."""
    system_ns: int | None = None
    """CPU time of the whole host (all CPUs) since boot, in nanoseconds."""
    online_cpus: int | None = None
    mem_usage: int | None = None
    """Memory charged to the container, page cache included, in bytes."""
    mem_inactive_file: int | None = None
    """Inactive page cache: ``inactive_file`` (v2) or ``total_inactive_file`` (v1)."""
    mem_limit: int | None = None
    net_rx: int | None = None
    net_tx: int | None = None
    blk_read: int | None = None
    blk_write: int | None = None
    pids: int | None = None
    cpu_limit_cores: float | None = None
    """CPU limit in cores (``--cpus 0.5`` gives 0.5), or None without a limit."""


@dataclass(frozen=True)
class ContainerStats:
    """Figures derived from two consecutive samples of one container.

    Rates and ``cpu_percent`` are None on the first sample, after a counter
    went backwards (the container restarted), and when the source lacks the
    counter. Memory and PIDs need one sample only.
    """

    container_id: str
    timestamp: float
    cpu_percent: float | None = None
    """CPU use where 100 is one core, as ``docker stats`` shows it."""
    online_cpus: int | None = None
    cpu_limit_cores: float | None = None
    mem_used: int | None = None
    """Memory use in bytes without the inactive page cache."""
    mem_limit: int | None = None
    """Memory limit in bytes, or None when the container has none."""
    mem_percent: float | None = None
    net_rx_rate: float | None = None
    """Bytes received per second, over all interfaces."""
    net_tx_rate: float | None = None
    blk_read_rate: float | None = None
    """Bytes read from block devices per second."""
    blk_write_rate: float | None = None
    net_rx_total: int | None = None
    net_tx_total: int | None = None
    blk_read_total: int | None = None
    blk_write_total: int | None = None
    pids: int | None = None

    @property
    def cpu_host_percent(self) -> float | None:
        """CPU use as a share of the whole host, where 100 is every CPU busy."""
        if self.cpu_percent is None or not self.online_cpus:
            return None
        return self.cpu_percent / self.online_cpus

    @property
    def cpu_limit_percent(self) -> float | None:
        """CPU use as a share of the container's CPU limit, or None without one."""
        if self.cpu_percent is None or not self.cpu_limit_cores:
            return None
        return self.cpu_percent / self.cpu_limit_cores


def _delta(current: int | None, previous: int | None) -> int | None:
    """Return the growth of a counter, or None when unknown or reset."""
    if current is None or previous is None or current < previous:
        return None
    return current - previous


def _rate(current: int | None, previous: int | None, seconds: float) -> float | None:
    delta = _delta(current, previous)
    if delta is None or seconds <= 0:
        return None
    return delta / seconds


def cpu_percent(
    current: RawSample, previous: RawSample | None, fallback_cpus: int = 0
) -> float | None:
    """Compute CPU percent from two samples, where 100 is one core.

    The CPU count is the sample's online CPUs, else ``fallback_cpus`` (the
    engine's CPU count). Returns None without a usable baseline.
    """
    if previous is None:
        return None
    container_delta = _delta(current.cpu_total_ns, previous.cpu_total_ns)
    system_delta = _delta(current.system_ns, previous.system_ns)
    cpus = current.online_cpus or fallback_cpus
    if container_delta is None or not system_delta or not cpus:
        return None
    return container_delta / system_delta * cpus * 100.0


def memory_used(sample: RawSample) -> int | None:
    """Return usage minus inactive page cache, as ``docker stats`` counts it."""
    usage = sample.mem_usage
    if usage is None:
        return None
    inactive = sample.mem_inactive_file
    if inactive is not None and inactive < usage:
        return usage - inactive
    return usage


def memory_limit(sample: RawSample, host_memory: int = 0) -> int | None:
    """Return the memory limit, or None when the container has no real limit.

    The engine reports the host's memory as the limit of an unlimited
    container, so a limit at or above ``host_memory`` counts as no limit.
    """
    limit = sample.mem_limit
    if limit is None or limit <= 0 or limit >= UNLIMITED_MEMORY:
        return None
    if host_memory and limit >= host_memory:
        return None
    return limit


def derive(
    container_id: str,
    current: RawSample,
    previous: RawSample | None,
    host_cpus: int = 0,
    host_memory: int = 0,
) -> ContainerStats:
    """Derive the displayed figures of one container from two samples."""
    seconds = current.timestamp - previous.timestamp if previous else 0.0
    before = previous or RawSample(timestamp=current.timestamp)
    used = memory_used(current)
    limit = memory_limit(current, host_memory)
    return ContainerStats(
        container_id=container_id,
        timestamp=current.timestamp,
        cpu_percent=cpu_percent(current, previous, host_cpus),
        online_cpus=current.online_cpus or host_cpus or None,
        cpu_limit_cores=current.cpu_limit_cores,
        mem_used=used,
        mem_limit=limit,
        mem_percent=used / limit * 100.0 if used is not None and limit else None,
        net_rx_rate=_rate(current.net_rx, before.net_rx, seconds),
        net_tx_rate=_rate(current.net_tx, before.net_tx, seconds),
        blk_read_rate=_rate(current.blk_read, before.blk_read, seconds),
        blk_write_rate=_rate(current.blk_write, before.blk_write, seconds),
        net_rx_total=current.net_rx,
        net_tx_total=current.net_tx,
        blk_read_total=current.blk_read,
        blk_write_total=current.blk_write,
        pids=current.pids,
    )


class StatsTracker:
    """Previous sample and bounded history of every sampled container.

    Args:
        host_cpus: CPU count used when a sample lacks its online CPU count.
        host_memory: the engine host's memory in bytes; a limit at or above it
            is shown as no limit.
        history_length: points of history kept per container.
    """

    def __init__(
        self,
        host_cpus: int = 0,
        host_memory: int = 0,
        history_length: int = HISTORY_LENGTH,
    ) -> None:
        self.host_cpus = host_cpus
        self.host_memory = host_memory
        self.history_length = history_length
        self._previous: dict[str, RawSample] = {}
        self._latest: dict[str, ContainerStats] = {}
        self._history: dict[str, deque[ContainerStats]] = {}

    def update(self, samples: dict[str, RawSample]) -> dict[str, ContainerStats]:
        """Derive figures from a sweep of samples and record them in the history.

        Each sample becomes the baseline of the next one for its container, so
        a counter that went backwards starts a new baseline.
        """
        derived: dict[str, ContainerStats] = {}
        for container_id, sample in samples.items():
            previous = self._previous.get(container_id)
            if previous is not None and sample.timestamp <= previous.timestamp:
                continue
            stats = derive(
                container_id, sample, previous, self.host_cpus, self.host_memory
            )
            self._previous[container_id] = sample
            self._latest[container_id] = stats
            self._history_of(container_id).append(stats)
            derived[container_id] = stats
        return derived

    def _history_of(self, container_id: str) -> deque[ContainerStats]:
        history = self._history.get(container_id)
        if history is None:
            history = deque(maxlen=self.history_length)
            self._history[container_id] = history
        return history

    def latest(self, container_id: str) -> ContainerStats | None:
        """Return the newest figures of a container, or None if never sampled."""
        return self._latest.get(container_id)

    def history(self, container_id: str) -> tuple[ContainerStats, ...]:
        """Return the recorded figures of a container, oldest first."""
        return tuple(self._history.get(container_id, ()))

    def forget(self, container_id: str) -> None:
        """Drop the baseline and history of a container (stopped or removed)."""
        self._previous.pop(container_id, None)
        self._latest.pop(container_id, None)
        self._history.pop(container_id, None)

    def retain(self, container_ids: Iterable[str]) -> None:
        """Forget every container whose id is not in ``container_ids``."""
        keep = set(container_ids)
        for container_id in [key for key in self._previous if key not in keep]:
            self.forget(container_id)


def series(
    history: Iterable[ContainerStats], field: str, missing: float = 0.0
) -> list[float]:
    """Return one figure of a history as floats for a graph.

    Missing values become ``missing``, because a graph needs a point per sample.
    """
    points: list[float] = []
    for stats in history:
        value = getattr(stats, field)
        points.append(float(value) if value is not None else missing)
    return points
