"""Compare dockertui with lazydocker on N running containers, side by side.

Usage: /tmp/venv/bin/python benchmarks/run.py --n 100 --n 300
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from dataclasses import asdict
from pathlib import Path
from typing import Any

import docker
import report
from fleet import BUSY_COMMAND, Fleet
from measure import Plan, Tool, baseline, run_session

log = logging.getLogger("benchmark")

DEFAULT_DOCKERTUI = "/tmp/venv/bin/dockertui"
DEFAULT_LAZYDOCKER = "/tmp/lzvenv/bin/lazydocker"
ENGINE_URL = "unix:///var/run/docker.sock"


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--n",
        type=int,
        action="append",
        help="number of containers; repeat for several",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds per container count"
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=10.0,
        help="seconds from first render to the idle window",
    )
    parser.add_argument(
        "--window",
        type=float,
        default=30.0,
        help="length of the idle and baseline windows, in seconds",
    )
    parser.add_argument(
        "--refresh-window",
        type=float,
        default=15.0,
        help="seconds to watch the busy row",
    )
    parser.add_argument(
        "--first-render-timeout",
        type=float,
        default=300.0,
        help="seconds to wait for the first container name",
    )
    parser.add_argument(
        "--dockertui", default=DEFAULT_DOCKERTUI, help="dockertui executable"
    )
    parser.add_argument(
        "--markdown",
        default="BENCHMARKS.md",
        help="Markdown report to write at the end (default BENCHMARKS.md)",
    )
    parser.add_argument(
        "--lazydocker", default=DEFAULT_LAZYDOCKER, help="lazydocker executable"
    )
    parser.add_argument(
        "--out", default="benchmarks/results.json", help="JSON file for the raw figures"
    )
    return parser.parse_args()


def tool_env(home: Path) -> dict[str, str]:
    """Return an environment whose home and XDG directories are all under ``home``."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "DOCKER_HOST": ENGINE_URL,
    }
    for kind in ("CONFIG", "STATE", "CACHE", "DATA"):
        path = home / kind.lower()
        path.mkdir(exist_ok=True)
        env[f"XDG_{kind}_HOME"] = str(path)
    return env


def make_tools(args: argparse.Namespace, scratch: Path) -> list[Tool]:
    """Describe the two dashboards, each with a home directory of its own."""
    tools = []
    for name, executable in (
        ("dockertui", args.dockertui),
        ("lazydocker", args.lazydocker),
    ):
        path = shutil.which(executable)
        if path is None:
            sys.exit(f"benchmark: executable not found: {executable}")
        home = scratch / name
        home.mkdir()
        tools.append(Tool(name, [path], tool_env(home)))
    return tools


def bench_count(
    count: int, args: argparse.Namespace, tools: list[Tool], fleet: Fleet
) -> list[dict[str, Any]]:
    """Start ``count`` containers, run the rounds, and remove the containers."""
    names = [f"0bench-{i:03d}" for i in range(count)]
    started = time.monotonic()
    fleet.run_many(names)
    fleet.run("0abusy", BUSY_COMMAND)
    log.info("started %d containers in %.1f s", count + 1, time.monotonic() - started)
    plan = Plan(
        names[0],
        "0abusy",
        args.warmup,
        args.window,
        args.refresh_window,
        args.first_render_timeout,
    )
    rounds = []
    try:
        for number in range(1, args.rounds + 1):
            rounds.append(run_round(number, count, plan, tools, fleet))
    finally:
        fleet.remove_all()
    return rounds


def run_round(
    number: int, count: int, plan: Plan, tools: list[Tool], fleet: Fleet
) -> dict[str, Any]:
    """Run the baseline window, then each tool, and remove the new containers."""
    results: dict[str, Any] = {}
    result = baseline(plan.window)
    results["baseline"] = asdict(result)
    log.info("N=%d round %d baseline: %s", count, number, results["baseline"])
    for tool in tools:
        new_name = f"0anew-{count}-{number}-{tool.name}"
        before = set(fleet.ids)
        result = run_session(tool, plan, fleet, new_name)
        fleet.remove(fleet.ids - before)
        results[tool.name] = asdict(result)
        log.info("N=%d round %d %s: %s", count, number, tool.name, results[tool.name])
    return results


def main() -> None:
    """Run the benchmark for every requested count and print the tables."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    args = parse_args()
    counts = args.n or [100, 300]
    signal.signal(signal.SIGTERM, _raise_interrupt)
    # A shell starts background jobs with SIGINT ignored, and Python keeps that.
    signal.signal(signal.SIGINT, _raise_interrupt)
    client = docker.DockerClient(base_url=ENGINE_URL, timeout=120)
    fleet = Fleet(client, uuid.uuid4().hex[:12])
    output: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    }
    with tempfile.TemporaryDirectory(prefix="dockertui-bench-") as scratch:
        tools = make_tools(args, Path(scratch))
        try:
            for count in counts:
                rounds = bench_count(count, args, tools, fleet)
                summary = report.summarize(rounds, [t.name for t in tools])
                output[str(count)] = {"rounds": rounds, "summary": summary}
                Path(args.out).write_text(json.dumps(output, indent=2))
                print(f"\nN={count}, {len(rounds)} rounds, medians:")
                print(report.table(summary, "dockertui", "lazydocker"))
        finally:
            removed = fleet.remove_all()
            log.info("removed %d leftover benchmark containers", removed)
    command = "bash benchmarks/run " + " ".join(sys.argv[1:])
    report.write_markdown(
        output, Path(args.markdown), command.strip(), args.lazydocker, sys.executable
    )
    print(f"wrote {args.markdown}")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


if __name__ == "__main__":
    main()
