"""Figures and history graphs of the selected container's resource use."""

from __future__ import annotations

from collections.abc import Sequence

from dockertui.state.format import binary_size
from dockertui.state.stats import ContainerStats, series
from dockertui.state.stats_format import (
    CPU_OF_HOST,
    CPU_OF_LIMIT,
    CPU_PER_CORE,
    DASH,
    cpu_value,
    memory_cell,
    percent,
    rate,
)
from dockertui.widgets.sparkline import HistoryGraph
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Label, Static

GRAPHS = (
    ("cpu", "CPU"),
    ("memory", "memory"),
    ("net_rx", "net in"),
    ("net_tx", "net out"),
    ("blk_read", "disk read"),
    ("blk_write", "disk write"),
)
"""Graph rows: the row id and its label."""

SERIES_FIELDS = {
    "memory": "mem_used",
    "net_rx": "net_rx_rate",
    "net_tx": "net_tx_rate",
    "blk_read": "blk_read_rate",
    "blk_write": "blk_write_rate",
}

CPU_MODE_WORDS = {
    CPU_PER_CORE: "100% = 1 core",
    CPU_OF_HOST: "share of host",
    CPU_OF_LIMIT: "share of limit",
}


class StatsGraph(Horizontal):
    """One labelled history graph with the newest value on its right."""

    DEFAULT_CSS = """
    StatsGraph { height: 1; }
    StatsGraph > .statsgraph--label { width: 11; }
    StatsGraph > HistoryGraph { width: 1fr; margin: 0 1 0 0; }
    StatsGraph > .statsgraph--value { width: 22; }
    """

    def __init__(self, label: str, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._label = label

    def compose(self) -> ComposeResult:
        """Add the label, the graph and the value."""
        yield Label(self._label, classes="statsgraph--label")
        yield HistoryGraph()
        yield Label(DASH, classes="statsgraph--value")

    def set_points(
        self, points: Sequence[float], value: str, maximum: float | None = None
    ) -> None:
        """Show ``points`` (oldest first) and the newest value's text.

        ``maximum`` is the value drawn at full height, unless a point is higher.
        """
        graph = self.query_one(HistoryGraph)
        graph.data = tuple(points)
        graph.maximum = maximum
        _update_line(self.query_one(".statsgraph--value", Label), Text(value))


class StatsPanel(Widget):
    """Resource figures of one container and graphs of the last minutes.

    Call ``show_stats`` with the newest figures and the history; pass None
    before the first figures arrive, and every figure shows a dash.
    """

    DEFAULT_CSS = """
    StatsPanel { height: auto; padding: 0 1; }
    StatsPanel > .statspanel--summary {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def compose(self) -> ComposeResult:
        """Add the summary line and one graph per figure."""
        yield Static(DASH, classes="statspanel--summary")
        for graph_id, label in GRAPHS:
            yield StatsGraph(label, id=f"graph-{graph_id}")

    def show_stats(
        self,
        latest: ContainerStats | None,
        history: Sequence[ContainerStats] = (),
        cpu_mode: str = CPU_PER_CORE,
        source: str = "",
    ) -> None:
        """Show the newest figures and the history of one container.

        Args:
            latest: the newest figures, or None before the first ones arrive.
            history: earlier figures, oldest first, the newest included.
            cpu_mode: CPU_PER_CORE, CPU_OF_HOST or CPU_OF_LIMIT.
            source: where the figures come from ("cgroup" or "engine API").
        """
        summary = self.query_one(".statspanel--summary", Static)
        _update_line(summary, summary_text(latest, cpu_mode, source))
        if latest is None:
            history = ()
        values = graph_values(latest, cpu_mode)
        cpu_points = [cpu_value(stats, cpu_mode) or 0.0 for stats in history]
        # A full-height CPU cell is at least one core (or all of the host or
        # limit), so a mostly idle container does not look busy.
        self.query_one("#graph-cpu", StatsGraph).set_points(
            cpu_points, values["cpu"], 100.0
        )
        memory_limit = None if latest is None else latest.mem_limit
        for graph_id, field in SERIES_FIELDS.items():
            graph = self.query_one(f"#graph-{graph_id}", StatsGraph)
            maximum = (
                float(memory_limit) if graph_id == "memory" and memory_limit else None
            )
            graph.set_points(series(history, field), values[graph_id], maximum)


def _update_line(widget: Static, text: Text) -> None:
    """Show ``text`` in a one-line widget, repainting it only when it changed.

    The update skips the layout pass, because a layout pass here repaints
    the whole detail panel on every sweep and a fixed one-line widget never
    changes size.
    """
    if widget.content != text:
        widget.update(text, layout=False)


def graph_values(latest: ContainerStats | None, cpu_mode: str) -> dict[str, str]:
    """Return the value text shown right of each graph."""
    if latest is None:
        return {graph_id: DASH for graph_id, _ in GRAPHS}
    return {
        "cpu": percent(cpu_value(latest, cpu_mode)),
        "memory": memory_cell(latest),
        "net_rx": rate(latest.net_rx_rate),
        "net_tx": rate(latest.net_tx_rate),
        "blk_read": rate(latest.blk_read_rate),
        "blk_write": rate(latest.blk_write_rate),
    }


def summary_text(latest: ContainerStats | None, cpu_mode: str, source: str) -> Text:
    """Build the line above the graphs: limits, PIDs, CPU scale and source."""
    if latest is None:
        # Only running containers show this panel, and their first figures
        # need two readings one sweep apart.
        return Text("waiting for the first figures…")
    parts = [f"CPU {CPU_MODE_WORDS.get(cpu_mode, cpu_mode)}"]
    if latest.cpu_limit_cores:
        parts.append(f"CPU limit {latest.cpu_limit_cores:g} cores")
    if latest.mem_limit is not None:
        parts.append(
            f"memory {percent(latest.mem_percent)} of {binary_size(latest.mem_limit)}"
        )
    else:
        parts.append("no memory limit")
    parts.append(f"PIDs {DASH if latest.pids is None else latest.pids}")
    if source:
        parts.append(f"from {source}")
    return Text("  ·  ".join(parts), no_wrap=True, overflow="ellipsis")
