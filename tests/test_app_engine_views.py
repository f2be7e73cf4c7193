"""Pilot tests of what the panes and the detail panel show for real engine states."""

from __future__ import annotations

from collections.abc import Callable

import docker
from conftest import CreatedContainer
from dockertui.engine import Engine
from engine_pilot import (
    TERM_AWARE,
    cell_texts,
    container_state,
    detail_text,
    has_row,
    run_app,
    select,
    shows_state,
    wait_for,
)

MakeContainer = Callable[..., CreatedContainer]
SECOND_NS = 1_000_000_000


def detail_field(text: str, label: str) -> str | None:
    """Return the value of the first ``label`` field in rendered detail text."""
    for line in text.splitlines():
        if line.startswith(f"{label} "):
            return line[len(label) :].strip()
    return None


async def test_created_container_never_started(
    engine: Engine, make_container: MakeContainer
) -> None:
    created = make_container(TERM_AWARE, start=False, suffix="created")
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        assert container_state(app, created.id) == "created"
        await wait_for(
            pilot, lambda: detail_field(detail_text(app), "Restart") != "reading…"
        )
        text = detail_text(app)
        assert detail_field(text, "Started") == "never"
        assert detail_field(text, "Error") is None


async def test_failed_start_shows_error(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(("no-such-command",), start=False, suffix="failed")
    try:
        docker_api.start(created.id)
    except docker.errors.APIError as error:
        refusal = str(error.explanation)
    else:
        raise AssertionError("the engine started a container with no command")
    state = docker_api.inspect_container(created.id)["State"]
    assert state["ExitCode"] == 127
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await wait_for(
            pilot, lambda: detail_field(detail_text(app), "Error") is not None
        )
        text = detail_text(app)
        assert detail_field(text, "Started") == "never"
        error_text = detail_field(text, "Error") or ""
        assert "executable file not found" in error_text
        assert "executable file not found" in refusal
        assert detail_field(text, "Exit code") == "127"


async def test_restarting_shows_count(
    engine: Engine, docker_api: docker.APIClient, make_container: MakeContainer
) -> None:
    created = make_container(
        ("sh", "-c", "exit 3"), suffix="restarting", restart_policy={"Name": "always"}
    )
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "containers", created.id)
        await wait_for(pilot, shows_state(app, created.id, "restarting"), timeout=20)
        status = cell_texts(app.main.table("containers"), created.id)["status"]
        assert status.startswith("Restarting (3)")

        def counted() -> bool:
            restart = detail_field(detail_text(app), "Restart") or ""
            return "restarted" in restart

        await wait_for(pilot, counted, timeout=20)
        restart = detail_field(detail_text(app), "Restart") or ""
        count = int(restart.split("restarted ")[1].split()[0])
        assert restart.startswith("always")
        assert count > 0
        assert docker_api.inspect_container(created.id)["RestartCount"] >= count


async def test_health_column_badges(
    engine: Engine, make_container: MakeContainer
) -> None:
    fast = {"Interval": SECOND_NS // 2, "Timeout": SECOND_NS, "Retries": 1}
    checks = {
        "healthy": {"Test": ["CMD", "true"], **fast},
        "unhealthy": {"Test": ["CMD", "false"], **fast},
        "starting": {"Test": ["CMD", "true"], "Interval": 300 * SECOND_NS},
        "": None,
    }
    created = {
        badge: make_container(
            TERM_AWARE, suffix=f"health-{badge or 'none'}", healthcheck=check
        )
        for badge, check in checks.items()
    }
    async with run_app(engine) as (app, pilot):
        table = app.main.table("containers")

        def health(badge: str) -> str | None:
            if not has_row(table, created[badge].id):
                return None
            return cell_texts(table, created[badge].id)["health"]

        await wait_for(
            pilot,
            lambda: all(health(badge) == badge for badge in checks),
            timeout=20,
        )
        for badge in checks:
            assert health(badge) == badge
        assert created["unhealthy"].id in app.main.views["containers"].rows
        assert (
            app.main.views["containers"].rows[created["unhealthy"].id].tone == "error"
        )


async def test_untagged_image_dangling(
    engine: Engine, make_container: MakeContainer, make_image: Callable[..., str]
) -> None:
    source = make_container(TERM_AWARE, start=False, suffix="commit")
    image_id = make_image(source.id)
    async with run_app(engine) as (app, pilot):
        await select(app, pilot, "images", image_id)
        cells = cell_texts(app.main.table("images"), image_id)
        assert cells["name"] == "<none>:<none>"
        assert cells["status"] == "dangling"
        assert app.state.images.get(image_id) is not None
        assert app.state.images.get(image_id).dangling


LABEL_VALUE = "[/x] [bold]not bold[00] 漢字テスト 🐳"


async def test_markup_label_and_long_names(
    engine: Engine, make_container: MakeContainer
) -> None:
    # Names are prefix + suffix + 10 random hex digits: 70 characters that share
    # the first 60.
    suffix = "long-name-" + "x" * 39
    first = make_container(TERM_AWARE, suffix=suffix, labels={"note": LABEL_VALUE})
    second = make_container(TERM_AWARE, suffix=suffix)
    assert len(first.name) == len(second.name) == 70
    assert first.name[:60] == second.name[:60]
    async with run_app(engine, size=(80, 24)) as (app, pilot):
        table = app.main.table("containers")
        await select(app, pilot, "containers", first.id)
        first_cell = cell_texts(table, first.id)["name"]
        second_cell = cell_texts(table, second.id)["name"]
        assert first_cell != second_cell
        assert first_cell.endswith(first.name[-6:])
        assert second_cell.endswith(second.name[-6:])

        await wait_for(pilot, lambda: "note=" in detail_text(app))
        assert f"note={LABEL_VALUE}" in detail_text(app)
