"""A fixed line source for log screen snapshots: no engine, no clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

from dockertui.state.logbuffer import LineInbox
from dockertui.state.logstream import LogLine, make_line
from dockertui.state.records import ContainerRecord

FROZEN_NOW = datetime(2026, 12, 4, 17, 30, 0, tzinfo=timezone.utc)
BASE_NS = int(FROZEN_NOW.timestamp()) * 1_000_000_000


def fake_lines(count: int = 60) -> list[LogLine]:
    """Lines from two containers, with colours, stderr, markup and a long line."""
    lines: list[LogLine] = []
    for index in range(count):
        source = index % 2
        stream = 2 if index % 7 == 3 else 1
        text = f"request {index} handled in {index * 3 % 97} ms [GET /api/items]"
        if index % 10 == 5:
            text = (
                f"\x1b[31mERROR\x1b[0m worker {index} failed: [bold]not markup[/bold]"
            )
        if index == 40:
            text = "long " + "x" * 150 + " end"
        lines.append(
            make_line(source, stream, BASE_NS - (count - index) * 250_000_000, text)
        )
    return lines


def fake_containers() -> list[ContainerRecord]:
    """Two container records with fixed ids and names."""
    return [
        ContainerRecord(
            id=f"{digit * 64}",
            name=name,
            image="dockertui-test:latest",
            image_id="sha256:" + "c" * 64,
            command="sh",
            state="running",
            status="Up 3 minutes",
            created=FROZEN_NOW,
        )
        for digit, name in (("a", "shop-web-1"), ("b", "shop-db-1"))
    ]


class FakeFeed:
    """Stands in for LogFeed: puts the fixed lines into the inbox on start."""

    def __init__(
        self,
        engine: Any,
        container_ids: list[str],
        inbox: LineInbox,
        run_in_thread: Callable[..., object] | None = None,
    ) -> None:
        self.inbox = inbox
        self.errors: list[str] = []
        self.sources = len(container_ids)
        self.starts: list[tuple[int | None, datetime | None]] = []

    def start(self, tail: int | None, since: datetime | None, limit: int) -> None:
        self.inbox.restart()
        self.starts.append((tail, since))
        lines = [line for line in fake_lines() if line.source < self.sources]
        self.inbox.put(self.inbox.generation, lines)

    def stop(self) -> None:
        self.inbox.restart()

    def ended_count(self) -> int:
        return 0

    def write_whole_log(self, since: Any, path: str, format_line: Any) -> int:
        return 0
