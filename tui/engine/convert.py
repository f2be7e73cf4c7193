"""Turn Engine API JSON into records.

These functions take the decoded JSON the engine returns (plain dicts) and never
import the SDK, so the fake backend and the unit tests use them too. Every field
is read defensively: engines of other versions, and Podman, leave some out.
"""

from __future__ import annotations

import re
import shlex
from datetime import datetime, timezone
from typing import Any

from ..state.records import (
    ContainerDetail,
    ContainerRecord,
    EngineEvent,
    EngineInfo,
    Health,
    ImageRecord,
    MountInfo,
    NetworkAttachment,
    NetworkRecord,
    PortMapping,
    VolumeRecord,
)

_HEALTH_IN_STATUS = (
    ("(health: starting)", Health.STARTING),
    ("(unhealthy)", Health.UNHEALTHY),
    ("(healthy)", Health.HEALTHY),
)
_FRACTION = re.compile(r"\.(\d+)")
ZERO_TIME = "0001-01-01T00:00:00Z"


def parse_time(value: Any) -> datetime | None:
    """Parse an engine timestamp (RFC 3339 with nanoseconds, or Unix seconds).

    Returns None for a missing value and for the engine's zero time, which it
    sends for "never" (a container that was never started).
    """
    if isinstance(value, (int, float)):
        if value <= 0:
            return None
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if not isinstance(value, str) or not value or value.startswith("0001-01-01"):
        return None
    text = value.replace("Z", "+00:00")
    text = _FRACTION.sub(lambda match: "." + match.group(1)[:6].ljust(6, "0"), text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        return ()
    return tuple(sorted((str(key), str(item)) for key, item in value.items()))


def _ports(value: Any) -> tuple[PortMapping, ...]:
    ports: list[PortMapping] = []
    for entry in value or ():
        if not isinstance(entry, dict) or "PrivatePort" not in entry:
            continue
        ports.append(
            PortMapping(
                private_port=int(entry["PrivatePort"]),
                protocol=str(entry.get("Type") or "tcp"),
                public_port=entry.get("PublicPort"),
                host_ip=str(entry.get("IP") or ""),
            )
        )
    unique = sorted(
        set(ports),
        key=lambda p: (p.private_port, p.protocol, p.host_ip, p.public_port or 0),
    )
    return tuple(unique)


def _mounts(value: Any) -> tuple[MountInfo, ...]:
    mounts = []
    for entry in value or ():
        if not isinstance(entry, dict):
            continue
        mounts.append(
            MountInfo(
                kind=str(entry.get("Type") or ""),
                source=str(entry.get("Source") or ""),
                destination=str(entry.get("Destination") or ""),
                read_only=not entry.get("RW", True),
                volume_name=str(entry.get("Name") or ""),
            )
        )
    return tuple(mounts)


def _networks(settings: Any) -> tuple[NetworkAttachment, ...]:
    networks = (settings or {}).get("Networks") or {}
    if not isinstance(networks, dict):
        return ()
    attachments = []
    for name, entry in sorted(networks.items()):
        entry = entry or {}
        attachments.append(
            NetworkAttachment(
                network_name=str(name),
                network_id=str(entry.get("NetworkID") or ""),
                ip_address=str(entry.get("IPAddress") or ""),
                ipv6_address=str(entry.get("GlobalIPv6Address") or ""),
                mac_address=str(entry.get("MacAddress") or ""),
            )
        )
    return tuple(attachments)


def health_from_status(status: str) -> Health:
    """Read the health badge the engine appends to a container's status text."""
    for marker, health in _HEALTH_IN_STATUS:
        if marker in status:
            return health
    return Health.NONE


def container_from_list(entry: dict[str, Any]) -> ContainerRecord:
    """Build a record from one entry of ``GET /containers/json``."""
    names = entry.get("Names") or []
    name = str(names[0]).lstrip("/") if names else str(entry.get("Id", ""))[:12]
    status = str(entry.get("Status") or "")
    host_config = entry.get("HostConfig") or {}
    return ContainerRecord(
        id=str(entry.get("Id") or ""),
        name=name,
        image=str(entry.get("Image") or ""),
        image_id=str(entry.get("ImageID") or ""),
        command=str(entry.get("Command") or ""),
        state=str(entry.get("State") or "unknown"),
        status=status,
        created=parse_time(entry.get("Created")),
        health=health_from_status(status),
        ports=_ports(entry.get("Ports")),
        labels=_labels(entry.get("Labels")),
        mounts=_mounts(entry.get("Mounts")),
        networks=_networks(entry.get("NetworkSettings")),
        network_mode=str(host_config.get("NetworkMode") or ""),
    )


def _command_line(parts: Any) -> str:
    if isinstance(parts, list):
        return shlex.join(str(part) for part in parts)
    return str(parts or "")


def container_detail(inspect: dict[str, Any]) -> ContainerDetail:
    """Build the detail record from ``GET /containers/{id}/json``."""
    state = inspect.get("State") or {}
    config = inspect.get("Config") or {}
    host_config = inspect.get("HostConfig") or {}
    policy = host_config.get("RestartPolicy") or {}
    policy_name = str(policy.get("Name") or "no")
    if policy_name == "on-failure" and policy.get("MaximumRetryCount"):
        policy_name = f"on-failure:{policy['MaximumRetryCount']}"
    health = state.get("Health") or {}
    health_log = tuple(
        str(item.get("Output") or "").strip()
        for item in (health.get("Log") or [])[-3:]
        if isinstance(item, dict)
    )
    started = parse_time(state.get("StartedAt"))
    return ContainerDetail(
        id=str(inspect.get("Id") or ""),
        restart_policy=policy_name or "no",
        restart_count=int(inspect.get("RestartCount") or 0),
        started_at=started,
        finished_at=parse_time(state.get("FinishedAt")),
        exit_code=state.get("ExitCode") if started or state.get("ExitCode") else None,
        error=str(state.get("Error") or ""),
        entrypoint=_command_line(config.get("Entrypoint")),
        command=_command_line(config.get("Cmd")),
        working_dir=str(config.get("WorkingDir") or ""),
        user=str(config.get("User") or ""),
        tty=bool(config.get("Tty")),
        pid=int(state.get("Pid") or 0),
        health_log=health_log,
        env_count=len(config.get("Env") or []),
    )


def image_from_list(entry: dict[str, Any]) -> ImageRecord:
    """Build a record from one entry of ``GET /images/json``."""
    tags = tuple(
        tag for tag in (entry.get("RepoTags") or []) if tag and tag != "<none>:<none>"
    )
    digests = tuple(
        digest
        for digest in (entry.get("RepoDigests") or [])
        if digest and digest != "<none>@<none>"
    )
    return ImageRecord(
        id=str(entry.get("Id") or ""),
        tags=tags,
        digests=digests,
        size=int(entry.get("Size") or 0),
        created=parse_time(entry.get("Created")),
        labels=_labels(entry.get("Labels")),
        parent_id=str(entry.get("ParentId") or ""),
    )


def network_from_list(entry: dict[str, Any]) -> NetworkRecord:
    """Build a record from one entry of ``GET /networks``."""
    ipam = entry.get("IPAM") or {}
    subnets = tuple(
        str(config["Subnet"])
        for config in (ipam.get("Config") or [])
        if isinstance(config, dict) and config.get("Subnet")
    )
    return NetworkRecord(
        id=str(entry.get("Id") or ""),
        name=str(entry.get("Name") or ""),
        driver=str(entry.get("Driver") or ""),
        scope=str(entry.get("Scope") or ""),
        subnets=subnets,
        internal=bool(entry.get("Internal")),
        created=parse_time(entry.get("Created")),
        labels=_labels(entry.get("Labels")),
    )


def volume_from_list(entry: dict[str, Any]) -> VolumeRecord:
    """Build a record from one entry of the ``Volumes`` list of ``GET /volumes``."""
    return VolumeRecord(
        name=str(entry.get("Name") or ""),
        driver=str(entry.get("Driver") or ""),
        mountpoint=str(entry.get("Mountpoint") or ""),
        created=parse_time(entry.get("CreatedAt")),
        scope=str(entry.get("Scope") or "local"),
        labels=_labels(entry.get("Labels")),
    )


def engine_info(
    endpoint: str, is_local: bool, version: dict[str, Any], info: dict[str, Any]
) -> EngineInfo:
    """Combine ``GET /version`` and ``GET /info`` into one record."""
    swarm = info.get("Swarm") or {}
    return EngineInfo(
        endpoint=endpoint,
        server_version=str(version.get("Version") or info.get("ServerVersion") or "?"),
        api_version=str(version.get("ApiVersion") or "?"),
        os=str(info.get("OperatingSystem") or ""),
        kernel_version=str(info.get("KernelVersion") or ""),
        storage_driver=str(info.get("Driver") or ""),
        cgroup_version=str(info.get("CgroupVersion") or ""),
        cgroup_driver=str(info.get("CgroupDriver") or ""),
        docker_root_dir=str(info.get("DockerRootDir") or ""),
        cpu_count=int(info.get("NCPU") or 0),
        memory_bytes=int(info.get("MemTotal") or 0),
        name=str(info.get("Name") or ""),
        swarm_state=str(swarm.get("LocalNodeState") or ""),
        is_local=is_local,
    )


def event_from_json(entry: dict[str, Any]) -> EngineEvent:
    """Build a record from one decoded ``/events`` message."""
    actor = entry.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    kind = str(entry.get("Type") or entry.get("type") or "")
    action = str(entry.get("Action") or entry.get("status") or "")
    return EngineEvent(
        kind=kind,
        action=action,
        actor_id=str(actor.get("ID") or entry.get("id") or ""),
        actor_name=str(attributes.get("name") or ""),
        time_nano=int(entry.get("timeNano") or 0),
        attributes=_labels(attributes),
    )
