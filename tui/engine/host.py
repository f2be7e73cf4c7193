"""Measure the engine's host with psutil, for the host bar.

Local figures mean something only when the engine runs on this machine. For a
remote engine the probe returns the engine's own CPU count and memory size,
and leaves every locally measured figure None.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import psutil

from ..state.host import HostFigures
from ..state.records import EngineInfo

log = logging.getLogger(__name__)

_IDLE_FIELDS = ("idle", "iowait")


def _busy_percent(current: Any, previous: Any) -> float | None:
    """Return the busy share of CPU time between two psutil ``cpu_times`` readings.

    Busy time is everything except idle and iowait, steal included, because a
    stolen tick is a tick the guest could not use.
    """
    total = float(sum(current) - sum(previous))
    if total <= 0:
        return None
    idle: float = sum(
        getattr(current, name, 0.0) - getattr(previous, name, 0.0)
        for name in _IDLE_FIELDS
    )
    return max(0.0, min(100.0, (total - idle) / total * 100.0))


def _steal_percent(current: Any, previous: Any) -> float | None:
    """Return the share of CPU time the hypervisor gave to other guests."""
    if not hasattr(current, "steal"):
        return None
    total = float(sum(current) - sum(previous))
    if total <= 0:
        return None
    stolen = float(current.steal - previous.steal)
    return stolen / total * 100.0


class HostProbe:
    """Read CPU, load, memory, swap and data-root disk figures of the host.

    CPU percents need two readings, so the first ``read()`` returns None for
    them; call it once per refresh from a worker thread.
    """

    def __init__(self, info: EngineInfo) -> None:
        self.info = info
        self._previous_total: Any = None
        self._previous_per_cpu: list[Any] = []

    def read(self) -> HostFigures:
        """Return the current figures; local ones only for a local engine."""
        if not self.info.is_local:
            return self._engine_figures()

        total = psutil.cpu_times()
        per_cpu = psutil.cpu_times(percpu=True)
        previous_total, self._previous_total = self._previous_total, total
        previous_per_cpu, self._previous_per_cpu = self._previous_per_cpu, per_cpu
        busy = _busy_percent(total, previous_total) if previous_total else None
        steal = _steal_percent(total, previous_total) if previous_total else None

        memory = psutil.virtual_memory()
        swap = psutil.swap_memory()
        disk_path, disk_total, disk_free = self._disk()

        return HostFigures(
            is_local=True,
            cpu_count=psutil.cpu_count() or self.info.cpu_count,
            cpu_percent=busy,
            per_cpu_percent=self._per_cpu(per_cpu, previous_per_cpu),
            steal_percent=steal,
            load_average=os.getloadavg(),
            mem_total=memory.total,
            mem_available=memory.available,
            swap_total=swap.total,
            swap_used=swap.used,
            disk_path=disk_path,
            disk_total=disk_total,
            disk_free=disk_free,
            engine_version=self.info.server_version,
            storage_driver=self.info.storage_driver,
            cgroup_version=self.info.cgroup_version,
            cgroup_driver=self.info.cgroup_driver,
        )

    def _engine_figures(self) -> HostFigures:
        return HostFigures(
            is_local=False,
            cpu_count=self.info.cpu_count,
            mem_total=self.info.memory_bytes or None,
            disk_path=self.info.docker_root_dir,
            engine_version=self.info.server_version,
            storage_driver=self.info.storage_driver,
            cgroup_version=self.info.cgroup_version,
            cgroup_driver=self.info.cgroup_driver,
        )

    @staticmethod
    def _per_cpu(current: list[Any], previous: list[Any]) -> tuple[float, ...]:
        if len(current) != len(previous):
            return ()
        return tuple(
            _busy_percent(now, before) or 0.0
            for now, before in zip(current, previous, strict=True)
        )

    def _disk(self) -> tuple[str, int | None, int | None]:
        """Return the data root and its filesystem's size and free bytes."""
        path = self.info.docker_root_dir or "/"
        try:
            usage = psutil.disk_usage(path)
        except OSError as error:
            log.debug("disk usage of %s failed: %s", path, error)
            return path, None, None
        return path, usage.total, usage.free
