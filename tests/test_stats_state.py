"""Unit tests of the stats arithmetic in dockertui.state.stats (no engine needed)."""

from __future__ import annotations

import pytest
from dockertui.state.stats import (
    ContainerStats,
    RawSample,
    StatsTracker,
    cpu_percent,
    memory_limit,
    memory_used,
    series,
)

GIB = 1 << 30
SECOND_NS = 1_000_000_000


def sample(t: float, **fields: object) -> RawSample:
    """Build a sample at ``t`` seconds with two CPUs and the given counters."""
    defaults: dict[str, object] = {"online_cpus": 2}
    defaults.update(fields)
    return RawSample(timestamp=t, **defaults)  # type: ignore[arg-type]


def test_cpu_percent_one_busy_core_of_two() -> None:
    # Two CPUs over 2 s give 4 s of system time; one busy core uses 2 s of it.
    before = sample(0, cpu_total_ns=0, system_ns=0)
    after = sample(2, cpu_total_ns=2 * SECOND_NS, system_ns=4 * SECOND_NS)
    assert cpu_percent(after, before) == pytest.approx(100.0)


def test_cpu_percent_first_sample_is_none() -> None:
    assert cpu_percent(sample(0, cpu_total_ns=5, system_ns=5), None) is None


def test_cpu_percent_counter_backwards_is_none() -> None:
    before = sample(0, cpu_total_ns=9 * SECOND_NS, system_ns=10 * SECOND_NS)
    after = sample(2, cpu_total_ns=SECOND_NS, system_ns=14 * SECOND_NS)
    assert cpu_percent(after, before) is None


def test_cpu_percent_without_online_cpus_uses_fallback() -> None:
    before = sample(0, online_cpus=None, cpu_total_ns=0, system_ns=0)
    after = sample(1, online_cpus=None, cpu_total_ns=SECOND_NS, system_ns=4 * SECOND_NS)
    assert cpu_percent(after, before) is None
    assert cpu_percent(after, before, fallback_cpus=4) == pytest.approx(100.0)


def test_cpu_percent_zero_system_delta_is_none() -> None:
    before = sample(0, cpu_total_ns=0, system_ns=7)
    after = sample(1, cpu_total_ns=0, system_ns=7)
    assert cpu_percent(after, before) is None


def test_cpu_percent_idle_container_is_zero() -> None:
    before = sample(0, cpu_total_ns=5, system_ns=0)
    after = sample(1, cpu_total_ns=5, system_ns=2 * SECOND_NS)
    assert cpu_percent(after, before) == 0.0


def test_memory_used_subtracts_inactive_file() -> None:
    raw = sample(0, mem_usage=110 * 2**20, mem_inactive_file=100 * 2**20)
    assert memory_used(raw) == 10 * 2**20


def test_memory_used_keeps_usage_when_inactive_is_larger() -> None:
    raw = sample(0, mem_usage=100, mem_inactive_file=500)
    assert memory_used(raw) == 100


def test_memory_used_without_usage_is_none() -> None:
    assert memory_used(sample(0, mem_inactive_file=5)) is None


@pytest.mark.parametrize(
    ("limit", "host", "expected"),
    [
        (64 * 2**20, 24 * GIB, 64 * 2**20),
        (24 * GIB, 24 * GIB, None),
        (9223372036854771712, 0, None),
        (None, 24 * GIB, None),
        (0, 24 * GIB, None),
    ],
)
def test_memory_limit_cases(limit: int | None, host: int, expected: int | None) -> None:
    assert memory_limit(sample(0, mem_limit=limit), host) == expected


def test_tracker_first_sample_has_memory_but_no_rates() -> None:
    tracker = StatsTracker(host_cpus=2, host_memory=24 * GIB)
    stats = tracker.update(
        {"a": sample(0, cpu_total_ns=0, system_ns=0, mem_usage=2048, net_rx=10, pids=3)}
    )["a"]
    assert stats.cpu_percent is None
    assert stats.net_rx_rate is None
    assert stats.mem_used == 2048
    assert stats.pids == 3


def test_tracker_rates_per_second() -> None:
    tracker = StatsTracker(host_cpus=2)
    tracker.update({"a": sample(0, net_rx=0, net_tx=0, blk_read=0, blk_write=0)})
    stats = tracker.update(
        {"a": sample(2, net_rx=2000, net_tx=400, blk_read=4096, blk_write=8192)}
    )["a"]
    assert stats.net_rx_rate == pytest.approx(1000.0)
    assert stats.net_tx_rate == pytest.approx(200.0)
    assert stats.blk_read_rate == pytest.approx(2048.0)
    assert stats.blk_write_rate == pytest.approx(4096.0)


def test_tracker_missing_network_stays_none() -> None:
    tracker = StatsTracker()
    tracker.update({"a": sample(0)})
    stats = tracker.update({"a": sample(1)})["a"]
    assert stats.net_rx_rate is None
    assert stats.net_rx_total is None


def test_tracker_restart_resets_baseline() -> None:
    tracker = StatsTracker()
    tracker.update(
        {"a": sample(0, cpu_total_ns=50 * SECOND_NS, system_ns=0, net_rx=9000)}
    )
    restarted = tracker.update(
        {"a": sample(2, cpu_total_ns=SECOND_NS, system_ns=4 * SECOND_NS, net_rx=10)}
    )["a"]
    assert restarted.cpu_percent is None
    assert restarted.net_rx_rate is None
    after = tracker.update(
        {"a": sample(4, cpu_total_ns=3 * SECOND_NS, system_ns=8 * SECOND_NS, net_rx=30)}
    )["a"]
    assert after.cpu_percent == pytest.approx(100.0)
    assert after.net_rx_rate == pytest.approx(10.0)


def test_tracker_history_is_bounded() -> None:
    tracker = StatsTracker(history_length=5)
    for second in range(12):
        tracker.update({"a": sample(second, mem_usage=second)})
    history = tracker.history("a")
    assert len(history) == 5
    assert [stats.mem_used for stats in history] == [7, 8, 9, 10, 11]


def test_tracker_ignores_sample_not_newer() -> None:
    tracker = StatsTracker()
    tracker.update({"a": sample(5, mem_usage=1)})
    assert tracker.update({"a": sample(5, mem_usage=2)}) == {}
    latest = tracker.latest("a")
    assert latest is not None
    assert latest.mem_used == 1


def test_tracker_retain_forgets_stopped() -> None:
    tracker = StatsTracker()
    tracker.update({"a": sample(0), "b": sample(0)})
    tracker.retain(["a"])
    assert tracker.latest("b") is None
    assert tracker.history("b") == ()
    assert tracker.latest("a") is not None


def test_tracker_memory_percent_only_with_limit() -> None:
    tracker = StatsTracker(host_memory=24 * GIB)
    stats = tracker.update(
        {
            "limited": sample(0, mem_usage=32 * 2**20, mem_limit=64 * 2**20),
            "free": sample(0, mem_usage=32 * 2**20, mem_limit=24 * GIB),
        }
    )
    assert stats["limited"].mem_percent == pytest.approx(50.0)
    assert stats["free"].mem_limit is None
    assert stats["free"].mem_percent is None


def test_cpu_share_of_host_and_of_limit() -> None:
    stats = ContainerStats(
        "a", 0.0, cpu_percent=50.0, online_cpus=2, cpu_limit_cores=0.5
    )
    assert stats.cpu_host_percent == pytest.approx(25.0)
    assert stats.cpu_limit_percent == pytest.approx(100.0)
    unlimited = ContainerStats("b", 0.0, cpu_percent=50.0, online_cpus=2)
    assert unlimited.cpu_limit_percent is None


def test_series_fills_missing_points() -> None:
    history = [
        ContainerStats("a", 0.0, cpu_percent=None),
        ContainerStats("a", 1.0, cpu_percent=40.0),
    ]
    assert series(history, "cpu_percent") == [0.0, 40.0]


def test_state_imports_no_textual_or_docker() -> None:
    import subprocess
    import sys

    code = (
        "import sys, dockertui.state.stats, dockertui.state.host;"
        "print('textual' in sys.modules, 'docker' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert output.split() == ["False", "False"]
