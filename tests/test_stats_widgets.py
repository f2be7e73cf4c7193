"""The host bar, stats panel and sparkline, rendered at 80 and 200 columns."""

from __future__ import annotations

from dockertui.state.host import HostFigures
from dockertui.state.stats import ContainerStats
from dockertui.state.stats_format import (
    CPU_OF_HOST,
    CPU_OF_LIMIT,
    DASH,
    STATS_COLUMNS,
    stats_cells,
)
from dockertui.widgets.host_bar import HostBar
from dockertui.widgets.sparkline import HistoryGraph, fit_points, sparkline_text
from dockertui.widgets.stats_panel import StatsPanel
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Label

GIB = 1 << 30
LOCAL = HostFigures(
    is_local=True,
    cpu_count=2,
    engine_version="20.10.24",
    storage_driver="overlay2",
    cgroup_version="1",
    cgroup_driver="cgroupfs",
    cpu_percent=95.0,
    per_cpu_percent=(90.0, 100.0),
    steal_percent=1.5,
    load_average=(1.5, 1.0, 0.5),
    mem_total=24 * GIB,
    mem_available=20 * GIB,
    swap_total=0,
    swap_used=0,
    disk_path="/var/lib/docker",
    disk_total=250 * GIB,
    disk_free=80 * GIB,
)
REMOTE = HostFigures(
    is_local=False,
    cpu_count=8,
    engine_version="27.1.0",
    mem_total=16 * GIB,
    disk_path="/var/lib/docker",
)
STATS = ContainerStats(
    "a" * 64,
    10.0,
    cpu_percent=50.0,
    online_cpus=2,
    cpu_limit_cores=0.5,
    mem_used=3 * (1 << 20),
    mem_limit=64 * (1 << 20),
    mem_percent=4.6875,
    net_rx_rate=1500.0,
    net_tx_rate=None,
    blk_read_rate=0.0,
    blk_write_rate=2048.0,
    pids=4,
)


class HostBarApp(App[None]):
    def __init__(self, figures: HostFigures | None) -> None:
        super().__init__()
        self.figures = figures

    def compose(self) -> ComposeResult:
        bar = HostBar()
        bar.figures = self.figures
        yield bar


class PanelApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatsPanel()


def rendered(app: App[None]) -> str:
    """Return the plain text the host bar draws."""
    result = app.query_one(HostBar).render()
    assert isinstance(result, Text)
    return result.plain


async def test_host_bar_local_at_80_columns() -> None:
    app = HostBarApp(LOCAL)
    async with app.run_test(size=(80, 10)):
        text = rendered(app)
    first, second = text.split("\n")
    assert first.startswith("CPU 95.0%")
    assert "steal 1.5%" in first
    assert "load 1.50 1.00 0.50" in first
    assert "mem 4GiB / 24GiB" in first
    assert "▕" not in first
    assert "engine 20.10.24" in second
    assert "│ overlay2 │ cgroup v1 │" in second
    assert second.endswith("/var/lib/docker 80GiB free")
    assert len(first) <= 80
    assert len(second) <= 80


async def test_host_bar_per_core_blocks_when_wide() -> None:
    app = HostBarApp(LOCAL)
    async with app.run_test(size=(200, 10)):
        text = rendered(app)
    assert "CPU 95.0% ▕▇█▏" in text
    assert "cgroup v1 (cgroupfs)" in text
    assert "/var/lib/docker 80GiB free of 250GiB" in text


async def test_host_bar_remote_shows_engine_figures_only() -> None:
    app = HostBarApp(REMOTE)
    async with app.run_test(size=(120, 10)):
        text = rendered(app)
    assert "CPUs 8" in text
    assert "mem 16GiB" in text
    assert "remote engine's own figures" in text
    assert "load" not in text
    assert "free space unknown" in text


async def test_host_bar_before_first_reading() -> None:
    app = HostBarApp(None)
    async with app.run_test(size=(80, 10)):
        assert "reading" in rendered(app)


def panel_values(app: App[None]) -> list[str]:
    """Return the value labels right of the graphs, top to bottom."""
    return [
        str(label.render()) for label in app.query(".statsgraph--value").results(Label)
    ]


async def test_stats_panel_running_container() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 20)) as pilot:
        panel = app.query_one(StatsPanel)
        history = [
            ContainerStats("a" * 64, float(t), cpu_percent=t * 10.0) for t in range(5)
        ]
        panel.show_stats(
            STATS, [*history, STATS], cpu_mode=CPU_OF_LIMIT, source="cgroup"
        )
        await pilot.pause()
        values = panel_values(app)
        summary = str(app.query_one(".statspanel--summary").render())
        cpu_graph = app.query(HistoryGraph).first()
    assert values == [
        "100.00%",
        "3MiB / 64MiB",
        "1.5kB/s",
        DASH,
        "0B/s",
        "2.05kB/s",
    ]
    assert "CPU limit 0.5 cores" in summary
    assert "from cgroup" in summary
    assert cpu_graph.data == (0.0, 10.0, 20.0, 30.0, 40.0, 100.0)
    assert cpu_graph.maximum == 100.0


async def test_stats_panel_without_figures_shows_dashes() -> None:
    app = PanelApp()
    async with app.run_test(size=(200, 20)) as pilot:
        panel = app.query_one(StatsPanel)
        panel.show_stats(STATS, [STATS])
        panel.show_stats(None, [STATS])
        await pilot.pause()
        values = panel_values(app)
        summary = str(app.query_one(".statspanel--summary").render())
        graphs = [graph.data for graph in app.query(HistoryGraph).results(HistoryGraph)]
    assert values == [DASH] * 6
    assert "waiting for the first figures" in summary
    assert all(data == () for data in graphs)


def test_stats_cells_not_running_all_dashes() -> None:
    assert stats_cells(None) == dict.fromkeys(STATS_COLUMNS, DASH)


def test_stats_cells_running() -> None:
    cells = stats_cells(STATS)
    assert cells["cpu"] == "50.00%"
    assert cells["memory"] == "3MiB / 64MiB"
    assert cells["mem_percent"] == "4.69%"
    assert cells["net_io"] == "1.5kB/s / -"
    assert cells["pids"] == "4"
    assert stats_cells(STATS, CPU_OF_HOST)["cpu"] == "25.00%"


def test_stats_cells_first_sample_dashes_not_zero() -> None:
    first = ContainerStats("b" * 64, 0.0, mem_used=1024, pids=1)
    cells = stats_cells(first)
    assert cells["cpu"] == DASH
    assert cells["net_io"] == DASH
    assert cells["memory"] == "1KiB / no limit"
    assert cells["mem_percent"] == DASH


def test_sparkline_text_width_and_scale() -> None:
    line = sparkline_text([0, 50, 100], 5, maximum=100)
    assert line.plain == "   ▄█"
    assert len(sparkline_text(list(range(40)), 10).plain) == 10
    assert sparkline_text([0, 0, 0], 3).plain == "   "
    assert sparkline_text([1, 1000], 2).plain == "▁█"
    assert sparkline_text([5], 0).plain == ""


def test_fit_points_keeps_peaks_and_newest() -> None:
    assert fit_points([1, 2, 3], 5) == [1, 2, 3]
    assert fit_points([1, 9, 2, 3, 4, 5], 3) == [9, 3, 5]
    assert fit_points([7, 1, 2, 3, 4], 2) == [7, 4]
    assert fit_points([1, 2], 0) == []


async def test_history_graph_zero_based_scale() -> None:
    class GraphApp(App[None]):
        def compose(self) -> ComposeResult:
            yield HistoryGraph()

    app = GraphApp()
    async with app.run_test(size=(10, 3)) as pilot:
        graph = app.query_one(HistoryGraph)
        graph.data = (50.0, 50.0, 100.0)
        graph.maximum = 100.0
        await pilot.pause()
        drawn = graph.render().plain
    assert drawn == "       ▄▄█"
