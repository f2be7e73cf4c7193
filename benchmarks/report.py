"""Medians, ratios and targets of the benchmark, as a Markdown table."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# metric, label, unit, maximum allowed dockertui/lazydocker ratio (None: no target)
METRICS: tuple[tuple[str, str, str, float | None], ...] = (
    ("first_render_s", "first render of a container name", "s", 1.5),
    ("input_ready_s", "  full interface reading keys", "s", None),
    ("cpu_s", "program CPU over the idle window", "s", 0.5),
    ("engine_cpu_s", "engine CPU caused (minus baseline)", "s", 0.25),
    ("peak_rss_mib", "peak RSS", "MiB", None),
    ("term_bytes_per_s", "terminal output while idle", "B/s", 0.5),
    ("new_container_s", "new container on screen", "s", None),
    ("new_container_api_s", "  of which the `run` API call", "s", None),
    ("new_container_after_api_s", "  after the `run` call returned", "s", None),
    ("row_refresh_s", "busy container row redrawn every", "s", None),
    ("load_average", "1-minute load average at start", "", None),
)


def median(values: Sequence[float | None]) -> float | None:
    """Return the median of the values that are not None, or None if none are."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def engine_caused(rounds: list[dict[str, Any]], tool: str) -> list[float | None]:
    """Return, per round, the tool's engine CPU minus the same round's baseline."""
    caused: list[float | None] = []
    for round_results in rounds:
        own = round_results[tool]["engine_cpu_s"]
        base = round_results["baseline"]["engine_cpu_s"]
        caused.append(None if own is None or base is None else own - base)
    return caused


def summarize(rounds: list[dict[str, Any]], tools: Sequence[str]) -> dict[str, Any]:
    """Return the median of every metric for every tool."""
    summary: dict[str, Any] = {}
    for tool in tools:
        figures = {}
        for metric, *_ in METRICS:
            if metric == "engine_cpu_s":
                figures[metric] = median(engine_caused(rounds, tool))
            else:
                figures[metric] = median([r[tool].get(metric) for r in rounds])
        summary[tool] = figures
    summary["baseline_engine_cpu_s"] = median(
        [r["baseline"]["engine_cpu_s"] for r in rounds]
    )
    return summary


def _cell(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "B/s" or abs(value) >= 100:
        return f"{value:,.0f} {unit}".strip()
    return f"{value:.3g} {unit}".strip()


def table(summary: dict[str, Any], ours: str, theirs: str) -> str:
    """Format the medians, the ratio ours/theirs and whether each target is met."""
    lines = [
        f"| metric (median) | {ours} | {theirs} | ratio | target | met |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for metric, label, unit, limit in METRICS:
        mine, other = summary[ours][metric], summary[theirs][metric]
        ratio = None
        # A ratio to zero or to a negative figure (noise) means nothing.
        if mine is not None and other is not None and other > 0:
            ratio = mine / other
        ratio_text = "n/a" if ratio is None else f"{ratio:.2f}"
        target = "" if limit is None else f"<= {limit:g}x"
        met = ""
        if limit is not None:
            if ratio is None:
                met = "n/a"
            elif ratio <= limit:
                met = "yes"
            else:
                met = "NO"
        lines.append(
            f"| {label} | {_cell(mine, unit)} | {_cell(other, unit)} "
            f"| {ratio_text} | {target} | {met} |"
        )
    return "\n".join(lines)


ROUND_METRICS = (
    "first_render_s",
    "input_ready_s",
    "cpu_s",
    "engine_cpu_s",
    "peak_rss_mib",
    "term_bytes_per_s",
    "new_container_s",
    "row_refresh_s",
    "load_average",
)


def round_table(rounds: list[dict[str, Any]], tools: Sequence[str]) -> str:
    """Format every round's raw figures, engine CPU before the baseline is taken off."""
    header = ["round", "program", *ROUND_METRICS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for number, round_results in enumerate(rounds, 1):
        for tool in ("baseline", *tools):
            figures = round_results[tool]
            cells = [str(number), tool]
            for metric in ROUND_METRICS:
                value = figures.get(metric)
                if value is None:
                    cells.append("")
                elif abs(value) >= 1000:
                    cells.append(f"{value:.0f}")
                else:
                    cells.append(f"{value:.3g}")
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    """Print the tables of a results file written by run.py."""
    path = sys.argv[1] if len(sys.argv) > 1 else "benchmarks/results.json"
    results = json.loads(Path(path).read_text())
    tools = ("dockertui", "lazydocker")
    for count, figures in results.items():
        if not count.isdigit():
            continue
        rounds = figures["rounds"]
        print(f"\nN={count}, {len(rounds)} rounds, medians:\n")
        print(table(summarize(rounds, tools), *tools))
        print(f"\nN={count}, every round:\n")
        print(round_table(rounds, tools))


if __name__ == "__main__":
    main()


def _command_output(command: list[str]) -> str:
    """Return the first line a command prints, or "unknown" when it fails."""
    import subprocess

    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (result.stdout or result.stderr).strip().splitlines()
    return lines[0] if lines else ""


def machine_lines(lazydocker: str, dockertui_python: str) -> list[str]:
    """Describe the machine and the versions measured, one Markdown item each."""
    import os
    import platform

    import psutil

    memory = psutil.virtual_memory().total / 2**30
    commit = _command_output(["git", "rev-parse", "--short", "HEAD"])
    dirty = _command_output(["git", "status", "--porcelain", "--untracked-files=no"])
    versions = _command_output(
        [
            dockertui_python,
            "-c",
            "import importlib.metadata as m; print('textual', m.version('textual'),"
            " '· docker SDK', m.version('docker'))",
        ]
    )
    return [
        f"- {os.cpu_count()} CPUs, {memory:.1f} GiB memory, Linux "
        f"{platform.release()}; load average at the end {os.getloadavg()[0]:.2f}",
        "- Docker Engine "
        + _command_output(
            [
                "docker",
                "version",
                "--format",
                "{{.Server.Version}} (API {{.Server.APIVersion}})",
            ]
        ),
        f"- dockertui at commit {commit}"
        + (" with uncommitted changes" if dirty not in ("", "unknown") else "")
        + f"; {versions}",
        f"- lazydocker: {_command_output([lazydocker, '--version'])}",
    ]


def write_markdown(
    results: dict[str, Any], path: Path, command: str, lazydocker: str, python: str
) -> None:
    """Write BENCHMARKS.md: machine, versions, command, and the tables per N."""
    tools = ("dockertui", "lazydocker")
    parts = [
        "# Benchmarks: dockertui and lazydocker side by side",
        "",
        f"Written by `benchmarks/run` on {results.get('started', '?')}. Each "
        "program runs in a 160x48 pseudo-terminal read by pyte, against the same "
        "N running busybox containers, in rounds that alternate a baseline "
        "window (no dashboard), dockertui and lazydocker. Figures are medians "
        "over the rounds; the method is in `benchmarks/README.md`. Absolute "
        "times drift on shared machines, so compare the ratios.",
        "",
        "dockertui's first render is its plain first frame: the container "
        "list, read with one request while Python loads Textual, drawn in the "
        "cells the containers pane will use (`tui/first_frame.py`). The row "
        'below it, "full interface reading keys", is when each program '
        "switched on mouse reporting, that is when its full interface took "
        "over the terminal; keys typed before that wait in the terminal.",
        "",
        "## Machine and versions",
        "",
        *machine_lines(lazydocker, python),
        "",
        "## Command",
        "",
        "```sh",
        command,
        "```",
    ]
    for count, figures in results.items():
        if not count.isdigit():
            continue
        rounds = figures["rounds"]
        parts += [
            "",
            f"## Results, N={count} ({len(rounds)} rounds)",
            "",
            table(summarize(rounds, tools), *tools),
            "",
            "Every round (engine CPU before the baseline is subtracted):",
            "",
            round_table(rounds, tools),
        ]
    path.write_text("\n".join(parts) + "\n")
