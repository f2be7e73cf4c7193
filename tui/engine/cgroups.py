"""Read container counters straight from cgroup files and ``/proc``.

Reading a few small files per container costs far less than one Engine API
stats request, which makes the engine read the same files and encode JSON.
This works only when the engine runs on this machine and the files are
readable. Both cgroup layouts are handled: v1 (one hierarchy per controller,
``/sys/fs/cgroup/<controller>/docker/<id>``) and v2 (one unified hierarchy,
``/sys/fs/cgroup/docker/<id>``), with the cgroupfs driver (``docker/<id>``)
and the systemd driver (``system.slice/docker-<id>.scope``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..state.records import EngineInfo
from ..state.stats import RawSample

CGROUP_ROOT = "/sys/fs/cgroup"
PROC_ROOT = "/proc"
V1_CONTROLLERS = ("cpuacct", "cpu", "memory", "blkio", "pids")

READ_SIZE = 65536
"""Bytes asked for per read; cgroup and procfs files here are far smaller."""

_SKIPPED_INTERFACES = ("lo",)
"""Interfaces left out of network sums, because the engine never reports loopback."""


def read_file(path: str) -> bytes | None:
    """Return a file's bytes, or None when it cannot be read.

    Plain descriptors, not file objects: a sweep reads about ten files per
    container, and building a buffered file object costs more than the read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        chunks = []
        while chunk := os.read(descriptor, READ_SIZE):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def read_int(path: str) -> int | None:
    """Return the integer a one-value cgroup file contains, or None."""
    data = read_file(path)
    if data is None:
        return None
    try:
        return int(data.split()[0])
    except (ValueError, IndexError):
        return None


def parse_flat_keyed(data: bytes | None) -> dict[str, int]:
    """Parse ``key value`` lines (memory.stat, cpu.stat) into a dict."""
    values: dict[str, int] = {}
    for line in (data or b"").splitlines():
        parts = line.split()
        if len(parts) == 2:
            try:
                values[parts[0].decode()] = int(parts[1])
            except ValueError:
                continue
    return values


def keyed_value(data: bytes | None, key: bytes) -> int | None:
    """Return the value of one ``key value`` line of a flat keyed file, or None.

    memory.stat has some forty lines and a sweep needs one of them, so the
    line is searched for rather than every line parsed.
    """
    if not data:
        return None
    if data.startswith(key + b" "):
        start = 0
    else:
        found = data.find(b"\n" + key + b" ")
        if found < 0:
            return None
        start = found + 1
    end = data.find(b"\n", start)
    fields = data[start : end if end >= 0 else len(data)].split()
    try:
        return int(fields[1])
    except (ValueError, IndexError):
        return None


def parse_v1_blkio(data: bytes | None) -> tuple[int, int] | None:
    """Sum read and write bytes over devices of a v1 ``io_service_bytes`` file.

    Lines are ``<major>:<minor> <Op> <bytes>``; op names are compared without
    case. Returns None when the file has no device line.
    """
    read = write = 0
    found = False
    for line in (data or b"").splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        found = True
        operation = parts[1].lower()
        if operation == b"read":
            read += int(parts[2])
        elif operation == b"write":
            write += int(parts[2])
    return (read, write) if found else None


def parse_v2_io(data: bytes | None) -> tuple[int, int]:
    """Sum ``rbytes`` and ``wbytes`` over the device lines of a v2 ``io.stat``."""
    read = write = 0
    for line in (data or b"").splitlines():
        for field in line.split()[1:]:
            key, _, value = field.partition(b"=")
            if key == b"rbytes":
                read += int(value)
            elif key == b"wbytes":
                write += int(value)
    return read, write


def parse_net_dev(data: bytes | None) -> tuple[int, int] | None:
    """Sum received and sent bytes of ``/proc/<pid>/net/dev`` without loopback."""
    if data is None:
        return None
    received = sent = 0
    for line in data.splitlines()[2:]:
        name, _, counters = line.partition(b":")
        fields = counters.split()
        if len(fields) < 9 or name.strip().decode() in _SKIPPED_INTERFACES:
            continue
        received += int(fields[0])
        sent += int(fields[8])
    return received, sent


def parse_cpu_max(data: bytes | None) -> float | None:
    """Turn a v2 ``cpu.max`` line (``max 100000`` or ``50000 100000``) into cores."""
    parts = (data or b"").split()
    if len(parts) != 2 or parts[0] == b"max":
        return None
    try:
        return int(parts[0]) / int(parts[1])
    except (ValueError, ZeroDivisionError):
        return None


def detect_version(root: str = CGROUP_ROOT) -> int | None:
    """Return 2 for a unified hierarchy, 1 for per-controller ones, else None."""
    if os.path.exists(os.path.join(root, "cgroup.controllers")):
        return 2
    if os.path.isdir(os.path.join(root, "cpuacct")) and os.path.isdir(
        os.path.join(root, "memory")
    ):
        return 1
    return None


@dataclass(frozen=True)
class CgroupPaths:
    """The cgroup directories of one container, by controller ("" for v2)."""

    version: int
    directories: dict[str, str]

    def file(self, controller: str, name: str) -> str:
        """Return the path of one file of the container's cgroup."""
        key = "" if self.version == 2 else controller
        return os.path.join(self.directories[key], name)


class CgroupReader:
    """Locate containers' cgroups and read their counters into raw samples.

    Args:
        version: cgroup version the engine uses (1 or 2).
        root: where the cgroup filesystems are mounted.
        proc_root: where procfs is mounted.
    """

    def __init__(
        self, version: int, root: str = CGROUP_ROOT, proc_root: str = PROC_ROOT
    ) -> None:
        self.version = version
        self.root = root
        self.proc_root = proc_root
        self.clock_ticks = os.sysconf("SC_CLK_TCK")
        self._paths: dict[str, CgroupPaths] = {}

    def locate(self, container_id: str, pid: int = 0) -> CgroupPaths | None:
        """Find a container's cgroup directories, or None; found paths are cached."""
        cached = self._paths.get(container_id)
        if cached is not None:
            return cached
        paths = self._by_layout(container_id) or self._by_proc(pid)
        if paths is not None:
            self._paths[container_id] = paths
        return paths

    def forget(self, container_id: str) -> None:
        """Drop the cached paths of a container."""
        self._paths.pop(container_id, None)

    def retain(self, container_ids: set[str]) -> None:
        """Drop the cached paths of every container not in ``container_ids``."""
        for container_id in [key for key in self._paths if key not in container_ids]:
            del self._paths[container_id]

    def _by_layout(self, container_id: str) -> CgroupPaths | None:
        for relative in (
            f"docker/{container_id}",
            f"system.slice/docker-{container_id}.scope",
        ):
            if self.version == 2:
                directories = {"": os.path.join(self.root, relative)}
            else:
                directories = {
                    controller: os.path.join(self.root, controller, relative)
                    for controller in V1_CONTROLLERS
                }
            if all(os.path.isdir(path) for path in directories.values()):
                return CgroupPaths(self.version, directories)
        return None

    def _by_proc(self, pid: int) -> CgroupPaths | None:
        """Read the cgroups of the container's main process (custom parents)."""
        if pid <= 0:
            return None
        data = read_file(os.path.join(self.proc_root, str(pid), "cgroup"))
        directories: dict[str, str] = {}
        for line in (data or b"").decode(errors="replace").splitlines():
            _, controllers, relative = line.split(":", 2)
            relative = relative.lstrip("/")
            if self.version == 2 and controllers == "":
                directories[""] = os.path.join(self.root, relative)
            for controller in controllers.split(","):
                if self.version == 1 and controller in V1_CONTROLLERS:
                    directories[controller] = os.path.join(
                        self.root, controller, relative
                    )
        expected_keys = {""} if self.version == 2 else set(V1_CONTROLLERS)
        if set(directories) != expected_keys:
            return None
        return CgroupPaths(self.version, directories)

    def system_ns(self) -> int | None:
        """Return the host's CPU time since boot in nanoseconds, as the engine does.

        The engine sums the first seven fields of the ``cpu`` line of
        ``/proc/stat`` (user to softirq, so steal is left out).
        """
        data = read_file(os.path.join(self.proc_root, "stat"))
        if not data or not data.startswith(b"cpu "):
            return None
        fields = data.split(b"\n", 1)[0].split()[1:8]
        ticks = sum(int(field) for field in fields)
        return ticks * 1_000_000_000 // self.clock_ticks

    def network(self, pid: int) -> tuple[int, int] | None:
        """Return received and sent bytes of the network namespace of ``pid``."""
        if pid <= 0:
            return None
        return parse_net_dev(read_file(f"{self.proc_root}/{pid}/net/dev"))

    def read(
        self, paths: CgroupPaths, timestamp: float, system_ns: int | None, cpus: int
    ) -> RawSample | None:
        """Read one container's counters; None when its cgroup is gone."""
        if paths.version == 2:
            return self._read_v2(paths, timestamp, system_ns, cpus)
        return self._read_v1(paths, timestamp, system_ns, cpus)

    def _read_v1(
        self, paths: CgroupPaths, timestamp: float, system_ns: int | None, cpus: int
    ) -> RawSample | None:
        cpu_total = read_int(paths.file("cpuacct", "cpuacct.usage"))
        if cpu_total is None:
            return None
        memory_stat = read_file(paths.file("memory", "memory.stat"))
        blkio = parse_v1_blkio(
            read_file(paths.file("blkio", "blkio.io_service_bytes_recursive"))
        ) or parse_v1_blkio(
            read_file(paths.file("blkio", "blkio.throttle.io_service_bytes_recursive"))
        )
        read_bytes, write_bytes = blkio or (0, 0)
        return RawSample(
            timestamp=timestamp,
            cpu_total_ns=cpu_total,
            system_ns=system_ns,
            online_cpus=cpus,
            mem_usage=read_int(paths.file("memory", "memory.usage_in_bytes")),
            mem_inactive_file=keyed_value(memory_stat, b"total_inactive_file"),
            mem_limit=read_int(paths.file("memory", "memory.limit_in_bytes")),
            blk_read=read_bytes,
            blk_write=write_bytes,
            pids=read_int(paths.file("pids", "pids.current")),
            cpu_limit_cores=self._v1_cpu_limit(paths),
        )

    def _v1_cpu_limit(self, paths: CgroupPaths) -> float | None:
        quota = read_int(paths.file("cpu", "cpu.cfs_quota_us"))
        period = read_int(paths.file("cpu", "cpu.cfs_period_us"))
        if quota is None or period is None or quota <= 0 or period <= 0:
            return None
        return quota / period

    def _read_v2(
        self, paths: CgroupPaths, timestamp: float, system_ns: int | None, cpus: int
    ) -> RawSample | None:
        cpu = parse_flat_keyed(read_file(paths.file("", "cpu.stat")))
        if "usage_usec" not in cpu:
            return None
        memory_stat = read_file(paths.file("", "memory.stat"))
        read_bytes, write_bytes = parse_v2_io(read_file(paths.file("", "io.stat")))
        return RawSample(
            timestamp=timestamp,
            cpu_total_ns=cpu["usage_usec"] * 1000,
            system_ns=system_ns,
            online_cpus=cpus,
            mem_usage=read_int(paths.file("", "memory.current")),
            mem_inactive_file=keyed_value(memory_stat, b"inactive_file"),
            mem_limit=read_int(paths.file("", "memory.max")),
            blk_read=read_bytes,
            blk_write=write_bytes,
            pids=read_int(paths.file("", "pids.current")),
            cpu_limit_cores=parse_cpu_max(read_file(paths.file("", "cpu.max"))),
        )


def open_cgroup_reader(
    info: EngineInfo, root: str = CGROUP_ROOT, proc_root: str = PROC_ROOT
) -> CgroupReader | None:
    """Return a cgroup reader when the engine is local and its cgroups are readable."""
    if not info.is_local:
        return None
    detected = detect_version(root)
    version = int(info.cgroup_version) if info.cgroup_version.isdigit() else detected
    if version is None or detected is None:
        return None
    probe = os.path.join(root, "cgroup.controllers" if version == 2 else "cpuacct")
    if not os.access(probe, os.R_OK) or not os.access(
        os.path.join(proc_root, "stat"), os.R_OK
    ):
        return None
    return CgroupReader(version, root, proc_root)
