"""A fake engine with fixed data, for snapshots and for answers a real engine
cannot give on demand (a dead container, a state nobody knows).

It takes canned Engine API JSON through the same converters as the real
backend, and ``test_fake_engine_matches_engine`` checks that its methods keep
the real ``Engine``'s names and parameters.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from dockertui.engine import convert
from dockertui.engine.endpoint import Endpoint
from dockertui.engine.errors import EngineError, ErrorKind
from dockertui.state.host import HostFigures
from dockertui.state.records import (
    ContainerDetail,
    ContainerRecord,
    EngineEvent,
    EngineInfo,
    ImageRecord,
    NetworkRecord,
    VolumeRecord,
)
from dockertui.state.stats import RawSample

FROZEN_NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc)
"""The clock the snapshots use, so "3 minutes ago" never changes."""

IMAGE_ID = "sha256:" + "5f1a" * 16
OLD_IMAGE_ID = "sha256:" + "9c3e" * 16


def _ts(minutes_ago: float) -> int:
    return int(FROZEN_NOW.timestamp() - minutes_ago * 60)


def _container(
    number: int,
    name: str,
    state: str,
    status: str,
    *,
    image: str = "shop/web:1.4",
    image_id: str = IMAGE_ID,
    ports: list[dict[str, Any]] | None = None,
    labels: dict[str, str] | None = None,
    mounts: list[dict[str, Any]] | None = None,
    networks: tuple[str, ...] = ("bridge",),
    minutes_ago: float = 180,
    command: str = "/app/serve --port 8080",
) -> dict[str, Any]:
    container_id = f"{number:02d}" + "c0ffee" * 10 + f"{number:02d}"
    return {
        "Id": container_id[:64],
        "Names": [f"/{name}"],
        "Image": image,
        "ImageID": image_id,
        "Command": command,
        "Created": _ts(minutes_ago),
        "State": state,
        "Status": status,
        "Ports": ports or [],
        "Labels": labels or {},
        "Mounts": mounts or [],
        "HostConfig": {"NetworkMode": networks[0] if networks else "none"},
        "NetworkSettings": {
            "Networks": {
                net: {
                    "NetworkID": f"net-{net}".ljust(64, "0"),
                    "IPAddress": f"172.17.0.{number + 1}" if state == "running" else "",
                }
                for net in networks
            }
        },
    }


LONG = "payments-reconciliation-worker-for-the-eu-central-region-instance-"
CONTAINERS = [
    _container(
        1,
        "shop-web",
        "running",
        "Up 3 hours (healthy)",
        ports=[{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}],
        labels={"com.docker.compose.project": "shop"},
        mounts=[
            {
                "Type": "volume",
                "Name": "shop-data",
                "Source": "/var/lib/docker/volumes/shop-data/_data",
                "Destination": "/data",
                "RW": True,
            },
            {
                "Type": "bind",
                "Source": "/etc/shop",
                "Destination": "/etc/shop",
                "RW": False,
            },
        ],
        networks=("shop_default",),
    ),
    _container(
        2,
        "shop-db",
        "running",
        "Up 3 hours (unhealthy)",
        image="postgres:16",
        image_id=OLD_IMAGE_ID,
        labels={"com.docker.compose.project": "shop"},
        networks=("shop_default",),
    ),
    _container(
        3,
        "cache",
        "running",
        "Up 12 minutes (health: starting)",
        image="redis:7",
        image_id=OLD_IMAGE_ID,
    ),
    _container(4, "batch-import", "exited", "Exited (137) 2 hours ago"),
    _container(5, "never-started", "created", "Created"),
    _container(6, "flaky-agent", "restarting", "Restarting (3) 4 seconds ago"),
    _container(7, "frozen-job", "paused", "Up 40 minutes (Paused)"),
    _container(8, "zombie", "dead", "Dead"),
    _container(9, "being-removed", "removing", "Removal In Progress"),
    _container(10, "odd-one", "hibernating", "Hibernating since dawn"),
    _container(11, LONG + "first", "running", "Up 5 minutes"),
    _container(12, LONG + "second", "running", "Up 5 minutes"),
    _container(
        13,
        "label-[bold]markup[/bold]",
        "exited",
        "Exited (0) 3 days ago",
        labels={
            "note": "[/x] [bold]not bold[00] 日本語 🐳",
            "com.docker.compose.project": "demo",
        },
        command="sh -c 'printf \"\\033[2J\"'",
    ),
]

IMAGES = [
    {
        "Id": IMAGE_ID,
        "RepoTags": ["shop/web:1.4", "shop/web:latest"],
        "RepoDigests": ["shop/web@sha256:" + "ab" * 32],
        "Size": 182_400_000,
        "Created": _ts(60 * 24 * 3),
        "Labels": {},
    },
    {
        "Id": OLD_IMAGE_ID,
        "RepoTags": ["postgres:16", "redis:7"],
        "RepoDigests": [],
        "Size": 412_000_000,
        "Created": _ts(60 * 24 * 30),
        "Labels": None,
    },
    {
        "Id": "sha256:" + "77" * 32,
        "RepoTags": ["<none>:<none>"],
        "RepoDigests": ["<none>@<none>"],
        "Size": 2_100_000,
        "Created": _ts(90),
        "Labels": {},
    },
]

NETWORKS = [
    {
        "Id": "net-bridge".ljust(64, "0"),
        "Name": "bridge",
        "Driver": "bridge",
        "Scope": "local",
        "IPAM": {"Config": [{"Subnet": "172.17.0.0/16"}]},
        "Created": "2026-11-01T10:00:00Z",
    },
    {
        "Id": "net-host".ljust(64, "0"),
        "Name": "host",
        "Driver": "host",
        "Scope": "local",
        "IPAM": {"Config": []},
    },
    {
        "Id": "net-none".ljust(64, "0"),
        "Name": "none",
        "Driver": "null",
        "Scope": "local",
        "IPAM": {"Config": []},
    },
    {
        "Id": "net-shop_default".ljust(64, "0"),
        "Name": "shop_default",
        "Driver": "bridge",
        "Scope": "local",
        "IPAM": {"Config": [{"Subnet": "172.20.0.0/16"}]},
        "Labels": {"com.docker.compose.project": "shop"},
    },
]

VOLUMES = [
    {
        "Name": "shop-data",
        "Driver": "local",
        "Mountpoint": "/var/lib/docker/volumes/shop-data/_data",
        "CreatedAt": "2026-11-20T08:00:00Z",
        "Scope": "local",
        "Labels": {},
    },
    {
        "Name": "e3" * 32,
        "Driver": "local",
        "Mountpoint": "/var/lib/docker/volumes/" + "e3" * 32 + "/_data",
        "CreatedAt": "2026-12-03T08:00:00Z",
        "Scope": "local",
        "Labels": {"com.docker.volume.anonymous": ""},
    },
]


def fixed_samples(engine: FakeEngine, second: bool) -> dict[str, RawSample]:
    """Build one sweep of counters for the running canned containers."""
    samples = {}
    for number, entry in enumerate(engine.containers, start=1):
        if entry["State"] not in ("running", "paused"):
            continue
        busy = 0 if entry["State"] == "paused" else number * 7 % 180
        samples[entry["Id"]] = RawSample(
            timestamp=FROZEN_NOW.timestamp() + (2 if second else 0),
            cpu_total_ns=(busy * 20_000_000 if second else 0),
            system_ns=(8 * 2_000_000_000 if second else 0),
            online_cpus=8,
            mem_usage=number * 37 * 2**20,
            mem_inactive_file=2**20,
            mem_limit=(512 * 2**20 if number % 3 == 0 else 1 << 63),
            net_rx=(number * 3000 if second else 0),
            net_tx=(number * 1000 if second else 0),
            blk_read=0,
            blk_write=(number * 4096 if second else 0),
            pids=number,
        )
    return samples


class FakeSampler:
    """A sampler that delivers two sweeps of fixed counters, then idles."""

    source = "cgroup"

    def __init__(self, engine: FakeEngine) -> None:
        self.engine = engine

    def run(self, running: Any, deliver: Any, stop: threading.Event) -> None:
        """Deliver the two sweeps once the app lists containers, then wait."""
        while not running() and not stop.wait(0.02):
            pass
        deliver(fixed_samples(self.engine, second=False))
        deliver(fixed_samples(self.engine, second=True))
        stop.wait()

    def close(self) -> None:
        """Nothing to close."""


class FakeHostProbe:
    """A host probe with fixed figures."""

    def read(self) -> HostFigures:
        """Return fixed host figures."""
        return HostFigures(
            is_local=True,
            cpu_count=8,
            engine_version="27.3.1",
            storage_driver="overlay2",
            cgroup_version="2",
            cgroup_driver="systemd",
            cpu_percent=37.5,
            per_cpu_percent=(80.0, 20.0, 35.0, 10.0, 55.0, 40.0, 30.0, 30.0),
            steal_percent=0.4,
            load_average=(2.1, 1.8, 1.5),
            mem_total=16 * 2**30,
            mem_available=9 * 2**30,
            swap_total=2 * 2**30,
            swap_used=128 * 2**20,
            disk_path="/var/lib/docker",
            disk_total=200 * 10**9,
            disk_free=61 * 10**9,
        )


class FakeEngine:
    """An engine that answers from the fixed data above and records actions."""

    def __init__(
        self,
        endpoint: Endpoint | None = None,
        *,
        unreachable: EngineError | None = None,
    ) -> None:
        self.endpoint = endpoint or Endpoint(
            host="unix:///var/run/docker.sock", source="test"
        )
        self.containers = [dict(entry) for entry in CONTAINERS]
        self.images = [dict(entry) for entry in IMAGES]
        self.networks = [dict(entry) for entry in NETWORKS]
        self.volumes = [dict(entry) for entry in VOLUMES]
        self.unreachable = unreachable
        self.actions: list[tuple[str, str, dict[str, Any]]] = []
        self._closed = threading.Event()

    def _check(self) -> None:
        if self.unreachable is not None:
            raise self.unreachable

    def connect(self) -> EngineInfo:
        """Return a fixed engine description, or raise the configured failure."""
        self._check()
        return self.info()

    def close(self) -> None:
        """End the event stream."""
        self.close_events()

    def info(self) -> EngineInfo:
        """Return the fixed engine description."""
        self._check()
        return convert.engine_info(
            self.endpoint.display,
            True,
            {"Version": "27.3.1", "ApiVersion": "1.47"},
            {
                "Driver": "overlay2",
                "CgroupVersion": "2",
                "NCPU": 8,
                "MemTotal": 16 * 2**30,
                "DockerRootDir": "/var/lib/docker",
                "Name": "ip-10-0-1-23",
            },
        )

    def list_containers(self, ids: list[str] | None = None) -> list[ContainerRecord]:
        """List the canned containers, optionally only some ids."""
        self._check()
        entries = [e for e in self.containers if ids is None or e["Id"] in ids]
        return [convert.container_from_list(entry) for entry in entries]

    def list_images(self) -> list[ImageRecord]:
        """List the canned images."""
        self._check()
        return [convert.image_from_list(entry) for entry in self.images]

    def list_networks(self) -> list[NetworkRecord]:
        """List the canned networks."""
        self._check()
        return [convert.network_from_list(entry) for entry in self.networks]

    def list_volumes(self) -> list[VolumeRecord]:
        """List the canned volumes."""
        self._check()
        return [convert.volume_from_list(entry) for entry in self.volumes]

    def inspect(self, kind: str, object_id: str) -> dict[str, Any]:
        """Return the list entry as inspect JSON (enough for the viewer)."""
        self._check()
        pools = {
            "container": self.containers,
            "image": self.images,
            "network": self.networks,
            "volume": self.volumes,
        }
        for entry in pools[kind]:
            if object_id in (entry.get("Id"), entry.get("Name")):
                document = dict(entry)
                if kind == "container":
                    document["Config"] = {
                        "Env": [
                            "PATH=/usr/bin:/bin",
                            "DB_PASSWORD=hunter2",
                            "API_TOKEN=abc123",
                            "GREETING=[bold]hi[/bold]",
                        ],
                        "Labels": entry.get("Labels") or {},
                    }
                return document
        raise EngineError(
            ErrorKind.NOT_FOUND,
            f"inspect {kind} {object_id[:12]} failed: No such {kind}",
        )

    def top(self, container_id: str) -> tuple[list[str], list[list[str]]]:
        """Return two fixed processes."""
        self._check()
        titles = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"]
        rows = [
            [
                "root",
                "4242",
                "4221",
                "0",
                "09:00",
                "?",
                "00:00:03",
                "/app/serve --port 8080",
            ],
            [
                "app",
                "4301",
                "4242",
                "1",
                "09:00",
                "?",
                "00:01:12",
                "worker [bold]x[/bold]",
            ],
        ]
        return titles, rows

    def container_detail(self, container_id: str) -> ContainerDetail:
        """Build a detail record with fixed figures."""
        entry = self.inspect("container", container_id)
        never = entry["State"] == "created"
        return convert.container_detail(
            {
                "Id": entry["Id"],
                "RestartCount": 3 if entry["State"] == "restarting" else 0,
                "HostConfig": {"RestartPolicy": {"Name": "unless-stopped"}},
                "Config": {"Cmd": entry["Command"].split(), "Env": ["A=1"]},
                "State": {
                    "StartedAt": "0001-01-01T00:00:00Z"
                    if never
                    else "2026-12-04T09:00:00Z",
                    "FinishedAt": "0001-01-01T00:00:00Z",
                    "ExitCode": 0,
                    "Pid": 0 if never else 4242,
                },
            }
        )

    def image_history(self, image_id: str) -> list[dict[str, Any]]:
        """Return two fixed layers."""
        self._check()
        return [
            {"CreatedBy": '/bin/sh -c #(nop)  CMD ["/app/serve"]', "Size": 0},
            {
                "CreatedBy": "/bin/sh -c #(nop) COPY dir:abc in /app",
                "Size": 180_000_000,
            },
        ]

    def _record(self, action: str, object_id: str, **options: Any) -> None:
        self._check()
        self.actions.append((action, object_id, options))

    def start_container(self, container_id: str) -> None:
        """Record a start."""
        self._record("start", container_id)

    def stop_container(self, container_id: str, timeout: int = 10) -> None:
        """Record a stop."""
        self._record("stop", container_id, timeout=timeout)

    def restart_container(self, container_id: str, timeout: int = 10) -> None:
        """Record a restart."""
        self._record("restart", container_id, timeout=timeout)

    def pause_container(self, container_id: str) -> None:
        """Record a pause."""
        self._record("pause", container_id)

    def unpause_container(self, container_id: str) -> None:
        """Record an unpause."""
        self._record("unpause", container_id)

    def kill_container(self, container_id: str, signal: str = "SIGKILL") -> None:
        """Record a kill."""
        self._record("kill", container_id, signal=signal)

    def remove_container(
        self, container_id: str, force: bool = False, volumes: bool = False
    ) -> None:
        """Record a container removal."""
        self._record("remove", container_id, force=force, volumes=volumes)

    def remove_image(self, image_id: str, force: bool = False) -> None:
        """Record an image removal."""
        self._record("remove image", image_id, force=force)

    def remove_network(self, network_id: str) -> None:
        """Record a network removal."""
        self._record("remove network", network_id)

    def remove_volume(self, name: str) -> None:
        """Record a volume removal."""
        self._record("remove volume", name)

    def events(self) -> Iterator[EngineEvent]:
        """Open a stream that stays silent until closed, like a quiet engine."""
        self._check()
        self._closed.clear()
        return self._silence()

    def _silence(self) -> Iterator[EngineEvent]:
        self._closed.wait()
        yield from ()

    def close_events(self) -> None:
        """End the event stream."""
        self._closed.set()

    def stats_sampler(self, info: EngineInfo, interval: float) -> FakeSampler:
        """Return a sampler that delivers two fixed sweeps, then waits."""
        return FakeSampler(self)

    def host_probe(self, info: EngineInfo) -> Any:
        """Return a probe with fixed host figures."""
        return FakeHostProbe()

    def logs(self, container_id: str, tail: int = 300) -> Any:
        """Return fixed log lines."""
        return iter([b"line one\n", b"line two\n"])
