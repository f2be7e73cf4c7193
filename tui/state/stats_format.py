"""Short text forms of container and host figures for table cells and bars.

A figure that is unknown (first sample, no network namespace, container not
running) becomes ``DASH``, never a zero.
"""

from __future__ import annotations

from .format import binary_size, size
from .stats import ContainerStats

DASH = "-"

CPU_PER_CORE = "core"
"""CPU shown as ``docker stats`` shows it: 100 % is one core."""
CPU_OF_HOST = "host"
"""CPU shown as a share of the whole host: 100 % is every CPU busy."""
CPU_OF_LIMIT = "limit"
"""CPU shown as a share of the container's CPU limit, when it has one."""

STATS_COLUMNS = ("cpu", "memory", "mem_percent", "net_io", "block_io", "pids")


def percent(value: float | None) -> str:
    """Format a percent with two decimals, as ``docker stats`` does: ``12.50%``."""
    return DASH if value is None else f"{value:.2f}%"


def rate(value: float | None) -> str:
    """Format bytes per second in decimal units: ``1.2kB/s``."""
    return DASH if value is None else f"{size(int(value))}/s"


def cpu_value(stats: ContainerStats, mode: str = CPU_PER_CORE) -> float | None:
    """Return the CPU figure for a display mode; limit mode falls back to cores."""
    if mode == CPU_OF_HOST:
        return stats.cpu_host_percent
    if mode == CPU_OF_LIMIT and stats.cpu_limit_cores:
        return stats.cpu_limit_percent
    return stats.cpu_percent


def cpu_cell(stats: ContainerStats | None, mode: str = CPU_PER_CORE) -> str:
    """Format the CPU cell of a container for the chosen display mode."""
    return DASH if stats is None else percent(cpu_value(stats, mode))


def memory_cell(stats: ContainerStats | None) -> str:
    """Format memory as ``used / limit``, or ``used / no limit``."""
    if stats is None or stats.mem_used is None:
        return DASH
    limit = "no limit" if stats.mem_limit is None else binary_size(stats.mem_limit)
    return f"{binary_size(stats.mem_used)} / {limit}"


def pair_cell(first: float | None, second: float | None) -> str:
    """Format two rates as ``first / second``, or a dash when both are unknown."""
    if first is None and second is None:
        return DASH
    return f"{rate(first)} / {rate(second)}"


def stats_cells(
    stats: ContainerStats | None, mode: str = CPU_PER_CORE
) -> dict[str, str]:
    """Return every stats cell of a table row, keyed by ``STATS_COLUMNS`` names.

    Pass None for a container that is not running: every cell is a dash.
    """
    if stats is None:
        return dict.fromkeys(STATS_COLUMNS, DASH)
    return {
        "cpu": cpu_cell(stats, mode),
        "memory": memory_cell(stats),
        "mem_percent": percent(stats.mem_percent),
        "net_io": pair_cell(stats.net_rx_rate, stats.net_tx_rate),
        "block_io": pair_cell(stats.blk_read_rate, stats.blk_write_rate),
        "pids": DASH if stats.pids is None else str(stats.pids),
    }
