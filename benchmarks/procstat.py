"""CPU time and peak memory of process trees, read from /proc through psutil."""

from __future__ import annotations

from pathlib import Path

import psutil

DOCKERD_PIDFILE = Path("/var/run/docker.pid")
CONTAINERD_SOCKET = "/var/run/docker/containerd/containerd.sock"

# pid -> (start time, CPU seconds), so a reused pid is not mistaken for the old one.
CpuSnapshot = dict[int, tuple[float, float]]


def _cpu_seconds(process: psutil.Process) -> float:
    """Return user + system CPU seconds of the process and its reaped children."""
    times = process.cpu_times()
    return times.user + times.system + times.children_user + times.children_system


def snapshot(processes: list[psutil.Process]) -> CpuSnapshot:
    """Record the CPU seconds of each process that still exists."""
    result: CpuSnapshot = {}
    for process in processes:
        try:
            result[process.pid] = (process.create_time(), _cpu_seconds(process))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return result


def cpu_delta(before: CpuSnapshot, after: CpuSnapshot) -> float:
    """Return the CPU seconds spent between two snapshots.

    A process that started in between counts whole. One that ended in between
    is missed, so the figure is a lower bound.
    """
    total = 0.0
    for pid, (started, seconds) in after.items():
        earlier = before.get(pid)
        if earlier is not None and earlier[0] == started:
            total += seconds - earlier[1]
        else:
            total += seconds
    return total


def process_tree(pid: int) -> list[psutil.Process]:
    """Return the process ``pid`` and its live descendants."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


def peak_rss_bytes(pid: int) -> int:
    """Return the sum of VmHWM (peak resident set) over ``pid`` and its descendants."""
    total = 0
    for process in process_tree(pid):
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) * 1024
    return total


def engine_processes() -> list[psutil.Process]:
    """Return dockerd, its containerd and the containerd shims of that containerd."""
    dockerd_pid = int(DOCKERD_PIDFILE.read_text().strip())
    dockerd = psutil.Process(dockerd_pid)
    found = [dockerd]
    found += [p for p in dockerd.children() if p.name() == "containerd"]
    for process in psutil.process_iter(["name", "cmdline"]):
        name = process.info["name"] or ""
        cmdline = process.info["cmdline"] or []
        if name.startswith("containerd-shim") and CONTAINERD_SOCKET in cmdline:
            found.append(process)
    return found
