"""Unit tests of the stats readers on recorded payloads and a cgroup v2 tree."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from dockertui.engine.cgroups import (
    CgroupReader,
    detect_version,
    keyed_value,
    parse_cpu_max,
    parse_net_dev,
    parse_v1_blkio,
    parse_v2_io,
)
from dockertui.engine.client import Engine
from dockertui.engine.endpoint import Endpoint
from dockertui.engine.errors import EngineError, ErrorKind
from dockertui.engine.stats import (
    SOURCE_API,
    SOURCE_CGROUP,
    SOURCE_MIXED,
    StatsSampler,
    api_stats_to_raw,
    cpu_limit_from_inspect,
)
from dockertui.state.records import EngineInfo
from dockertui.state.stats import StatsTracker

DATA = Path(__file__).parent / "data"
SYSTEMD_ID = "aaaa1111" * 8
CGROUPFS_ID = "bbbb2222" * 8
CUSTOM_ID = "cccc3333" * 8


def payload(name: str) -> dict[str, Any]:
    """Load a recorded stats response from tests/data."""
    loaded: dict[str, Any] = json.loads((DATA / f"{name}.json").read_text())
    return loaded


# Engine API payloads


def test_api_v1_running_payload() -> None:
    raw = api_stats_to_raw(payload("stats_api_v1_running"))
    assert raw.cpu_total_ns == 22738365
    assert raw.system_ns == 1203100000000
    assert raw.online_cpus == 2
    assert raw.mem_usage == 1785856
    assert raw.mem_inactive_file == 40960
    assert raw.net_rx == 1086
    assert raw.net_tx == 0
    assert raw.blk_read == 0
    assert raw.pids == 1


def test_api_v1_page_cache_not_used_memory() -> None:
    raw = api_stats_to_raw(payload("stats_api_v1_page_cache"))
    stats = StatsTracker(host_memory=25276203008).update({"c": raw})["c"]
    assert raw.mem_usage is not None
    assert raw.mem_usage > 100 * 2**20
    assert stats.mem_used is not None
    assert stats.mem_used < 10 * 2**20
    assert stats.mem_limit is None


def test_api_network_none_has_no_network() -> None:
    raw = api_stats_to_raw(payload("stats_api_v1_network_none"))
    assert raw.net_rx is None
    assert raw.net_tx is None
    assert raw.mem_limit == 64 * 2**20


def test_api_created_container_payload() -> None:
    raw = api_stats_to_raw(payload("stats_api_v1_created"))
    assert raw.system_ns is None
    assert raw.online_cpus is None
    assert raw.blk_read == 0
    assert raw.pids is None


def test_api_without_online_cpus_uses_percpu_length() -> None:
    answer = payload("stats_api_v1_running")
    del answer["cpu_stats"]["online_cpus"]
    assert api_stats_to_raw(answer).online_cpus == 2


def test_api_without_online_cpus_or_percpu() -> None:
    answer = payload("stats_api_v1_running")
    del answer["cpu_stats"]["online_cpus"]
    del answer["cpu_stats"]["cpu_usage"]["percpu_usage"]
    raw = api_stats_to_raw(answer)
    assert raw.online_cpus is None
    tracker = StatsTracker(host_cpus=8)
    tracker.update({"c": raw})
    later = copy.deepcopy(answer)
    later["read"] = "2026-12-04T17:35:01.439381963Z"
    later["cpu_stats"]["cpu_usage"]["total_usage"] += 1_000_000_000
    later["cpu_stats"]["system_cpu_usage"] += 8_000_000_000
    stats = tracker.update({"c": api_stats_to_raw(later)})["c"]
    assert stats.cpu_percent == pytest.approx(100.0)


def test_api_empty_memory_stats() -> None:
    answer = payload("stats_api_v1_running")
    answer["memory_stats"] = {}
    raw = api_stats_to_raw(answer)
    assert raw.mem_usage is None
    assert raw.mem_limit is None
    stats = StatsTracker().update({"c": raw})["c"]
    assert stats.mem_used is None
    assert stats.mem_percent is None


def test_api_no_networks_key() -> None:
    answer = payload("stats_api_v1_running")
    del answer["networks"]
    assert api_stats_to_raw(answer).net_rx is None


def test_api_null_io_service_bytes_is_zero() -> None:
    answer = payload("stats_api_v1_running")
    answer["blkio_stats"]["io_service_bytes_recursive"] = None
    raw = api_stats_to_raw(answer)
    assert raw.blk_read == 0
    assert raw.blk_write == 0


def test_api_block_io_op_names_any_case() -> None:
    answer = payload("stats_api_v1_running")
    answer["blkio_stats"]["io_service_bytes_recursive"] = [
        {"major": 8, "minor": 0, "op": "Read", "value": 10},
        {"major": 8, "minor": 0, "op": "WRITE", "value": 20},
        {"major": 8, "minor": 0, "op": "Total", "value": 30},
        {"major": 8, "minor": 16, "op": "read", "value": 1},
    ]
    raw = api_stats_to_raw(answer)
    assert raw.blk_read == 11
    assert raw.blk_write == 20


def test_api_v2_shaped_payload() -> None:
    raw = api_stats_to_raw(payload("stats_api_v2_shape"))
    assert raw.online_cpus == 4
    assert raw.mem_inactive_file == 104857600
    assert raw.blk_read == 12288
    assert raw.blk_write == 105906176
    assert raw.net_rx == 1500
    assert raw.net_tx == 250


def test_api_missing_read_time_uses_local_clock() -> None:
    raw = api_stats_to_raw({})
    assert raw.timestamp > 0
    assert raw.cpu_total_ns is None
    assert raw.net_rx is None
    assert raw.blk_read is None


@pytest.mark.parametrize(
    ("host_config", "expected"),
    [
        ({"NanoCpus": 500_000_000}, 0.5),
        ({"CpuQuota": 150_000, "CpuPeriod": 100_000}, 1.5),
        ({"CpuQuota": 50_000, "CpuPeriod": 0}, 0.5),
        ({"NanoCpus": 0, "CpuQuota": 0}, None),
        ({}, None),
    ],
)
def test_cpu_limit_from_inspect(
    host_config: dict[str, int], expected: float | None
) -> None:
    assert cpu_limit_from_inspect({"HostConfig": host_config}) == expected


# cgroup and /proc file formats


def test_parse_v1_blkio_sums_devices() -> None:
    data = b"8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\n8:16 read 4\nTotal 4612\n"
    assert parse_v1_blkio(data) == (4100, 512)


def test_parse_v1_blkio_only_total_is_none() -> None:
    assert parse_v1_blkio(b"Total 0\n") is None


def test_keyed_value_whole_key_only() -> None:
    data = b"cache 5\ntotal_inactive_file 42\ninactive_file 3\n"
    assert keyed_value(data, b"total_inactive_file") == 42
    assert keyed_value(data, b"inactive_file") == 3
    assert keyed_value(data, b"cache") == 5
    assert keyed_value(b"total_inactive_file 1\n", b"inactive_file") is None
    assert keyed_value(b"inactive_file 9", b"inactive_file") == 9
    assert keyed_value(b"inactive_file x\n", b"inactive_file") is None
    assert keyed_value(None, b"inactive_file") is None


def test_parse_v2_io_sums_devices() -> None:
    data = b"8:0 rbytes=10 wbytes=20 rios=1 wios=2\n253:0 rbytes=1 wbytes=2\n"
    assert parse_v2_io(data) == (11, 22)


def test_parse_net_dev_skips_loopback() -> None:
    data = (DATA / "cgroup_v2/proc/4242/net/dev").read_bytes()
    assert parse_net_dev(data) == (1500, 250)


def test_parse_cpu_max() -> None:
    assert parse_cpu_max(b"50000 100000\n") == 0.5
    assert parse_cpu_max(b"max 100000\n") is None
    assert parse_cpu_max(b"garbage") is None
    assert parse_cpu_max(None) is None


# The recorded cgroup v2 tree


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Copy the recorded v2 tree, so a test may change counters."""
    target = tmp_path / "cgroup_v2"
    shutil.copytree(DATA / "cgroup_v2", target)
    return target


def reader_for(tree: Path) -> CgroupReader:
    return CgroupReader(2, str(tree / "sys/fs/cgroup"), str(tree / "proc"))


def test_v2_tree_detected_as_v2(tree: Path) -> None:
    assert detect_version(str(tree / "sys/fs/cgroup")) == 2


def test_v1_host_detected_as_v1() -> None:
    assert detect_version("/sys/fs/cgroup") == 1


def test_v2_systemd_layout(tree: Path) -> None:
    reader = reader_for(tree)
    paths = reader.locate(SYSTEMD_ID)
    assert paths is not None
    raw = reader.read(paths, 100.0, reader.system_ns(), 2)
    assert raw is not None
    assert raw.cpu_total_ns == 5_000_000_000
    assert raw.mem_usage == 110100480
    assert raw.mem_inactive_file == 104857600
    assert raw.mem_limit == 268435456
    assert raw.blk_read == 12288
    assert raw.blk_write == 105906176
    assert raw.pids == 3
    assert raw.cpu_limit_cores == 0.5
    assert raw.system_ns == (3864 + 2058 + 62559 + 439 + 33) * 10_000_000


def test_v2_cgroupfs_layout_unlimited(tree: Path) -> None:
    reader = reader_for(tree)
    paths = reader.locate(CGROUPFS_ID)
    assert paths is not None
    raw = reader.read(paths, 100.0, None, 2)
    assert raw is not None
    assert raw.mem_limit is None
    assert raw.cpu_limit_cores is None
    assert raw.blk_read == 0
    assert raw.cpu_total_ns == 22738000


def test_v2_custom_parent_found_through_proc(tree: Path) -> None:
    reader = reader_for(tree)
    assert reader.locate(CUSTOM_ID) is None
    paths = reader.locate(CUSTOM_ID, pid=4343)
    assert paths is not None
    assert paths.directories[""].endswith(f"custom.slice/{CUSTOM_ID}")


def test_v2_unknown_container_not_found(tree: Path) -> None:
    assert reader_for(tree).locate("dddd" * 16, pid=999999) is None


def test_v2_removed_cgroup_reads_none(tree: Path) -> None:
    reader = reader_for(tree)
    paths = reader.locate(SYSTEMD_ID)
    assert paths is not None
    shutil.rmtree(paths.directories[""])
    assert reader.read(paths, 100.0, None, 2) is None


def test_v2_garbage_files_give_none_fields(tree: Path) -> None:
    reader = reader_for(tree)
    paths = reader.locate(CGROUPFS_ID)
    assert paths is not None
    directory = Path(paths.directories[""])
    (directory / "memory.current").write_bytes(b"\x1b[31mnot a number\n")
    (directory / "memory.stat").write_bytes(b"inactive_file \xff\xfe\nbroken\n")
    (directory / "pids.current").write_bytes(b"")
    raw = reader.read(paths, 100.0, None, 2)
    assert raw is not None
    assert raw.mem_usage is None
    assert raw.mem_inactive_file is None
    assert raw.pids is None


def test_v2_tree_cpu_percent_over_two_reads(tree: Path) -> None:
    reader = reader_for(tree)
    paths = reader.locate(SYSTEMD_ID)
    assert paths is not None
    tracker = StatsTracker()
    first = reader.read(paths, 100.0, 0, 2)
    assert first is not None
    tracker.update({SYSTEMD_ID: first})
    cpu_stat = Path(paths.directories[""]) / "cpu.stat"
    cpu_stat.write_text("usage_usec 6000000\nuser_usec 5000000\nsystem_usec 1000000\n")
    second = reader.read(paths, 102.0, 4_000_000_000, 2)
    assert second is not None
    stats = tracker.update({SYSTEMD_ID: second})[SYSTEMD_ID]
    assert stats.cpu_percent == pytest.approx(50.0)
    assert stats.cpu_limit_percent == pytest.approx(100.0)


def test_v2_network_from_proc(tree: Path) -> None:
    reader = reader_for(tree)
    assert reader.network(4242) == (1500, 250)
    assert reader.network(0) is None
    assert reader.network(999999) is None


# The sampler on the recorded v2 tree, with an engine it must never call


def tree_sampler(tree: Path) -> StatsSampler:
    """Return a cgroup sampler on the tree whose engine is never connected.

    Any Engine API call would raise EngineError, so a passing test shows the
    sampler read only files.
    """
    info = EngineInfo("test", "24.0.0", "1.43", cgroup_version="2", is_local=True)
    return StatsSampler(
        Engine(Endpoint("unix:///nonexistent/docker.sock", "test")),
        info,
        cgroup_root=str(tree / "sys/fs/cgroup"),
        proc_root=str(tree / "proc"),
    )


def test_sampler_reads_v2_tree_without_engine(tree: Path) -> None:
    sampler = tree_sampler(tree)
    samples = sampler.sample(
        [
            (SYSTEMD_ID, 4242, "default"),
            (CGROUPFS_ID, 4242, "host"),
            (CUSTOM_ID, 4343, "container:" + SYSTEMD_ID),
        ]
    )
    assert sampler.source == SOURCE_CGROUP
    assert set(samples) == {SYSTEMD_ID, CGROUPFS_ID, CUSTOM_ID}
    assert samples[SYSTEMD_ID].net_rx == 1500
    assert samples[SYSTEMD_ID].cpu_limit_cores == 0.5
    assert samples[CGROUPFS_ID].net_rx is None
    assert samples[CUSTOM_ID].net_rx is None
    assert samples[CUSTOM_ID].pids == 2


def test_sampler_unknown_cgroup_falls_back_to_api(tree: Path) -> None:
    sampler = tree_sampler(tree)
    unknown = "dddd" * 16
    with pytest.raises(EngineError) as raised:
        sampler.sample([(unknown, 5555, "default")])
    assert raised.value.kind is ErrorKind.NO_SOCKET


def test_sampler_keeps_cgroup_samples_when_api_fails(tree: Path) -> None:
    sampler = tree_sampler(tree)
    unknown = "dddd" * 16
    mixed = sampler.sample([(unknown, 5555, "default"), (SYSTEMD_ID, 4242, "none")])
    assert set(mixed) == {SYSTEMD_ID}
    assert sampler.source == SOURCE_MIXED


def test_sampler_without_cgroups_uses_api(tmp_path: Path) -> None:
    info = EngineInfo("test", "24.0.0", "1.43", cgroup_version="2", is_local=True)
    sampler = StatsSampler(
        Engine(Endpoint("unix:///nonexistent/docker.sock", "test")),
        info,
        cgroup_root=str(tmp_path),
    )
    assert sampler.source == SOURCE_API


def test_in_flight_grows_only_for_slow_engine(tree: Path) -> None:
    sampler = tree_sampler(tree)
    assert sampler.in_flight_for(100) == 8
    assert sampler.in_flight_for(3) == 3
    sampler.request_seconds = 0.01
    assert sampler.in_flight_for(100) == 8
    sampler.request_seconds = 1.0
    assert sampler.in_flight_for(30) == 20
    assert sampler.in_flight_for(300) == 64


def write_v1_tree(root: Path, relative: str) -> None:
    """Write a cgroup v1 container in the layout ``relative`` under ``root``."""
    files = {
        "cpuacct/cpuacct.usage": "2000000000\n",
        "cpu/cpu.cfs_quota_us": "150000\n",
        "cpu/cpu.cfs_period_us": "100000\n",
        "memory/memory.usage_in_bytes": "110100480\n",
        "memory/memory.limit_in_bytes": "9223372036854771712\n",
        "memory/memory.stat": "cache 104857600\ntotal_inactive_file 104857600\n",
        "blkio/blkio.io_service_bytes_recursive": "Total 0\n",
        "blkio/blkio.throttle.io_service_bytes_recursive": (
            "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n"
        ),
        "pids/pids.current": "5\n",
    }
    for name, content in files.items():
        controller, file_name = name.split("/")
        directory = root / controller / relative
        directory.mkdir(parents=True, exist_ok=True)
        (directory / file_name).write_text(content)


@pytest.mark.parametrize(
    "relative", [f"docker/{SYSTEMD_ID}", f"system.slice/docker-{SYSTEMD_ID}.scope"]
)
def test_v1_layouts_read(tmp_path: Path, relative: str) -> None:
    write_v1_tree(tmp_path, relative)
    reader = CgroupReader(1, str(tmp_path), str(DATA / "cgroup_v2/proc"))
    paths = reader.locate(SYSTEMD_ID)
    assert paths is not None
    raw = reader.read(paths, 1.0, None, 2)
    assert raw is not None
    assert raw.cpu_total_ns == 2_000_000_000
    assert raw.cpu_limit_cores == 1.5
    assert raw.mem_inactive_file == 104857600
    assert raw.blk_read == 4096
    assert raw.blk_write == 8192
    assert raw.pids == 5
    stats = StatsTracker(host_memory=25276203008).update({"c": raw})["c"]
    assert stats.mem_limit is None
    assert stats.mem_used == 5 * 2**20
