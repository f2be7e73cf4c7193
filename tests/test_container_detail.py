"""The container detail screen against the real engine: processes, masked
environment, ports, labels, and copy through OSC 52."""

from __future__ import annotations

from typing import Any

from dockertui.app import DockerTUI
from dockertui.engine import Engine
from dockertui.screens.container_detail import ContainerDetailScreen
from dockertui.state.environment import MASK, EnvVar, parse_env
from rich.console import Console


def rendered(screen: ContainerDetailScreen, name: str) -> str:
    body = screen.query_one(f"#body-{name}")
    console = Console(width=200, record=True, file=open("/dev/null", "w"))
    console.print(body.content)
    return console.export_text()


def test_secret_names_masked() -> None:
    variables = parse_env(
        ["DB_PASSWORD=hunter2", "API_TOKEN=abc", "PATH=/bin", "EMPTY"]
    )
    by_name = {v.name: v for v in variables}
    assert by_name["DB_PASSWORD"].shown_value(False) == MASK
    assert by_name["DB_PASSWORD"].shown_value(True) == "hunter2"
    assert by_name["API_TOKEN"].secret
    assert by_name["PATH"].shown_value(False) == "/bin"
    assert by_name["EMPTY"] == EnvVar("EMPTY", "")


async def test_detail_tabs_on_real_container(
    engine: Engine, make_container: Any
) -> None:
    created = make_container(
        ("sleep", "300"),
        suffix="detail",
        environment={"DB_PASSWORD": "hunter2", "GREETING": "[bold]hi[/bold]"},
        labels={"note": "[/x] 日本語"},
    )
    app = DockerTUI(engine.endpoint, engine=engine)
    async with app.run_test(size=(120, 36)) as pilot:
        table = app.main.table("containers")
        for _ in range(100):
            await pilot.pause(0.1)
            if created.id in table.shown_keys():
                break
        table.move_cursor(row=table.get_row_index(created.id))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(1.0)
        screen = app.screen
        assert isinstance(screen, ContainerDetailScreen)
        for _ in range(30):
            if screen.inspect:
                break
            await pilot.pause(0.1)
        environment = rendered(screen, "environment")
        assert "hunter2" not in environment
        assert MASK in environment
        assert "[bold]hi[/bold]" in environment
        await pilot.press("v")
        assert "hunter2" in rendered(screen, "environment")
        assert "[/x] 日本語" in rendered(screen, "labels")
        for _ in range(40):
            if "sleep" in rendered(screen, "processes"):
                break
            await pilot.pause(0.1)
        assert "sleep 300" in rendered(screen, "processes")
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("y")
        assert copied == [created.id]
        await pilot.press("escape")
        assert not isinstance(app.screen, ContainerDetailScreen)
