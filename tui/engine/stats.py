"""Sample resource counters of running containers, from cgroup files or the API.

``StatsSampler.sample`` takes the running containers and returns one
``RawSample`` per container it could read. When the engine is local and its
cgroup files are readable, it reads them directly (source "cgroup"). Otherwise
it sends one-shot stats requests, a bounded number at a time (source
"engine API"). ``dockertui.state.stats.StatsTracker`` turns the samples into
percents and rates.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from ..state.records import EngineInfo
from ..state.stats import RawSample
from .cgroups import open_cgroup_reader
from .client import Engine
from .errors import EngineError
from .pooling import share_one_pool
from .stats_convert import (
    ContainerFacts,
    api_stats_to_raw,
    api_version_at_least,
    cpu_limit_from_inspect,
    has_own_network,
)

__all__ = [
    "FAST_IN_FLIGHT",
    "MAX_IN_FLIGHT",
    "SOURCE_API",
    "SOURCE_CGROUP",
    "SOURCE_MIXED",
    "RunningContainer",
    "StatsSampler",
    "api_stats_to_raw",
    "cpu_limit_from_inspect",
    "has_own_network",
]

log = logging.getLogger(__name__)

SOURCE_CGROUP = "cgroup"
SOURCE_API = "engine API"
SOURCE_MIXED = "cgroup + engine API"

FAST_IN_FLIGHT = 8
"""Stats requests in flight at once when the engine responds without delay."""

MAX_IN_FLIGHT = 64
"""Cap on requests in flight at once, for engines that hold each request.

Measured on Engine 20.10.24 (API 1.41): it responds to a one-shot stats request
only at the next tick of its one-second collector, so a sweep takes about one
second per batch of requests in flight. Engines that read the cgroup on
request respond in a few milliseconds.
"""

SLOW_REQUEST_SECONDS = 0.25
"""Request time above which the engine counts as holding requests for a tick."""

FACTS_MAX_AGE = 60.0
"""Seconds before a container's inspected pid and CPU limit are read again."""

RunningContainer = tuple[str, int, str]
"""A running container to sample: (id, main pid or 0, network mode)."""


class StatsSampler:
    """Read raw counters of running containers, one sweep per call.

    Sweeps never overlap: a call made while another runs waits for it. Stopped
    containers are never sampled, and a container that stops during a sweep
    is left out of the result instead of failing the sweep. Requests to the
    engine go over a second connection of the sampler's own, sharing one
    pool, so they neither queue behind the app's requests nor open a socket
    per container.

    Args:
        engine: the connected engine.
        info: the engine's info; cgroup files are used only when it is local.
        use_cgroups: False forces the Engine API source.
        interval: seconds between sweeps, used to size the request batches.
        max_in_flight: most stats and inspect requests sent at the same time.
        cgroup_root: where the cgroup filesystems are mounted.
        proc_root: where procfs is mounted.
    """

    def __init__(
        self,
        engine: Engine,
        info: EngineInfo,
        use_cgroups: bool = True,
        interval: float = 2.0,
        max_in_flight: int = MAX_IN_FLIGHT,
        cgroup_root: str = "/sys/fs/cgroup",
        proc_root: str = "/proc",
    ) -> None:
        self.engine = engine
        self.info = info
        self.interval = interval
        self.max_in_flight = max(1, max_in_flight)
        self.request_seconds: float | None = None
        """Moving average of one stats request's duration, once measured."""
        self.cpu_count = os.sysconf("SC_NPROCESSORS_ONLN") if info.is_local else 0
        self.cgroups = (
            open_cgroup_reader(info, cgroup_root, proc_root) if use_cgroups else None
        )
        self.source = SOURCE_CGROUP if self.cgroups else SOURCE_API
        """Where the last sweep read its figures: "cgroup" or "engine API"."""
        self.last_sweep_cpu_seconds = 0.0
        """CPU time this process spent on the last sweep, all threads included."""
        self.last_sweep_seconds = 0.0
        self._facts: dict[str, ContainerFacts] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._pool_size = 0
        self._requests: Engine | None = None
        self._sweep_lock = threading.Lock()

    def sample(self, running: Sequence[RunningContainer]) -> dict[str, RawSample]:
        """Read the counters of every container in ``running``.

        Raises:
            EngineError: when the engine cannot be reached at all.
        """
        with self._sweep_lock:
            started, cpu_started = time.monotonic(), time.process_time()
            running_ids = {container_id for container_id, _, _ in running}
            self._retain(running_ids)
            samples, pending = self._sample_cgroups(running)
            if pending:
                samples.update(self._sample_api_or_keep(pending, bool(samples)))
            self.source = self._source_name(len(running) - len(pending), pending)
            self.last_sweep_cpu_seconds = time.process_time() - cpu_started
            self.last_sweep_seconds = time.monotonic() - started
            return samples

    def run(
        self,
        running: Callable[[], Sequence[RunningContainer]],
        deliver: Callable[[dict[str, RawSample]], None],
        stop: threading.Event,
    ) -> None:
        """Sample every ``interval`` seconds until ``stop`` is set.

        ``running`` is called before each sweep for the current containers and
        ``deliver`` gets each sweep's samples. A sweep longer than the interval
        delays the next one instead of overlapping it. EngineError propagates.
        """
        while not stop.is_set():
            started = time.monotonic()
            deliver(self.sample(running()))
            stop.wait(max(0.0, self.interval - (time.monotonic() - started)))

    def close(self) -> None:
        """Stop the request threads and close the sampler's engine connection."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        requests, self._requests = self._requests, None
        if requests is not None:
            requests.close()

    def _request_engine(self) -> Engine:
        """Return the sampler's own connection, opening it on first use.

        Raises:
            EngineError: when the engine cannot be reached.
        """
        if self._requests is None:
            requests = Engine(self.engine.endpoint)
            requests.connect()
            share_one_pool(requests.api, self.max_in_flight)
            self._requests = requests
        return self._requests

    def _source_name(self, from_cgroups: int, pending: Sequence[Any]) -> str:
        if self.cgroups is None or (pending and not from_cgroups):
            return SOURCE_API
        return SOURCE_MIXED if pending else SOURCE_CGROUP

    def _retain(self, running_ids: set[str]) -> None:
        for container_id in [key for key in self._facts if key not in running_ids]:
            del self._facts[container_id]
        if self.cgroups is not None:
            self.cgroups.retain(running_ids)

    def in_flight_for(self, count: int) -> int:
        """Return how many requests to keep in flight for ``count`` containers.

        A fast engine gets a small batch. An engine that delays each response
        until its next collector tick gets enough requests at once to finish
        a sweep within about three quarters of the interval, up to the cap.
        """
        in_flight = FAST_IN_FLIGHT
        latency = self.request_seconds
        if latency is not None and latency >= SLOW_REQUEST_SECONDS:
            budget = max(self.interval * 0.75, latency)
            in_flight = max(in_flight, math.ceil(count * latency / budget))
        return max(1, min(count, in_flight, self.max_in_flight))

    def _executor(self, size: int) -> ThreadPoolExecutor:
        """Return the request threads, resized to ``size`` when that changed."""
        if self._pool is not None and self._pool_size != size:
            self._pool.shutdown(wait=False)
            self._pool = None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=size, thread_name_prefix="stats"
            )
            self._pool_size = size
        return self._pool

    # cgroup source

    def _sample_cgroups(
        self, running: Sequence[RunningContainer]
    ) -> tuple[dict[str, RawSample], list[RunningContainer]]:
        """Read what the cgroup files give; return the rest for the API source."""
        reader = self.cgroups
        if reader is None:
            return {}, list(running)
        timestamp, system_ns = time.time(), reader.system_ns()
        needs_pid = [
            container_id
            for container_id, pid, mode in running
            if pid <= 0 and has_own_network(mode)
        ]
        self._ensure_facts(needs_pid, max_age=None)
        samples: dict[str, RawSample] = {}
        pending: list[RunningContainer] = []
        for container in running:
            container_id, pid, mode = container
            pid = pid if pid > 0 else self._known_pid(container_id)
            paths = reader.locate(container_id, pid)
            sample = (
                reader.read(paths, timestamp, system_ns, self.cpu_count)
                if paths
                else None
            )
            if sample is None:
                reader.forget(container_id)
                pending.append(container)
                continue
            if has_own_network(mode):
                sample = self._with_network(container_id, pid, sample)
            samples[container_id] = sample
        return samples, pending

    def _with_network(
        self, container_id: str, pid: int, sample: RawSample
    ) -> RawSample:
        """Add the counters of the container's network namespace to a sample."""
        reader = self.cgroups
        assert reader is not None
        counters = reader.network(pid)
        if counters is None:
            # The main process is gone because the container restarted or
            # stopped. Inspect it again to learn the new pid.
            self._facts.pop(container_id, None)
            self._ensure_facts([container_id], max_age=None)
            counters = reader.network(self._known_pid(container_id))
        if counters is None:
            return sample
        return replace(sample, net_rx=counters[0], net_tx=counters[1])

    def _known_pid(self, container_id: str) -> int:
        facts = self._facts.get(container_id)
        return facts.pid if facts else 0

    # engine API source

    def _sample_api_or_keep(
        self, running: Sequence[RunningContainer], have_samples: bool
    ) -> dict[str, RawSample]:
        """Sample through the API; if the engine is unreachable, keep what was read.

        Raises:
            EngineError: when the engine is unreachable and nothing was read.
        """
        try:
            return self._sample_api(running)
        except EngineError as error:
            if not have_samples:
                raise
            log.warning("stats of %d containers unavailable: %s", len(running), error)
            return {}

    def _sample_api(self, running: Sequence[RunningContainer]) -> dict[str, RawSample]:
        """Send one-shot stats requests in bounded batches and convert the responses."""
        container_ids = [container_id for container_id, _, _ in running]
        self._request_engine()
        self._ensure_facts(container_ids, FACTS_MAX_AGE)
        answers = self._fetch_all(container_ids)
        samples: dict[str, RawSample] = {}
        failures: list[EngineError] = []
        for container_id, _, mode in running:
            payload = answers[container_id]
            if isinstance(payload, EngineError):
                failures.append(payload)
                continue
            if not payload.get("read") or payload["read"].startswith("0001-01-01"):
                continue
            facts = self._facts.get(container_id)
            sample = api_stats_to_raw(payload, facts.cpu_limit_cores if facts else None)
            if not has_own_network(mode):
                sample = replace(sample, net_rx=None, net_tx=None)
            samples[container_id] = sample
        _raise_when_unreachable(failures, len(running))
        return samples

    def _fetch_all(
        self, container_ids: list[str]
    ) -> dict[str, dict[str, Any] | EngineError]:
        """Fetch the stats of every container, sizing batches by request time.

        Until a request time is known, a first small batch measures it, so a
        slow engine does not make the whole first sweep run in small batches.
        """
        answers: dict[str, dict[str, Any] | EngineError] = {}
        remaining = container_ids
        if self.request_seconds is None and len(remaining) > FAST_IN_FLIGHT:
            answers.update(self._fetch_batch(remaining[:FAST_IN_FLIGHT]))
            remaining = remaining[FAST_IN_FLIGHT:]
        answers.update(self._fetch_batch(remaining))
        return answers

    def _fetch_batch(
        self, container_ids: list[str]
    ) -> dict[str, dict[str, Any] | EngineError]:
        if not container_ids:
            return {}
        pool = self._executor(self.in_flight_for(len(container_ids)))
        futures = {
            container_id: pool.submit(self._fetch_stats, container_id)
            for container_id in container_ids
        }
        answers: dict[str, dict[str, Any] | EngineError] = {}
        for container_id, future in futures.items():
            try:
                answers[container_id] = future.result()
            except EngineError as error:
                answers[container_id] = error
        return answers

    def _fetch_stats(self, container_id: str) -> dict[str, Any]:
        requests = self._request_engine()
        api = requests.api
        one_shot = True if api_version_at_least(api.api_version, "1.41") else None
        started = time.monotonic()
        payload: dict[str, Any] = requests._call(
            f"read stats of {container_id[:12]}",
            lambda: api.stats(container_id, stream=False, one_shot=one_shot),
        )
        self._record_latency(time.monotonic() - started)
        return payload

    def _record_latency(self, seconds: float) -> None:
        # Races between request threads lose an update at worst, which the
        # moving average absorbs.
        previous = self.request_seconds
        self.request_seconds = (
            seconds if previous is None else previous * 0.8 + seconds * 0.2
        )

    def _ensure_facts(
        self, container_ids: Iterable[str], max_age: float | None
    ) -> None:
        """Inspect the containers whose pid and CPU limit are unknown or old."""
        now = time.monotonic()
        missing = [
            container_id
            for container_id in container_ids
            if container_id not in self._facts
            or (
                max_age is not None
                and now - self._facts[container_id].read_at > max_age
            )
        ]
        if not missing:
            return
        try:
            self._request_engine()
        except EngineError as error:
            log.warning("cannot inspect containers for stats: %s", error)
            return
        pool = self._executor(self.in_flight_for(len(missing)))
        for container_id, future in [
            (container_id, pool.submit(self._inspect, container_id))
            for container_id in missing
        ]:
            try:
                self._facts[container_id] = future.result()
            except EngineError:
                self._facts.pop(container_id, None)

    def _inspect(self, container_id: str) -> ContainerFacts:
        inspect = self._request_engine().inspect("container", container_id)
        pid = (inspect.get("State") or {}).get("Pid") or 0
        return ContainerFacts(
            int(pid), cpu_limit_from_inspect(inspect), time.monotonic()
        )


def _raise_when_unreachable(failures: list[EngineError], attempted: int) -> None:
    """Raise the first failure when every request failed to reach the engine."""
    if (
        failures
        and len(failures) == attempted
        and all(failure.is_connection_error for failure in failures)
    ):
        raise failures[0]
