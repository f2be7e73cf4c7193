"""The stats sampler against the real engine, with both sources side by side.

Each test samples the same containers over the same two seconds with the
cgroup source and with the Engine API source, and checks both.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from dockertui.engine.client import Engine
from dockertui.engine.pooling import share_one_pool
from dockertui.engine.stats import SOURCE_API, SOURCE_CGROUP, StatsSampler
from dockertui.state.records import EngineInfo
from dockertui.state.stats import RawSample
from stats_fixtures import (
    SOCKET,
    SPIN,
    SPIN_THREE,
    MakeContainer,
    make_stats_container,
    measure,
    measure_with_reference,
    open_sockets,
    running_entry,
    stats_engine,
    stats_info,
    wait_for,
)

__all__ = ["make_stats_container", "stats_engine", "stats_info"]

pytestmark = pytest.mark.engine

MIB = 1 << 20


@pytest.fixture
def samplers(
    stats_engine: Engine, stats_info: EngineInfo
) -> Iterator[list[StatsSampler]]:
    """A cgroup sampler and an Engine API sampler on the same engine."""
    pair = [
        StatsSampler(stats_engine, stats_info, use_cgroups=True),
        StatsSampler(stats_engine, stats_info, use_cgroups=False),
    ]
    yield pair
    for sampler in pair:
        sampler.close()


def test_sources_reported(samplers: list[StatsSampler]) -> None:
    cgroup_sampler, api_sampler = samplers
    assert cgroup_sampler.source == SOURCE_CGROUP
    assert api_sampler.source == SOURCE_API


def test_remote_engine_uses_api(stats_engine: Engine, stats_info: EngineInfo) -> None:
    remote = dataclasses.replace(stats_info, is_local=False)
    sampler = StatsSampler(stats_engine, remote, use_cgroups=True)
    assert sampler.source == SOURCE_API
    assert sampler.cpu_count == 0


# Other processes on a shared test host take CPU time from the spinners, so
# each test expects what the host had left for the container, measured from
# /proc/stat: on a quiet host that is the full demand. That estimate moves
# with bursts of other load, so it gets 20 points of slack. The check against
# the container's own /proc counters over the same window keeps 10.
EXPECTED_SLACK = 20


def test_one_spinner_reads_one_core(
    stats_engine: Engine,
    stats_info: EngineInfo,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    container_id = make_stats_container(SPIN)
    window = measure_with_reference(stats_engine, samplers, container_id)
    expected = window.expected(100, stats_info.cpu_count)
    for stats in window.measured:
        assert stats.cpu_percent is not None
        assert abs(stats.cpu_percent - expected) <= EXPECTED_SLACK
        assert abs(stats.cpu_percent - window.reference) <= 10


def test_three_spinners_fill_the_host(
    stats_engine: Engine,
    stats_info: EngineInfo,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    container_id = make_stats_container(SPIN_THREE)
    window = measure_with_reference(stats_engine, samplers, container_id)
    expected = window.expected(300, stats_info.cpu_count)
    for stats in window.measured:
        assert stats.cpu_percent is not None
        assert abs(stats.cpu_percent - expected) <= EXPECTED_SLACK
        assert abs(stats.cpu_percent - window.reference) <= 10
        assert stats.cpu_host_percent == pytest.approx(
            stats.cpu_percent / stats_info.cpu_count
        )


def test_half_cpu_limit_reads_half_a_core(
    stats_engine: Engine,
    stats_info: EngineInfo,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    container_id = make_stats_container(SPIN, nano_cpus=500_000_000)
    window = measure_with_reference(stats_engine, samplers, container_id)
    expected = window.expected(50, stats_info.cpu_count)
    for stats in window.measured:
        assert stats.cpu_percent is not None
        assert abs(stats.cpu_percent - expected) <= EXPECTED_SLACK
        assert abs(stats.cpu_percent - window.reference) <= 10
        assert stats.cpu_limit_cores == pytest.approx(0.5)
        assert stats.cpu_limit_percent == pytest.approx(stats.cpu_percent / 0.5)


def test_page_cache_not_counted_and_limit_shown(
    stats_engine: Engine,
    stats_info: EngineInfo,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    writer = ["sh", "-c", "dd if=/dev/zero of=/cache.bin bs=1M count=100; sleep 600"]
    unlimited = make_stats_container(writer)
    limited = make_stats_container(mem_limit="64m")
    wait_for(lambda: "records out" in stats_engine.api.logs(unlimited).decode())
    running = [
        running_entry(stats_engine, unlimited),
        running_entry(stats_engine, limited),
    ]
    for sampler in samplers:
        raw = sampler.sample(running)[unlimited]
        assert raw.mem_usage is not None
        assert raw.mem_usage >= 100 * MIB
    for figures in measure(samplers, running, 0.5, stats_info.memory_bytes):
        written = figures[unlimited]
        assert written.mem_used is not None
        assert written.mem_used < 20 * MIB
        assert written.mem_limit is None
        assert written.mem_percent is None
        assert figures[limited].mem_limit == 64 * MIB
        assert figures[limited].mem_percent is not None


@pytest.mark.parametrize("mode", ["none", "host", "container"])
def test_network_modes_without_own_namespace(
    mode: str,
    stats_engine: Engine,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    if mode == "container":
        other = make_stats_container()
        mode = f"container:{other}"
    container_id = make_stats_container(network_mode=mode)
    entry = running_entry(stats_engine, container_id)
    assert entry[2] == mode
    for figures in measure(samplers, [entry], 0.5):
        stats = figures[container_id]
        assert stats.net_rx_rate is None
        assert stats.net_tx_total is None
        assert stats.mem_used is not None


def test_bridge_network_counts_traffic(
    stats_engine: Engine,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    container_id = make_stats_container()
    entry = running_entry(stats_engine, container_id)
    for figures in measure(samplers, [entry], 0.5):
        stats = figures[container_id]
        assert stats.net_rx_total is not None
        assert stats.net_rx_rate is not None


def test_not_running_containers_never_break_sampler(
    stats_engine: Engine,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    created = make_stats_container(start=False)
    stopped = make_stats_container(["true"])
    restarting = make_stats_container(
        ["sh", "-c", "exit 3"], restart_policy={"Name": "always"}
    )
    wait_for(
        lambda: (
            stats_engine.inspect("container", stopped)["State"]["Status"] == "exited"
        )
    )
    running = [
        (created, 0, "default"),
        (stopped, 0, "default"),
        (restarting, 0, "default"),
        ("0" * 64, 0, "default"),
    ]
    for _ in range(3):
        for sampler in samplers:
            samples = sampler.sample(running)
            assert created not in samples
            assert stopped not in samples
            assert "0" * 64 not in samples
        time.sleep(0.3)


def test_restart_keeps_network_figures(
    stats_engine: Engine,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    container_id = make_stats_container()
    entry = running_entry(stats_engine, container_id)
    before = samplers[0].sample([entry])[container_id]
    stats_engine.api.restart(container_id, timeout=0)
    after = samplers[0].sample([entry])[container_id]
    assert before.net_rx is not None
    assert after.net_rx is not None
    assert after.cpu_total_ns is not None
    assert before.cpu_total_ns is not None


def test_api_requests_bounded(
    stats_engine: Engine, stats_info: EngineInfo, make_stats_container: MakeContainer
) -> None:
    running = [running_entry(stats_engine, make_stats_container()) for _ in range(6)]
    sampler = StatsSampler(stats_engine, stats_info, use_cgroups=False, max_in_flight=2)
    try:
        samples = sampler.sample(running)
        threads = [t for t in threading.enumerate() if t.name.startswith("stats")]
    finally:
        sampler.close()
    assert len(samples) == 6
    assert 1 <= len(threads) <= 2


def test_docker_py_pools_per_url(
    stats_engine: Engine, make_stats_container: MakeContainer
) -> None:
    """docker-py 7.1 keys Unix-socket pools by URL, which share_one_pool undoes.

    When this fails, docker-py pools by host and share_one_pool can go.
    """
    import docker

    container_ids = [make_stats_container() for _ in range(3)]
    plain = docker.APIClient(base_url=SOCKET, version="auto")
    shared = docker.APIClient(base_url=SOCKET, version="auto")
    try:
        assert share_one_pool(shared, 4) == 1
        for container_id in container_ids:
            plain.inspect_container(container_id)
            shared.inspect_container(container_id)
        assert len(plain.adapters["http+docker://"].pools) >= 3
        assert len(shared.adapters["http+docker://"].pools) == 1
    finally:
        plain.close()
        shared.close()


def test_api_sweep_opens_few_sockets(
    stats_engine: Engine, stats_info: EngineInfo, make_stats_container: MakeContainer
) -> None:
    running = [running_entry(stats_engine, make_stats_container()) for _ in range(6)]
    sockets_before = open_sockets()
    sampler = StatsSampler(stats_engine, stats_info, use_cgroups=False, max_in_flight=3)
    try:
        assert len(sampler.sample(running)) == 6
        sockets_during = open_sockets()
    finally:
        sampler.close()
    assert sockets_during - sockets_before <= 4


def test_run_paces_sweeps(
    stats_engine: Engine, stats_info: EngineInfo, make_stats_container: MakeContainer
) -> None:
    running = [running_entry(stats_engine, make_stats_container())]
    sampler = StatsSampler(stats_engine, stats_info, interval=0.4)
    stop = threading.Event()
    sweeps: list[dict[str, RawSample]] = []

    def deliver(samples: dict[str, RawSample]) -> None:
        sweeps.append(samples)
        if len(sweeps) == 3:
            stop.set()

    started = time.monotonic()
    try:
        sampler.run(lambda: running, deliver, stop)
    finally:
        sampler.close()
    elapsed = time.monotonic() - started
    assert len(sweeps) == 3
    assert 0.75 <= elapsed <= 2.0


CLI_LINE = re.compile(r"^(\S+)\s+([\d.]+)%\s+([\d.]+)(\w+)\s*/")
UNITS = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}


def test_figures_agree_with_docker_stats(
    stats_engine: Engine,
    samplers: list[StatsSampler],
    make_stats_container: MakeContainer,
) -> None:
    # The second dd keeps a 40 MB buffer in memory while it copies, so the
    # memory figure is large and steady enough for a 10 % comparison.
    writer = [
        "sh",
        "-c",
        "dd if=/dev/zero of=/cache.bin bs=1M count=50;"
        " dd if=/dev/zero of=/dev/null bs=40M count=1000000000",
    ]
    # A CPU limit keeps the spinner at half a core whatever else runs, so the
    # CLI's window and the sampler's window see the same rate.
    container_id = make_stats_container(writer, nano_cpus=500_000_000)
    wait_for(lambda: "records out" in stats_engine.api.logs(container_id).decode())
    running = [running_entry(stats_engine, container_id)]

    cli = subprocess.Popen(
        [
            "/usr/bin/docker",
            "stats",
            "--no-stream",
            "--format",
            "{{.ID}} {{.CPUPerc}} {{.MemUsage}}",
            container_id,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    ours = measure(samplers, running)
    output, _ = cli.communicate(timeout=20)

    match = CLI_LINE.match(output.strip())
    assert match, output
    cli_cpu = float(match.group(2))
    cli_memory = float(match.group(3)) * UNITS[match.group(4)]
    for figures in ours:
        stats = figures[container_id]
        assert stats.cpu_percent is not None
        assert stats.mem_used is not None
        assert abs(stats.cpu_percent - cli_cpu) <= 10
        assert abs(stats.mem_used - cli_memory) <= 0.1 * cli_memory
