"""The resource sampler's worker: one sweep per refresh, off the event loop.

The sampler thread reads counters of the running containers (cgroup files when
the engine is local, bounded Engine API requests otherwise) and the host's
figures, then posts them. The app derives rates with ``StatsTracker`` on the
event loop, so no state is shared with the thread but the list of running
containers, which is replaced whole, never mutated.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from . import messages as msg
from .engine.errors import EngineError
from .state.records import EngineInfo
from .state.stats import StatsTracker
from .state.stats_format import CPU_OF_HOST, CPU_OF_LIMIT, CPU_PER_CORE

if TYPE_CHECKING:
    from .app import DockerTUI

log = logging.getLogger(__name__)

CPU_MODES = (CPU_PER_CORE, CPU_OF_HOST, CPU_OF_LIMIT)
CPU_MODE_NAMES = {
    CPU_PER_CORE: "CPU: 100% = 1 core",
    CPU_OF_HOST: "CPU: % of host",
    CPU_OF_LIMIT: "CPU: % of limit",
}


class StatsFeed:
    """Start, feed and stop the sampler thread for one connection."""

    def __init__(self, app: DockerTUI) -> None:
        self.app = app
        self.tracker = StatsTracker()
        self.cpu_mode = CPU_PER_CORE
        self.source = ""
        self.host = None
        self.running: tuple[tuple[str, int, str], ...] = ()
        self._stop: threading.Event | None = None

    def start(self, info: EngineInfo, generation: int) -> None:
        """Start sampling the engine described by ``info``."""
        self.stop()
        self.tracker = StatsTracker(info.cpu_count, info.memory_bytes)
        self._stop = threading.Event()
        self.app.run_worker(
            lambda: self._run(info, generation, self._stop),
            thread=True,
            group="stats",
            exit_on_error=False,
            description="sample container resources",
        )

    def stop(self) -> None:
        """Ask the sampler thread to end after its current sweep."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None

    def set_running(self, running: tuple[tuple[str, int, str], ...]) -> None:
        """Replace the list of containers to sample (called on the event loop)."""
        self.running = running

    def _run(self, info: EngineInfo, generation: int, stop: threading.Event) -> None:
        sampler = self.app.engine.stats_sampler(info, self.app.refresh_seconds)
        probe = self.app.engine.host_probe(info)
        try:
            sampler.run(
                lambda: self.running,
                lambda samples: self._deliver(sampler, probe, samples, generation),
                stop,
            )
        except EngineError as error:
            log.warning("stats sampling stopped: %s", error)
            if error.is_connection_error:
                self.app.post_message(msg.EngineUnreachable(error, generation))
        finally:
            sampler.close()

    def _deliver(self, sampler, probe, samples, generation: int) -> None:  # type: ignore[no-untyped-def]
        try:
            host = probe.read()
        except OSError as error:
            log.warning("reading host figures failed: %s", error)
            host = None
        self.app.post_message(
            msg.StatsSampled(samples, sampler.source, host, generation)
        )

    def apply(self, message: msg.StatsSampled) -> None:
        """Derive figures from a sweep (called on the event loop)."""
        self.source = message.source
        if message.host is not None:
            self.host = message.host
        self.tracker.update(message.samples)
        self.tracker.retain(container_id for container_id, _, _ in self.running)

    def next_cpu_mode(self) -> str:
        """Switch to the next CPU scale and return its name."""
        index = (CPU_MODES.index(self.cpu_mode) + 1) % len(CPU_MODES)
        self.cpu_mode = CPU_MODES[index]
        return CPU_MODE_NAMES[self.cpu_mode]
