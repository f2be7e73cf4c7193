"""Turn Engine API stats responses and inspect data into raw samples.

These functions take decoded JSON and never import the SDK. Every field is
read defensively, because engines of other versions and cgroup layouts leave
different fields out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from ..state.stats import RawSample
from .convert import parse_time


def has_own_network(network_mode: str) -> bool:
    """Tell whether a network mode gives the container its own network namespace.

    Containers in mode ``host``, ``none`` or ``container:<other>`` have no
    counters of their own, so their network figures are unknown.
    """
    return network_mode not in ("host", "none") and not network_mode.startswith(
        "container:"
    )


def _int_or_none(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value)


def _api_cpu(payload: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    """Return total CPU ns, system CPU ns and the CPU count of a stats payload."""
    cpu_stats = payload.get("cpu_stats") or {}
    usage = cpu_stats.get("cpu_usage") or {}
    online = _int_or_none(cpu_stats.get("online_cpus")) or None
    if online is None and isinstance(usage.get("percpu_usage"), list):
        online = len(usage["percpu_usage"]) or None
    return (
        _int_or_none(usage.get("total_usage")),
        _int_or_none(cpu_stats.get("system_cpu_usage")),
        online,
    )


def _api_memory(payload: dict[str, Any]) -> tuple[int | None, int | None, int | None]:
    """Return usage, inactive page cache and limit of a stats payload."""
    memory = payload.get("memory_stats") or {}
    details = memory.get("stats") or {}
    inactive = details.get("total_inactive_file")
    if inactive is None:
        inactive = details.get("inactive_file")
    return (
        _int_or_none(memory.get("usage")),
        _int_or_none(inactive),
        _int_or_none(memory.get("limit")),
    )


def _api_network(payload: dict[str, Any]) -> tuple[int | None, int | None]:
    networks = payload.get("networks")
    if not isinstance(networks, dict):
        return None, None
    received = sum(int(entry.get("rx_bytes") or 0) for entry in networks.values())
    sent = sum(int(entry.get("tx_bytes") or 0) for entry in networks.values())
    return received, sent


def _api_block_io(payload: dict[str, Any]) -> tuple[int | None, int | None]:
    """Sum read and write bytes; a null entry list counts as no I/O at all."""
    blkio = payload.get("blkio_stats")
    if not isinstance(blkio, dict):
        return None, None
    read = write = 0
    for entry in blkio.get("io_service_bytes_recursive") or ():
        operation = str(entry.get("op") or "").lower()
        if operation == "read":
            read += int(entry.get("value") or 0)
        elif operation == "write":
            write += int(entry.get("value") or 0)
    return read, write


def api_stats_to_raw(
    payload: dict[str, Any], cpu_limit_cores: float | None = None
) -> RawSample:
    """Convert one Engine API stats response into a raw sample.

    Missing fields become None. The timestamp is the engine's ``read`` time,
    or the local time when the engine sent none.
    """
    read_at = parse_time(payload.get("read"))
    cpu_total, system, online = _api_cpu(payload)
    usage, inactive, limit = _api_memory(payload)
    received, sent = _api_network(payload)
    read, write = _api_block_io(payload)
    return RawSample(
        timestamp=read_at.timestamp() if read_at else time.time(),
        cpu_total_ns=cpu_total,
        system_ns=system,
        online_cpus=online,
        mem_usage=usage,
        mem_inactive_file=inactive,
        mem_limit=limit,
        net_rx=received,
        net_tx=sent,
        blk_read=read,
        blk_write=write,
        pids=_int_or_none((payload.get("pids_stats") or {}).get("current")),
        cpu_limit_cores=cpu_limit_cores,
    )


def cpu_limit_from_inspect(inspect: dict[str, Any]) -> float | None:
    """Return the CPU limit in cores from ``HostConfig`` (NanoCpus or CpuQuota)."""
    host_config = inspect.get("HostConfig") or {}
    nano_cpus = host_config.get("NanoCpus") or 0
    if nano_cpus > 0:
        return float(nano_cpus) / 1e9
    quota = host_config.get("CpuQuota") or 0
    period = host_config.get("CpuPeriod") or 100_000
    if quota > 0:
        return float(quota) / float(period)
    return None


def api_version_at_least(version: str, minimum: str) -> bool:
    """Compare two Engine API versions such as ``1.41`` numerically."""

    def parts(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in text.split(".") if part.isdigit())

    return parts(version) >= parts(minimum)


@dataclass(frozen=True)
class ContainerFacts:
    """Main pid and CPU limit of a container, read from ``inspect``."""

    pid: int
    cpu_limit_cores: float | None
    read_at: float
