"""A two-line bar with the engine host's CPU, load, memory, swap and disk."""

from __future__ import annotations

from dockertui.state.format import binary_size
from dockertui.state.host import HostFigures
from dockertui.state.stats_format import DASH
from dockertui.widgets.sparkline import BLOCKS
from rich.text import Text
from textual.geometry import Region
from textual.reactive import reactive
from textual.widget import Widget

WIDE = 120
"""Widths from this many columns get per-core blocks and longer labels."""

HIGH_PERCENT = 90.0
"""Usage at or above which a figure takes the warning style."""

NARROW_SEPARATOR = " │ "
WIDE_SEPARATOR = "  │  "


class HostBar(Widget):
    """Show figures of the engine's host: CPU, load, memory, swap, data-root disk.

    Set ``figures`` to a ``HostFigures`` record. For a remote engine only the
    engine's CPU count and memory are shown, with a note that they come from
    the engine.

    Component classes:
        hostbar--label: the name before each figure.
        hostbar--high: a figure at or above 90 % use.
        hostbar--muted: notes and figures that are unknown.
    """

    COMPONENT_CLASSES = {"hostbar--label", "hostbar--high", "hostbar--muted"}

    DEFAULT_CSS = """
    HostBar {
        height: 2;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    HostBar > .hostbar--label { text-style: bold; }
    HostBar > .hostbar--high { color: $error; text-style: bold; }
    HostBar > .hostbar--muted { color: $text-muted; }
    """

    figures: reactive[HostFigures | None] = reactive(None, repaint=False)
    """The host's latest figures, or None before the first reading."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._drawn: list[Text] = []

    def watch_figures(self) -> None:
        """Repaint only the lines whose text changed.

        The engine line rarely changes, and over SSH every repainted line
        costs bytes on each sweep.
        """
        if not self.is_mounted:
            return
        lines = self._lines()
        if len(lines) != len(self._drawn):
            self.refresh()
            return
        width = self.size.width
        for index, (drawn, line) in enumerate(zip(self._drawn, lines, strict=True)):
            if drawn != line:
                self.refresh(Region(0, index, width, 1))

    def render(self) -> Text:
        """Draw the two lines for the current width."""
        self._drawn = self._lines()
        return Text("\n").join(self._drawn)

    def _lines(self) -> list[Text]:
        figures = self.figures
        if figures is None:
            return [Text("host: reading figures…", style=self._style("muted"))]
        if not figures.is_local:
            first = self._remote_line(figures)
        else:
            first = self._usage_line(figures)
        return [first, self._engine_line(figures)]

    @property
    def _wide(self) -> bool:
        return self.size.width >= WIDE

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"hostbar--{name}", partial=True))

    def _figure(self, text: Text, label: str, value: str, high: bool = False) -> None:
        """Append ``label value`` to a line, with a separator before it."""
        if text.plain:
            separator = WIDE_SEPARATOR if self._wide else NARROW_SEPARATOR
            text.append(separator, style=self._style("muted"))
        if label:
            text.append(f"{label} ", style=self._style("label"))
        text.append(value, style=self._style("high") if high else "")

    def _usage_line(self, figures: HostFigures) -> Text:
        line = Text(no_wrap=True)
        cpu = figures.cpu_percent
        self._figure(
            line,
            "CPU",
            _short_percent(cpu),
            high=cpu is not None and cpu >= HIGH_PERCENT,
        )
        if figures.per_cpu_percent and self._wide:
            line.append(" " + _core_blocks(figures.per_cpu_percent))
        if figures.steal_percent is not None:
            line.append(f" steal {_short_percent(figures.steal_percent)}")
        load = figures.load_average
        self._figure(
            line, "load", DASH if load is None else " ".join(f"{v:.2f}" for v in load)
        )
        self._memory(line, figures)
        return line

    def _memory(self, line: Text, figures: HostFigures) -> None:
        used_percent = figures.mem_percent
        self._figure(
            line,
            "mem",
            f"{binary_size(figures.mem_used)} / {binary_size(figures.mem_total)}",
            high=used_percent is not None and used_percent >= HIGH_PERCENT,
        )
        if figures.swap_total:
            swap = (
                f"{binary_size(figures.swap_used)} / {binary_size(figures.swap_total)}"
            )
        else:
            swap = "none"
        self._figure(line, "swap", swap)

    def _remote_line(self, figures: HostFigures) -> Text:
        line = Text(no_wrap=True)
        self._figure(line, "CPUs", str(figures.cpu_count or DASH))
        self._figure(line, "mem", binary_size(figures.mem_total))
        line.append(
            "  (the remote engine's own figures; this machine's are not shown)",
            style=self._style("muted"),
        )
        return line

    def _engine_line(self, figures: HostFigures) -> Text:
        line = Text(no_wrap=True)
        self._figure(line, "engine", figures.engine_version or DASH)
        if figures.storage_driver:
            label = "storage" if self._wide else ""
            self._figure(line, label, figures.storage_driver)
        if figures.cgroup_version:
            driver = figures.cgroup_driver if self._wide else ""
            self._figure(
                line,
                "cgroup",
                f"v{figures.cgroup_version}" + (f" ({driver})" if driver else ""),
            )
        self._disk(line, figures)
        return line

    def _disk(self, line: Text, figures: HostFigures) -> None:
        if not figures.disk_path:
            return
        if figures.disk_free is None:
            self._figure(line, figures.disk_path, "free space unknown")
            return
        used = figures.disk_used_percent
        free = f"{binary_size(figures.disk_free)} free"
        if self._wide:
            free += f" of {binary_size(figures.disk_total)}"
        self._figure(
            line,
            figures.disk_path,
            free,
            high=used is not None and used >= HIGH_PERCENT,
        )


def _short_percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}%"


def _core_blocks(per_cpu: tuple[float, ...]) -> str:
    """Draw one block per core, its height the core's busy percent."""
    top = len(BLOCKS) - 1
    levels = (max(1, round(min(value, 100.0) / 100.0 * top)) for value in per_cpu)
    return "▕" + "".join(BLOCKS[level] for level in levels) + "▏"
