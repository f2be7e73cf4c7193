"""The two header lines: which engine, its connection state, and the counts."""

from __future__ import annotations

from dockertui.state.records import EngineInfo
from dockertui.state.store import ContainerCounts
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class EngineHeader(Widget):
    """Show the engine's endpoint and version, the link state and object counts.

    Component classes:
        engineheader--title, engineheader--live, engineheader--down,
        engineheader--running, engineheader--paused, engineheader--stopped,
        engineheader--readonly.
    """

    COMPONENT_CLASSES = {
        "engineheader--title",
        "engineheader--live",
        "engineheader--down",
        "engineheader--running",
        "engineheader--paused",
        "engineheader--stopped",
        "engineheader--readonly",
    }

    DEFAULT_CSS = """
    EngineHeader {
        height: 2;
        background: $panel;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    EngineHeader > .engineheader--title { text-style: bold; color: $text-accent; }
    EngineHeader > .engineheader--live { color: $text-success; }
    EngineHeader > .engineheader--down { color: $text-error; text-style: bold; }
    EngineHeader > .engineheader--running { color: $text-success; }
    EngineHeader > .engineheader--paused { color: $text-warning; }
    EngineHeader > .engineheader--stopped { color: $text-muted; }
    EngineHeader > .engineheader--readonly { color: $text-warning; text-style: bold; }
    """

    endpoint: reactive[str] = reactive("")
    """The engine address, as resolved from flags, environment or context."""

    info: reactive[EngineInfo | None] = reactive(None)
    """The connected engine's version and figures, None before the first connect."""

    link: reactive[str] = reactive("connecting")
    """Connection state in a few words: live, connecting, or why it is down."""

    live: reactive[bool] = reactive(False)
    """True while the event stream is following the engine."""

    counts: reactive[ContainerCounts | None] = reactive(None)
    """Running, paused and stopped container counts, or None before the first list."""

    totals: reactive[tuple[int | None, ...]] = reactive((None, None, None))
    """Image, network and volume counts, with None for a kind not listed yet."""

    stats_note: reactive[str] = reactive("")
    """The source of resource figures and the CPU scale in use."""

    read_only: reactive[bool] = reactive(False)
    """True when actions that change the engine are switched off."""

    def render(self) -> Text:
        """Render both lines."""
        lines = Text("\n").join([self._first_line(), self._second_line()])
        lines.no_wrap = True
        lines.overflow = "ellipsis"
        return lines

    def _style(self, name: str) -> str:
        return str(self.get_component_rich_style(f"engineheader--{name}"))

    def _first_line(self) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append("dockertui ", self._style("title"))
        state_style = self._style("live" if self.live else "down")
        line.append("● " if self.live else "○ ", state_style)
        line.append(self.link, state_style)
        if self.read_only:
            line.append("  READ-ONLY", self._style("readonly"))
        line.append("  ")
        line.append(self.endpoint)
        if self.info is not None:
            line.append(
                f"  Engine {self.info.server_version} · API {self.info.api_version}"
            )
        return line

    def _second_line(self) -> Text:
        counts = self.counts
        line = Text(no_wrap=True, overflow="ellipsis")
        if counts is None:
            line.append("containers not listed yet", self._style("stopped"))
        else:
            line.append(f"▶ {counts.running} running", self._style("running"))
            line.append("  ")
            line.append(f"‖ {counts.paused} paused", self._style("paused"))
            line.append("  ")
            line.append(f"■ {counts.stopped} stopped", self._style("stopped"))
        listed = [
            f"{count} {noun}"
            for count, noun in zip(
                self.totals, ("images", "networks", "volumes"), strict=True
            )
            if count is not None
        ]
        totals = "   " + "  ".join(listed) if listed else ""
        note = f"   {self.stats_note}" if self.stats_note else ""
        width = self.size.width
        if note and width and line.cell_len + len(totals) + len(note) > width:
            # The tabs repeat these counts, but only this line names the CPU scale.
            totals = ""
        line.append(totals)
        line.append(note, self._style("stopped"))
        return line
