"""Immutable records of what the engine reported, with no reference to the SDK.

The engine layer builds these from Engine API answers. Everything above it (state,
widgets, screens) sees only these records, never a ``docker`` object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum


class Health(str, Enum):
    """Health of a container that has a healthcheck."""

    NONE = ""
    STARTING = "starting"
    HEALTHY = "healthy"
    UNHEALTHY = "unhealthy"


@dataclass(frozen=True)
class PortMapping:
    """One published or exposed container port."""

    private_port: int
    protocol: str
    public_port: int | None = None
    host_ip: str = ""

    def label(self) -> str:
        """Format the port the way ``docker ps`` does: ``0.0.0.0:8080->80/tcp``."""
        if self.public_port is None:
            return f"{self.private_port}/{self.protocol}"
        host = self.host_ip if ":" not in self.host_ip else f"[{self.host_ip}]"
        prefix = f"{host}:" if host else ""
        return f"{prefix}{self.public_port}->{self.private_port}/{self.protocol}"


@dataclass(frozen=True)
class MountInfo:
    """One mount of a container: a named or anonymous volume, a bind mount or tmpfs."""

    kind: str
    source: str
    destination: str
    read_only: bool
    volume_name: str = ""


@dataclass(frozen=True)
class NetworkAttachment:
    """One network a container is attached to, with its addresses."""

    network_name: str
    network_id: str
    ip_address: str = ""
    ipv6_address: str = ""
    mac_address: str = ""


@dataclass(frozen=True)
class ContainerRecord:
    """A container as the list endpoint reports it.

    ``state`` is the engine's own word (running, exited, paused, restarting,
    created, removing, dead), kept verbatim even when dockertui does not know it.
    ``status`` is the engine's human text, for example "Up 3 minutes".
    """

    id: str
    name: str
    image: str
    image_id: str
    command: str
    state: str
    status: str
    created: datetime | None
    health: Health = Health.NONE
    ports: tuple[PortMapping, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    mounts: tuple[MountInfo, ...] = ()
    networks: tuple[NetworkAttachment, ...] = ()
    network_mode: str = ""

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the id, as the docker CLI shows it."""
        return self.id[:12]

    @property
    def compose_project(self) -> str:
        """The compose project label, or an empty string."""
        return self.label("com.docker.compose.project")

    def label(self, key: str) -> str:
        """Return the value of label ``key``, or an empty string."""
        for label_key, value in self.labels:
            if label_key == key:
                return value
        return ""

    @property
    def is_running(self) -> bool:
        """True for a running container, paused or not."""
        return self.state in ("running", "paused", "restarting")


@dataclass(frozen=True)
class ContainerDetail:
    """What ``inspect`` adds to a container record: the fields the list lacks."""

    id: str
    restart_policy: str
    restart_count: int
    started_at: datetime | None
    finished_at: datetime | None
    exit_code: int | None
    error: str
    entrypoint: str
    command: str
    working_dir: str
    user: str
    tty: bool
    pid: int
    health_log: tuple[str, ...] = ()
    env_count: int = 0


@dataclass(frozen=True)
class ImageRecord:
    """An image with all its tags; an image without tags is dangling."""

    id: str
    tags: tuple[str, ...]
    digests: tuple[str, ...]
    size: int
    created: datetime | None
    labels: tuple[tuple[str, str], ...] = ()
    parent_id: str = ""

    @property
    def short_id(self) -> str:
        """The first 12 hex digits after ``sha256:``."""
        return self.id.removeprefix("sha256:")[:12]

    @property
    def dangling(self) -> bool:
        """True when no tag names the image."""
        return not self.tags

    @property
    def display_name(self) -> str:
        """The first tag, or ``<none>:<none>`` for an untagged image."""
        return self.tags[0] if self.tags else "<none>:<none>"


PREDEFINED_NETWORKS = frozenset({"bridge", "host", "none"})


@dataclass(frozen=True)
class NetworkRecord:
    """A network as the list endpoint reports it."""

    id: str
    name: str
    driver: str
    scope: str
    subnets: tuple[str, ...]
    internal: bool
    created: datetime | None
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def short_id(self) -> str:
        """The first 12 hex digits of the id."""
        return self.id[:12]

    @property
    def predefined(self) -> bool:
        """True for the networks the engine creates itself and never removes."""
        return self.name in PREDEFINED_NETWORKS or (
            self.driver == "overlay" and self.name == "ingress"
        )


@dataclass(frozen=True)
class VolumeRecord:
    """A volume as the list endpoint reports it."""

    name: str
    driver: str
    mountpoint: str
    created: datetime | None
    scope: str = "local"
    labels: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        """The volume name, which is its key."""
        return self.name

    @property
    def anonymous(self) -> bool:
        """True for a volume the engine named itself.

        Engines since 23.0 label anonymous volumes; older ones give them a
        64-hex-digit name, which is the only sign on those.
        """
        if any(key == "com.docker.volume.anonymous" for key, _ in self.labels):
            return True
        return len(self.name) == 64 and all(c in "0123456789abcdef" for c in self.name)


@dataclass(frozen=True)
class EngineInfo:
    """The engine the app talks to: where, which version, and its size."""

    endpoint: str
    server_version: str
    api_version: str
    os: str = ""
    kernel_version: str = ""
    storage_driver: str = ""
    cgroup_version: str = ""
    cgroup_driver: str = ""
    docker_root_dir: str = ""
    cpu_count: int = 0
    memory_bytes: int = 0
    name: str = ""
    swarm_state: str = ""
    is_local: bool = True


@dataclass(frozen=True)
class EngineEvent:
    """One event from the engine's ``/events`` stream."""

    kind: str
    action: str
    actor_id: str
    actor_name: str = ""
    time_nano: int = 0
    attributes: tuple[tuple[str, str], ...] = field(default=())
