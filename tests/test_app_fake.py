"""Pilot tests on the fake engine: keys, dialogs, read-only and engine faults.

The fake gives fixed data and states a real engine cannot produce on demand
(dead, removing, unknown); the real-engine tests in test_app_engine.py cover
the same keys against dockerd.
"""

from __future__ import annotations

import threading
from typing import Any

from dockertui.app import DockerTUI
from dockertui.engine.errors import EngineError, ErrorKind
from dockertui.screens.confirm import ConfirmModal
from dockertui.widgets.resource_table import ResourceTable
from fake_engine import CONTAINERS, FROZEN_NOW, IMAGES, FakeEngine
from rich.text import Text

SIZE = (120, 36)


def make_app(engine: FakeEngine | None = None, **options: Any) -> DockerTUI:
    fake = engine or FakeEngine()
    return DockerTUI(fake.endpoint, engine=fake, clock=lambda: FROZEN_NOW, **options)


def container_id(name: str) -> str:
    return next(c["Id"] for c in CONTAINERS if c["Names"][0] == f"/{name}")


async def select(app: DockerTUI, pilot: Any, kind: str, key: str) -> None:
    table = app.main.table(kind)
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def ready(pilot: Any) -> None:
    await pilot.pause(0.2)
    await pilot.pause()


async def settle(app: DockerTUI) -> None:
    """Wait for every worker but the long-lived event stream."""
    workers = [w for w in app.workers if w.group not in ("events", "stats")]
    if workers:
        await app.workers.wait_for_complete(workers)


def cell_texts(table: ResourceTable, key: str) -> list[str]:
    return [
        cell.plain if isinstance(cell, Text) else str(cell)
        for cell in table.get_row(key)
    ]


async def test_lists_every_kind() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert app.main.table("containers").row_count == len(CONTAINERS)
        for key, kind, count in (
            ("2", "images", 5),
            ("3", "networks", 4),
            ("4", "volumes", 2),
        ):
            await pilot.press(key)
            assert app.main.table(kind).row_count == count


async def test_number_keys_switch_panes() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for key, kind in (
            ("2", "images"),
            ("3", "networks"),
            ("4", "volumes"),
            ("1", "containers"),
        ):
            await pilot.press(key)
            assert app.main.current == kind
        await pilot.press("tab")
        assert app.main.current == "images"


async def test_filter_then_escape() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"shop-")
        table = app.main.table("containers")
        assert table.row_count == 2
        await pilot.press("escape")
        assert table.row_count == len(CONTAINERS)


async def test_toggle_running_only() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a")
        table = app.main.table("containers")
        assert table.row_count == 7  # running, restarting and paused
        await pilot.press("a")
        assert table.row_count == len(CONTAINERS)


async def test_sort_cycle_changes_order() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        table = app.main.table("containers")
        await pilot.press("o")
        assert app.main.views["containers"].sort_key == "cpu"
        assert app.main.views["containers"].sort_reverse
        first = table.coordinate_to_cell_key((0, 0)).row_key.value
        assert "▼" in str(table.columns["cpu"].label)
        await pilot.press("O")
        assert not app.main.views["containers"].sort_reverse
        assert table.coordinate_to_cell_key((0, 0)).row_key.value != first
        assert "▲" in str(table.columns["cpu"].label)


async def test_stop_offered_only_when_running() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("batch-import"))
        assert app.main.check_action("stop", ()) is False
        assert app.main.check_action("start", ()) is True
        await select(app, pilot, "containers", container_id("frozen-job"))
        assert app.main.check_action("start", ()) is False
        assert app.main.check_action("pause", ()) is True
        await select(app, pilot, "containers", container_id("odd-one"))
        assert app.main.check_action("start", ()) is False
        assert app.main.check_action("remove", ()) is True


async def test_stop_key_on_running() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.press("s")
        await settle(app)
        assert ("stop", container_id("shop-web"), {"timeout": 10}) in fake.actions


async def test_pause_key_unpauses_paused() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("frozen-job"))
        await pilot.press("p")
        await settle(app)
        assert fake.actions[-1][:2] == ("unpause", container_id("frozen-job"))


async def test_stop_key_on_exited_explains() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("batch-import"))
        await pilot.press("s")
        await pilot.pause()
        assert fake.actions == []
        assert any("exited" in str(n.message) for n in app._notifications)


async def test_remove_running_needs_force() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)  # force not ticked yet
        app.screen.query_one("#option-force").value = True
        await pilot.press("y")
        await settle(app)
        assert fake.actions == [
            ("remove", container_id("shop-web"), {"force": True, "volumes": False})
        ]


async def test_remove_cancel_with_n() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("batch-import"))
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert fake.actions == []


async def test_remove_image_in_use_refused() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await select(app, pilot, "images", IMAGES[1]["Id"] + "|postgres:16")
        await pilot.press("d")
        await pilot.pause()
        # postgres:16 shares the image with redis:7, so this is an untag.
        assert isinstance(app.screen, ConfirmModal)
        assert "untag postgres:16" in "\n".join(app.screen.lines)
        await pilot.press("y")
        await settle(app)
        assert fake.actions == [("remove image", "postgres:16", {"force": False})]


async def test_remove_last_tag_of_running_image() -> None:
    fake = FakeEngine()
    fake.images[0] = dict(fake.images[0], RepoTags=["shop/web:1.4"])
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await select(app, pilot, "images", IMAGES[0]["Id"] + "|shop/web:1.4")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any(
            "used by running containers" in str(n.message) for n in app._notifications
        )
        assert fake.actions == []


async def test_predefined_network_refused() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("3")
        bridge = next(n["Id"] for n in fake.networks if n["Name"] == "bridge")
        await select(app, pilot, "networks", bridge)
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("predefined" in str(n.message) for n in app._notifications)


async def test_volume_in_use_names_users() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await select(app, pilot, "volumes", "shop-data")
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal)
        assert any("shop-web (running)" in str(n.message) for n in app._notifications)


async def test_read_only_hides_and_refuses() -> None:
    fake = FakeEngine()
    app = make_app(fake, read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        for action in ("start", "stop", "restart", "pause", "kill", "remove", "shell"):
            assert app.main.check_action(action, ()) is False
        assert app.main.check_action("inspect", ()) is True
        await pilot.press("s")
        await pilot.press("d")
        await pilot.pause()
        app.main.action_stop()
        app.main.action_remove()
        await settle(app)
        assert fake.actions == []
        messages = [str(n.message) for n in app._notifications]
        assert any(m.startswith("Stop:") and "--read-only" in m for m in messages)
        assert any(m.startswith("Remove:") and "--read-only" in m for m in messages)


async def test_markup_in_names_and_labels_literal() -> None:
    from rich.console import Console

    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        key = container_id("label-[bold]markup[/bold]")
        await select(app, pilot, "containers", key)
        cells = cell_texts(app.main.table("containers"), key)
        assert "label-[bold]markup[/bold]" in cells
        await pilot.pause(0.3)
        body = app.main.query_one("#detail-body")
        console = Console(width=200, record=True, file=open("/dev/null", "w"))
        console.print(body.content)
        detail = console.export_text()
        assert "note=[/x] [bold]not bold[00] 日本語 🐳" in detail
        assert "label-[bold]markup[/bold]" in detail


async def test_unreachable_engine_banner_and_retry() -> None:
    error = EngineError(
        ErrorKind.NO_SOCKET,
        "Cannot connect to the Docker daemon: no socket at /x.",
        "Start it.",
    )
    fake = FakeEngine(unreachable=error)
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        banner = app.main.query_one("#banner")
        assert banner.display
        assert "no socket at /x" in str(banner.render())
        assert not app.connected
        fake.unreachable = None
        await pilot.press("R")
        await pilot.pause(0.3)
        assert app.connected
        assert not banner.display
        assert app.main.table("containers").row_count == len(CONTAINERS)


async def test_engine_lost_keeps_rows_stale() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        fake.unreachable = EngineError(ErrorKind.REFUSED, "Connection refused by x.")
        fake.close_events()
        await pilot.pause(0.3)
        assert app.state.stale
        assert app.main.table("containers").row_count == len(CONTAINERS)
        assert app.main.table("containers").stale
        fake.unreachable = None
        await pilot.press("R")
        await pilot.pause(0.3)
        assert not app.state.stale


async def test_action_rejection_shows_engine_message() -> None:
    class Rejecting(FakeEngine):
        def start_container(self, container_id: str) -> None:
            raise EngineError(
                ErrorKind.CONFLICT,
                "start 05c0ffeec0ff failed: container is marked for removal",
            )

    app = make_app(Rejecting())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("never-started"))
        await pilot.press("u")
        await settle(app)
        await pilot.pause()
        assert any("marked for removal" in str(n.message) for n in app._notifications)
        assert app.is_running


async def test_cursor_stays_on_same_container() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        key = container_id("batch-import")
        await select(app, pilot, "containers", key)
        fake.containers.insert(0, dict(CONTAINERS[0], Id="ff" * 32, Names=["/aaa-new"]))
        fake.containers = [c for c in fake.containers if c["Names"] != ["/cache"]]
        app.load_lists(("containers",))
        await settle(app)
        await pilot.pause()
        table = app.main.table("containers")
        assert table.cursor_key == key
        assert table.row_count == len(CONTAINERS)


async def test_sort_by_cpu_key() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        await pilot.press("c")
        table = app.main.table("containers")
        top = table.shown_keys()[0]
        busiest = max(
            app.stats.tracker._latest.values(), key=lambda s: s.cpu_percent or 0.0
        )
        assert top == busiest.container_id
        stopped = container_id("batch-import")
        assert table.shown_keys().index(stopped) > 6
        assert "-" in cell_texts(table, stopped)


async def test_sort_shows_first_rows() -> None:
    """After a sort the first rows are on screen and selected.

    The cursor starts far down the list.
    """
    app = make_app()
    async with app.run_test(size=(100, 16)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        table = app.main.table("containers")
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        assert table.scroll_y > 0
        for key in ("c", "m", "o", "O"):
            await pilot.press(key)
            await pilot.pause()
            assert table.cursor_row == 0, key
            assert table.scroll_y == 0, key


async def test_help_lists_keys() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        from dockertui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        keys = [row[0] for row in app.screen.rows]
        for key in ("u", "s", "r", "p", "K", "d", "i", "l", "e", "slash", "a"):
            assert key in keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_inspect_shows_json_and_search() -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.press("i")
        await pilot.pause(0.3)
        from dockertui.screens.inspect import InspectScreen

        screen = app.screen
        assert isinstance(screen, InspectScreen)
        assert '"Names"' in screen.text.plain
        await pilot.press("slash", *"8080")
        await pilot.pause()
        assert screen.matches
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, InspectScreen)


async def test_fast_typing_after_slash_goes_to_filter() -> None:
    """Keys sent in one burst after "/" (as a terminal sends a pasted word) must
    land in the filter, never trigger d (remove), e (shell) or m (sort)."""
    from textual.events import Key

    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for character in "/demo":
            key = "slash" if character == "/" else character
            app.post_message(Key(key, character))
        await pilot.pause(0.3)
        assert app.main.views["containers"].filter_text == "demo"
        assert not isinstance(app.screen, ConfirmModal)
        assert app.main.views["containers"].sort_key == "status"
        assert fake.actions == []


async def test_hidden_marked_rows_not_acted_on() -> None:
    """A row marked, then hidden by the filter, must not be paused by p."""
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.press("space")
        assert container_id("shop-web") in app.main.views["containers"].marked
        await pilot.press("slash", *"cache", "enter")
        await pilot.pause()
        await pilot.press("p")
        await settle(app)
        assert fake.actions == [("pause", container_id("cache"), {})]


async def test_kill_asks_first() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.press("K")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert fake.actions == []
        await pilot.press("y")
        await settle(app)
        assert fake.actions == [
            ("kill", container_id("shop-web"), {"signal": "SIGKILL"})
        ]


async def test_marked_stop_asks_and_names_all() -> None:
    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for name in ("shop-web", "shop-db"):
            await select(app, pilot, "containers", container_id(name))
            await pilot.press("space")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        text = "\n".join(app.screen.lines)
        assert "shop-web" in text
        assert "shop-db" in text
        await pilot.press("n")
        await settle(app)
        assert fake.actions == []


async def test_cell_change_repaints_only_its_row() -> None:
    """One changed cell must not repaint the whole table: over SSH every
    repainted line costs bytes, and a stats sweep changes a few cells."""
    from dataclasses import replace

    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        table = app.main.table("containers")
        full: list[tuple[object, ...]] = []
        rows_refreshed: list[int] = []
        original_refresh_row = table.refresh_row

        def spy_refresh(*regions: object, **options: object) -> object:
            if not regions and not table._row_refresh_only:
                full.append(regions)
            return ResourceTable.refresh(table, *regions, **options)

        def spy_refresh_row(index: int) -> object:
            rows_refreshed.append(index)
            return original_refresh_row(index)

        table.refresh = spy_refresh  # type: ignore[method-assign]
        table.refresh_row = spy_refresh_row  # type: ignore[method-assign]
        key = container_id("shop-web")
        rows = [app.main.views["containers"].rows[k] for k in table.shown_keys()]
        changed = [
            replace(row, cells={**row.cells, "status": "Up 4 hours"})
            if row.key == key
            else row
            for row in rows
        ]
        columns = list(table._columns)
        table.show_rows(
            columns,
            changed,
            sort_key=app.main.views["containers"].sort_key,
        )
        assert full == []
        assert rows_refreshed == [table.get_row_index(key)]
        assert "Up 4 hours" in cell_texts(table, key)


async def test_quiet_sweep_repaints_changed_lines() -> None:
    """A sweep whose visible figures are unchanged repaints almost nothing.

    In the sweep, memory a few bytes apart shows the same text, hidden
    columns change, and only the host's CPU figure moves. The terminal must
    get that line and the selected container's graphs. It must not get every
    row of the table, the engine line of the host bar or the detail panel.
    """
    from dataclasses import replace

    from dockertui import messages as msg
    from dockertui.widgets.host_bar import HostBar
    from dockertui.widgets.stats_panel import StatsPanel
    from fake_engine import FakeHostProbe, fixed_samples

    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        second = fixed_samples(fake, second=True)
        third = {
            key: replace(
                sample,
                timestamp=sample.timestamp + 2,
                cpu_total_ns=sample.cpu_total_ns * 2,
                system_ns=sample.system_ns * 2,
                mem_usage=sample.mem_usage + 7,
                net_rx=sample.net_rx * 2,
                net_tx=sample.net_tx * 2,
                blk_write=sample.blk_write * 2,
            )
            for key, sample in second.items()
        }
        host = replace(FakeHostProbe().read(), cpu_percent=12.5)
        painted: set[int] = set()
        original_display = app._display

        def spy_display(screen: object, update: object) -> None:
            painted.update(y for y, _, _ in getattr(update, "spans", ()))
            original_display(screen, update)  # type: ignore[arg-type]

        app._display = spy_display  # type: ignore[method-assign]
        app.post_message(msg.StatsSampled(third, "cgroup", host, app.generation))
        await pilot.pause(0.4)
        bar = app.main.query_one(HostBar)
        graphs = app.main.query_one(StatsPanel)
        allowed = {bar.region.y + bar.styles.padding.top}
        allowed |= set(range(graphs.region.y, graphs.region.bottom))
        assert painted, "the sweep repainted nothing: the spy saw no update"
        assert painted <= allowed, sorted(painted - allowed)


class ReadyQuickList:
    """A start-up list that finished before the app mounted."""

    done = True

    def __init__(self, records: list[Any]) -> None:
        self._records = records

    def records(self, timeout: float | None = 0.0) -> list[Any] | None:
        return self._records


class GatedEngine(FakeEngine):
    """A fake engine whose connection waits until the test opens the gate."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def connect(self) -> Any:
        self.gate.wait(10)
        return super().connect()


async def test_quick_list_rows_before_connect() -> None:
    from dataclasses import replace

    fake = GatedEngine()
    records = fake.list_containers()
    gone = replace(records[0], id="f" * 64, name="removed-meanwhile")
    app = make_app(fake, quick_list=ReadyQuickList([*records, gone]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        table = app.main.table("containers")
        assert not app.connected
        assert table.row_count == len(records) + 1
        assert gone.id in table.shown_keys()
        fake.gate.set()
        for _ in range(50):
            await pilot.pause(0.05)
            if gone.id not in table.shown_keys():
                break
        assert app.connected
        assert gone.id not in table.shown_keys()
        assert table.row_count == len(records)


async def test_graphs_visible_at_80x24() -> None:
    from dockertui.widgets.detail_panel import DetailPanel
    from dockertui.widgets.stats_panel import StatsGraph

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        await select(app, pilot, "containers", container_id("shop-web"))
        await pilot.pause(0.3)
        detail = app.main.query_one(DetailPanel)
        cpu_graph = app.main.query_one("#graph-cpu", StatsGraph)
        assert detail.region.contains_region(cpu_graph.region)


async def test_header_cpu_scale_at_80_columns() -> None:
    from dockertui.widgets.engine_header import EngineHeader

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        header = app.main.query_one(EngineHeader)
        second = header.render().plain.split("\n")[1]
        assert second.endswith("CPU: 100% = 1 core"), second
        assert len(second) <= header.size.width
        await pilot.press("C")
        await pilot.pause(0.1)
        second = header.render().plain.split("\n")[1]
        assert second.endswith("CPU: % of host"), second


async def test_header_totals_when_wide() -> None:
    from dockertui.widgets.engine_header import EngineHeader

    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        second = app.main.query_one(EngineHeader).render().plain.split("\n")[1]
        assert "3 images  4 networks  2 volumes" in second
        assert second.endswith("CPU: 100% = 1 core")


async def test_new_busiest_container_on_top() -> None:
    """A container that becomes the busiest shows in the first row.

    The pane is sorted by CPU with the first rows in view, and the selection
    stays on its container.
    """
    from dataclasses import replace

    from dockertui import messages as msg
    from fake_engine import FakeHostProbe, fixed_samples

    fake = FakeEngine()
    app = make_app(fake)
    async with app.run_test(size=(100, 20)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        await pilot.press("c")
        await pilot.pause()
        table = app.main.table("containers")
        selected = table.cursor_key
        last_running = table.shown_keys()[5]
        second = fixed_samples(fake, second=True)
        third = {
            key: replace(
                sample,
                timestamp=sample.timestamp + 2,
                cpu_total_ns=sample.cpu_total_ns * 2
                + (16_000_000_000 if key == last_running else 0),
                system_ns=sample.system_ns * 2,
            )
            for key, sample in second.items()
        }
        host = FakeHostProbe().read()
        app.post_message(msg.StatsSampled(third, "cgroup", host, app.generation))
        await pilot.pause(0.4)
        assert table.shown_keys()[0] == last_running
        assert table.scroll_y == 0
        assert table.cursor_key == selected
        assert table.cursor_row == 1


async def test_size_classes_before_first_layout(monkeypatch: Any) -> None:
    """The first frame must already have the layout of the terminal's size,
    or the columns move when the detail panel moves beside the table."""
    from dockertui.screens.main import MainScreen

    seen: list[set[str]] = []
    original = MainScreen.on_mount

    def record(screen: MainScreen) -> None:
        seen.append(set(screen.classes))
        original(screen)

    monkeypatch.setattr(MainScreen, "on_mount", record)
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await ready(pilot)
    assert seen
    assert {"-wide", "-tall"} <= seen[0]
    assert "-narrow" not in seen[0]


async def test_empty_list_zero_count() -> None:
    """An empty first list changes no row, but its count turns into 0."""
    from dockertui import messages as msg

    fake = FakeEngine()
    fake.volumes = []
    app = make_app(fake)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        tabs = app.main.query_one("TabbedContent")
        app.state.volumes.loaded = False
        app.main.show_change({"volumes"})
        await pilot.pause(0.3)
        assert str(tabs.get_tab("pane-volumes").label) == "4 Volumes"
        app.post_message(msg.ListLoaded("volumes", [], app.generation))
        await pilot.pause(0.3)
        assert str(tabs.get_tab("pane-volumes").label) == "4 Volumes (0)"
