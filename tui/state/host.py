"""Figures of the machine the engine runs on, for the host bar."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostFigures:
    """CPU, memory, swap and disk figures of the engine's host.

    When the engine is not on this machine (``is_local`` False), only the
    engine's own figures are known: ``cpu_count`` and ``mem_total`` come from
    the engine's info, and every figure measured locally is None.
    """

    is_local: bool
    cpu_count: int
    engine_version: str = ""
    storage_driver: str = ""
    cgroup_version: str = ""
    cgroup_driver: str = ""
    cpu_percent: float | None = None
    """Busy share of all CPUs together, 0 to 100."""
    per_cpu_percent: tuple[float, ...] = ()
    steal_percent: float | None = None
    """CPU time the hypervisor gave to other guests, or None if not reported."""
    load_average: tuple[float, float, float] | None = None
    mem_total: int | None = None
    mem_available: int | None = None
    swap_total: int | None = None
    swap_used: int | None = None
    disk_path: str = ""
    """Directory whose filesystem the disk figures describe (the data root)."""
    disk_total: int | None = None
    disk_free: int | None = None

    @property
    def mem_used(self) -> int | None:
        """Memory in use: total minus available, in bytes."""
        if self.mem_total is None or self.mem_available is None:
            return None
        return self.mem_total - self.mem_available

    @property
    def mem_percent(self) -> float | None:
        """Memory in use as a percent of the total."""
        used = self.mem_used
        if used is None or not self.mem_total:
            return None
        return used / self.mem_total * 100.0

    @property
    def disk_used_percent(self) -> float | None:
        """Used share of the data root's filesystem, in percent."""
        if self.disk_total is None or self.disk_free is None or not self.disk_total:
            return None
        return (self.disk_total - self.disk_free) / self.disk_total * 100.0
