"""One measured session of a dashboard, and one baseline window without any."""

from __future__ import annotations

import os
import re
import statistics
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise

import procstat
from fleet import Fleet
from pty_session import PtySession

COLS, ROWS = 160, 48
NEW_CONTAINER_TIMEOUT = 15.0
ROW_POLL_SECONDS = 0.05
FILTER_TEXT = "0a"
FILTER_TIMEOUT = 10.0
PERCENT = re.compile(r"\d+(?:\.\d+)?%")


@dataclass
class Tool:
    """A dashboard under test: its command line and environment."""

    name: str
    argv: list[str]
    env: Mapping[str, str]


@dataclass
class Plan:
    """Names a session waits for, and the length of each phase in seconds."""

    target_name: str
    busy_name: str
    warmup: float
    window: float
    refresh_window: float
    first_render_timeout: float


@dataclass
class Result:
    """Figures from one session, with None where a wait timed out."""

    tool: str
    first_render_s: float | None = None
    input_ready_s: float | None = None
    cpu_s: float | None = None
    engine_cpu_s: float | None = None
    peak_rss_mib: float | None = None
    term_bytes_per_s: float | None = None
    new_container_s: float | None = None
    new_container_api_s: float | None = None
    new_container_after_api_s: float | None = None
    row_refresh_s: float | None = None
    row_change_intervals: list[float] = field(default_factory=list)
    load_average: float = 0.0
    stopped_by: str = ""
    notes: list[str] = field(default_factory=list)


def baseline(window: float) -> Result:
    """Measure engine CPU over a window with no dashboard running."""
    result = Result("baseline", load_average=os.getloadavg()[0])
    before = procstat.snapshot(procstat.engine_processes())
    time.sleep(window)
    after = procstat.snapshot(procstat.engine_processes())
    result.engine_cpu_s = procstat.cpu_delta(before, after)
    return result


def run_session(tool: Tool, plan: Plan, fleet: Fleet, new_name: str) -> Result:
    """Launch ``tool`` in a pty, measure it, and always end it by its pid."""
    result = Result(tool.name, load_average=os.getloadavg()[0])
    session = PtySession(tool.argv, tool.env, COLS, ROWS)
    try:
        shown = session.wait_for(plan.target_name, plan.first_render_timeout)
        if shown is None:
            result.notes.append(f"{plan.target_name} not on screen in time")
        else:
            result.first_render_s = shown - session.started
        time.sleep(plan.warmup)
        if session.mouse_mode_at is not None:
            result.input_ready_s = session.mouse_mode_at - session.started
        _measure_idle(session, plan, result)
        result.peak_rss_mib = procstat.peak_rss_bytes(session.pid) / 2**20
        if _apply_filter(session, plan.busy_name, result):
            _measure_row_refresh(session, plan, result)
            _measure_new_container(session, fleet, new_name, result)
        result.peak_rss_mib = procstat.peak_rss_bytes(session.pid) / 2**20
    finally:
        result.stopped_by = session.stop()
        if session.feed_errors:
            result.notes.append(f"pyte rejected {session.feed_errors} chunks")
    return result


def _measure_idle(session: PtySession, plan: Plan, result: Result) -> None:
    """Measure program CPU, engine CPU and terminal bytes over the idle window."""
    program_before = procstat.snapshot(procstat.process_tree(session.pid))
    engine_before = procstat.snapshot(procstat.engine_processes())
    bytes_before, started = session.bytes_read, time.monotonic()
    time.sleep(plan.window)
    elapsed = time.monotonic() - started
    program_after = procstat.snapshot(procstat.process_tree(session.pid))
    engine_after = procstat.snapshot(procstat.engine_processes())
    result.cpu_s = procstat.cpu_delta(program_before, program_after)
    result.engine_cpu_s = procstat.cpu_delta(engine_before, engine_after)
    result.term_bytes_per_s = (session.bytes_read - bytes_before) / elapsed


def _apply_filter(session: PtySession, busy_name: str, result: Result) -> bool:
    """Filter the container list by name so that only bench rows starting 0a show.

    Both programs open a name filter with "/" and apply it with Enter. Other
    sessions on the same engine add and remove containers, so without the
    filter their rows could push the watched rows off the screen.
    """
    for keys in (b"/", FILTER_TEXT.encode(), b"\r"):
        session.send(keys)
        time.sleep(0.5)
    if session.wait_for(busy_name, FILTER_TIMEOUT) is None:
        result.notes.append(f"{busy_name} not on screen after filtering")
        return False
    return True


def _measure_row_refresh(session: PtySession, plan: Plan, result: Result) -> None:
    """Time how often the CPU figure on the busy container's row changes."""
    changes = _watch_cpu_cell(
        session, plan.busy_name, time.monotonic() + plan.refresh_window
    )
    intervals = [later - earlier for earlier, later in pairwise(changes)]
    result.row_change_intervals = [round(i, 3) for i in intervals]
    if intervals:
        result.row_refresh_s = statistics.median(intervals)
    else:
        result.notes.append(f"CPU figure of {plan.busy_name} never changed")


def _cpu_cell(line: str | None, name: str) -> str | None:
    """Return the first percentage after ``name`` on a screen row."""
    if line is None:
        return None
    match = PERCENT.search(line, line.index(name) + len(name))
    return match.group() if match else None


def _watch_cpu_cell(session: PtySession, name: str, deadline: float) -> list[float]:
    """Return the times at which the CPU figure on the row of ``name`` changed."""
    changes: list[float] = []
    previous = _cpu_cell(session.find_line(name), name)
    while time.monotonic() < deadline:
        time.sleep(ROW_POLL_SECONDS)
        current = _cpu_cell(session.find_line(name), name)
        if current != previous:
            changes.append(time.monotonic())
            previous = current
    return changes


def _measure_new_container(
    session: PtySession, fleet: Fleet, name: str, result: Result
) -> None:
    """Start a labelled container and time until its name is on screen."""
    started = time.monotonic()
    fleet.run(name)
    result.new_container_api_s = time.monotonic() - started
    shown = session.wait_for(name, NEW_CONTAINER_TIMEOUT)
    if shown is None:
        result.notes.append(f"{name} not on screen within {NEW_CONTAINER_TIMEOUT} s")
        return
    result.new_container_s = shown - started
    result.new_container_after_api_s = shown - started - result.new_container_api_s
