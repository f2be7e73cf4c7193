"""Conversion of canned Engine API JSON into records, including sparse responses."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from dockertui.engine import convert
from dockertui.state.records import Health

CONTAINER_ENTRY: dict[str, Any] = {
    "Id": "4f1c" + "0" * 60,
    "Names": ["/web-1"],
    "Image": "nginx:1.27",
    "ImageID": "sha256:" + "a" * 64,
    "Command": "nginx -g 'daemon off;'",
    "Created": 1733300000,
    "Ports": [
        {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"IP": "::", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
        {"PrivatePort": 443, "Type": "tcp"},
        {"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"},
    ],
    "Labels": {"com.docker.compose.project": "shop", "b": "2", "a": "1"},
    "State": "running",
    "Status": "Up 3 minutes (healthy)",
    "HostConfig": {"NetworkMode": "shop_default"},
    "NetworkSettings": {
        "Networks": {
            "shop_default": {
                "NetworkID": "n" * 64,
                "IPAddress": "172.18.0.2",
                "MacAddress": "02:42:ac:12:00:02",
            }
        }
    },
    "Mounts": [
        {
            "Type": "volume",
            "Name": "shop_data",
            "Source": "/var/lib/docker/volumes/shop_data/_data",
            "Destination": "/data",
            "RW": False,
        },
        {"Type": "bind", "Source": "/srv", "Destination": "/srv", "RW": True},
    ],
}


def test_container_from_full_entry() -> None:
    record = convert.container_from_list(CONTAINER_ENTRY)

    assert record.id == CONTAINER_ENTRY["Id"]
    assert record.short_id == "4f1c00000000"
    assert record.name == "web-1"
    assert record.state == "running"
    assert record.status == "Up 3 minutes (healthy)"
    assert record.health is Health.HEALTHY
    assert record.created == datetime.fromtimestamp(1733300000, tz=timezone.utc)
    assert record.compose_project == "shop"
    assert record.labels[0] == ("a", "1")
    assert record.network_mode == "shop_default"
    assert record.is_running


def test_container_ports_are_unique_and_sorted() -> None:
    record = convert.container_from_list(CONTAINER_ENTRY)

    labels = [port.label() for port in record.ports]

    assert labels == ["0.0.0.0:8080->80/tcp", "[::]:8080->80/tcp", "443/tcp"]


def test_container_mounts_and_networks() -> None:
    record = convert.container_from_list(CONTAINER_ENTRY)

    assert [mount.kind for mount in record.mounts] == ["volume", "bind"]
    assert record.mounts[0].read_only is True
    assert record.mounts[0].volume_name == "shop_data"
    assert record.mounts[1].read_only is False
    assert record.networks[0].network_name == "shop_default"
    assert record.networks[0].ip_address == "172.18.0.2"


def test_container_from_empty_entry() -> None:
    record = convert.container_from_list({})

    assert record.id == ""
    assert record.name == ""
    assert record.state == "unknown"
    assert record.created is None
    assert record.health is Health.NONE
    assert record.ports == ()
    assert record.labels == ()
    assert record.mounts == ()
    assert record.networks == ()


def test_container_with_null_collections() -> None:
    entry = {
        "Id": "b" * 64,
        "Names": None,
        "Labels": None,
        "Ports": None,
        "Mounts": None,
        "NetworkSettings": {"Networks": None},
        "HostConfig": None,
        "State": "exited",
    }

    record = convert.container_from_list(entry)

    assert record.name == "b" * 12
    assert record.ports == ()
    assert record.networks == ()
    assert record.is_running is False


def test_container_unknown_state_is_kept_verbatim() -> None:
    record = convert.container_from_list({"Id": "c" * 64, "State": "hibernating"})

    assert record.state == "hibernating"
    assert record.is_running is False


@pytest.mark.parametrize(
    ("status", "health"),
    [
        ("Up 2 seconds (health: starting)", Health.STARTING),
        ("Up 5 minutes (unhealthy)", Health.UNHEALTHY),
        ("Up 5 minutes (healthy)", Health.HEALTHY),
        ("Up 5 minutes", Health.NONE),
        ("Exited (0) 2 hours ago", Health.NONE),
        ("", Health.NONE),
    ],
)
def test_health_from_status(status: str, health: Health) -> None:
    assert convert.health_from_status(status) is health


def test_ports_without_private_port_are_dropped() -> None:
    entry = {"Ports": [{"Type": "tcp"}, "garbage", {"PrivatePort": 53, "Type": "udp"}]}

    record = convert.container_from_list(entry)

    assert [port.label() for port in record.ports] == ["53/udp"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-12-04T17:30:01.123456789Z", datetime(2024, 12, 4, 17, 30, 1, 123456)),
        ("2024-12-04T17:30:01Z", datetime(2024, 12, 4, 17, 30, 1)),
        ("2024-12-04T18:30:01.5+01:00", datetime(2024, 12, 4, 17, 30, 1, 500000)),
    ],
)
def test_parse_time_rfc3339(value: str, expected: datetime) -> None:
    parsed = convert.parse_time(value)

    assert parsed is not None
    assert parsed == expected.replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "value", [None, "", "0001-01-01T00:00:00Z", 0, -5, "yesterday", ["x"]]
)
def test_parse_time_missing_or_invalid(value: object) -> None:
    assert convert.parse_time(value) is None


def test_container_detail_never_started() -> None:
    inspect = {
        "Id": "d" * 64,
        "State": {
            "Status": "created",
            "ExitCode": 127,
            "Error": 'exec: "/missing": stat /missing: no such file or directory',
            "StartedAt": "0001-01-01T00:00:00Z",
            "FinishedAt": "0001-01-01T00:00:00Z",
        },
        "Config": {"Cmd": ["/missing", "--flag"], "Env": ["A=1", "B=2"]},
        "HostConfig": {"RestartPolicy": {"Name": "", "MaximumRetryCount": 0}},
    }

    detail = convert.container_detail(inspect)

    assert detail.started_at is None
    assert detail.finished_at is None
    assert detail.exit_code == 127
    assert "no such file" in detail.error
    assert detail.command == "/missing --flag"
    assert detail.restart_policy == "no"
    assert detail.env_count == 2


def test_container_detail_created_without_exit_code() -> None:
    inspect = {"Id": "e" * 64, "State": {"Status": "created", "ExitCode": 0}}

    detail = convert.container_detail(inspect)

    assert detail.exit_code is None
    assert detail.started_at is None


def test_container_detail_running_with_health() -> None:
    inspect = {
        "Id": "f" * 64,
        "RestartCount": 4,
        "State": {
            "Status": "running",
            "Pid": 4242,
            "ExitCode": 0,
            "StartedAt": "2024-12-04T17:30:01.5Z",
            "Health": {
                "Status": "unhealthy",
                "Log": [{"Output": f"check {number}\n"} for number in range(5)],
            },
        },
        "Config": {
            "Entrypoint": ["/bin/sh", "-c"],
            "Cmd": "echo 'a b'",
            "User": "1000",
            "Tty": True,
            "WorkingDir": "/app",
        },
        "HostConfig": {"RestartPolicy": {"Name": "on-failure", "MaximumRetryCount": 3}},
    }

    detail = convert.container_detail(inspect)

    assert detail.exit_code == 0
    assert detail.pid == 4242
    assert detail.restart_count == 4
    assert detail.restart_policy == "on-failure:3"
    assert detail.health_log == ("check 2", "check 3", "check 4")
    assert detail.entrypoint == "/bin/sh -c"
    assert detail.command == "echo 'a b'"
    assert detail.tty is True


def test_container_detail_from_empty_inspect() -> None:
    detail = convert.container_detail({})

    assert detail.id == ""
    assert detail.restart_policy == "no"
    assert detail.exit_code is None
    assert detail.health_log == ()


def test_image_tags_and_dangling() -> None:
    tagged = convert.image_from_list(
        {
            "Id": "sha256:" + "1" * 64,
            "RepoTags": ["app:1", "app:latest"],
            "RepoDigests": ["app@sha256:" + "2" * 64],
            "Size": 1024,
            "Created": 1733300000,
        }
    )
    untagged = convert.image_from_list(
        {
            "Id": "sha256:" + "3" * 64,
            "RepoTags": ["<none>:<none>"],
            "RepoDigests": ["<none>@<none>"],
            "Created": 1733300000,
        }
    )

    assert tagged.display_name == "app:1"
    assert tagged.short_id == "111111111111"
    assert tagged.dangling is False
    assert tagged.size == 1024
    assert untagged.tags == ()
    assert untagged.digests == ()
    assert untagged.dangling is True
    assert untagged.display_name == "<none>:<none>"


def test_image_with_null_fields() -> None:
    record = convert.image_from_list({"Id": "sha256:x", "RepoTags": None, "Size": None})

    assert record.tags == ()
    assert record.size == 0
    assert record.created is None


def test_network_subnets_and_predefined() -> None:
    bridge = convert.network_from_list(
        {
            "Id": "9" * 64,
            "Name": "bridge",
            "Driver": "bridge",
            "Scope": "local",
            "IPAM": {"Config": [{"Subnet": "172.17.0.0/16", "Gateway": "172.17.0.1"}]},
            "Created": "2024-12-04T17:30:01.123Z",
        }
    )
    user_network = convert.network_from_list(
        {"Id": "8" * 64, "Name": "shop_default", "IPAM": {"Config": None}}
    )

    assert bridge.subnets == ("172.17.0.0/16",)
    assert bridge.predefined is True
    assert bridge.created is not None
    assert user_network.subnets == ()
    assert user_network.predefined is False


def test_volume_anonymous_by_label_or_name() -> None:
    named = convert.volume_from_list({"Name": "shop_data", "Driver": "local"})
    labelled = convert.volume_from_list(
        {"Name": "x", "Labels": {"com.docker.volume.anonymous": ""}}
    )
    hex_named = convert.volume_from_list({"Name": "ab" * 32, "Labels": None})

    assert named.anonymous is False
    assert named.scope == "local"
    assert labelled.anonymous is True
    assert hex_named.anonymous is True


def test_engine_info_from_sparse_responses() -> None:
    info = convert.engine_info("unix:///var/run/docker.sock", True, {}, {})

    assert info.server_version == "?"
    assert info.api_version == "?"
    assert info.cpu_count == 0
    assert info.swarm_state == ""


def test_engine_info_from_full_responses() -> None:
    version = {"Version": "20.10.24", "ApiVersion": "1.41"}
    info = {
        "NCPU": 8,
        "MemTotal": 16 * 2**30,
        "CgroupVersion": "1",
        "Driver": "overlay2",
        "Swarm": {"LocalNodeState": "active"},
    }

    record = convert.engine_info("tcp://10.0.0.5:2376", False, version, info)

    assert record.server_version == "20.10.24"
    assert record.cpu_count == 8
    assert record.storage_driver == "overlay2"
    assert record.swarm_state == "active"
    assert record.is_local is False


def test_event_from_modern_json() -> None:
    event = convert.event_from_json(
        {
            "Type": "container",
            "Action": "start",
            "Actor": {"ID": "a" * 64, "Attributes": {"name": "web-1", "image": "x"}},
            "timeNano": 1733300000123456789,
        }
    )

    assert event.kind == "container"
    assert event.action == "start"
    assert event.actor_id == "a" * 64
    assert event.actor_name == "web-1"
    assert event.time_nano == 1733300000123456789
    assert ("image", "x") in event.attributes


def test_event_from_legacy_json() -> None:
    event = convert.event_from_json(
        {"status": "die", "id": "b" * 64, "type": "container"}
    )

    assert event.kind == "container"
    assert event.action == "die"
    assert event.actor_id == "b" * 64
    assert event.actor_name == ""


def test_event_from_empty_json() -> None:
    event = convert.event_from_json({})

    assert event.kind == ""
    assert event.action == ""
    assert event.time_nano == 0
