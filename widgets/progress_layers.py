"""Per-layer and total progress of an image pull or push."""

from __future__ import annotations

from collections.abc import Sequence

from dockertui.state.format import size
from dockertui.state.transfer import LayerProgress
from rich.console import RenderableType
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

BAR_WIDTH = 30
"""Cells of each layer's bar."""


def _bytes(layer: LayerProgress) -> str:
    if layer.total:
        return f"{size(layer.current)} / {size(layer.total)}"
    return ""


class LayerProgressView(Static):
    """A table with one bar per layer and a total bar, updated with ``show``.

    Statuses come from the engine and are shown as plain text.
    """

    DEFAULT_CSS = """
    LayerProgressView {
        height: auto;
    }
    """

    def show(self, layers: Sequence[LayerProgress], fraction: float) -> None:
        """Render ``layers`` and the total ``fraction`` (0.0 to 1.0)."""
        self.update(self.render_table(layers, fraction))

    @staticmethod
    def render_table(
        layers: Sequence[LayerProgress], fraction: float
    ) -> RenderableType:
        """Return the table for ``layers`` and the total ``fraction``."""
        table = Table.grid(padding=(0, 1))
        table.add_column("layer", no_wrap=True)
        table.add_column("status", no_wrap=True, width=20)
        table.add_column("bar", width=BAR_WIDTH)
        table.add_column("bytes", no_wrap=True, justify="right")
        for layer in layers:
            bar = ProgressBar(total=1.0, completed=layer.fraction, width=BAR_WIDTH)
            table.add_row(Text(layer.id), Text(layer.status), bar, Text(_bytes(layer)))
        done = sum(layer.current for layer in layers)
        total = sum(layer.total for layer in layers)
        total_bar = ProgressBar(total=1.0, completed=fraction, width=BAR_WIDTH)
        summary = f"{size(done)} / {size(total)}" if total else f"{fraction:.0%}"
        table.add_row(Text("total", style="bold"), Text(""), total_bar, Text(summary))
        return table
