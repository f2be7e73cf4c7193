"""Unit tests of the state layer: store diffs, rows, filter, sort, events, text."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from dockertui.engine import convert
from dockertui.state import format as fmt
from dockertui.state.events import EventBatch, backoff_delay
from dockertui.state.records import EngineEvent, Health
from dockertui.state.store import Collection, EngineState
from dockertui.state.text import (
    cell_width,
    clean,
    ellipsize_middle,
    split_sgr,
    strip_escapes,
)
from dockertui.state.views import (
    CONTAINER_COLUMNS,
    container_rows,
    filter_rows,
    fit_columns,
    image_rows,
    network_rows,
    sort_rows,
    volume_rows,
)
from fake_engine import CONTAINERS, FROZEN_NOW, IMAGES, NETWORKS, VOLUMES, FakeEngine


def loaded_state() -> EngineState:
    engine = FakeEngine()
    state = EngineState()
    state.containers.replace_all(engine.list_containers())
    state.images.replace_all(engine.list_images())
    state.networks.replace_all(engine.list_networks())
    state.volumes.replace_all(engine.list_volumes())
    return state


# Store


def test_replace_all_reports_changes() -> None:
    records = FakeEngine().list_containers()
    collection = Collection()
    first = collection.replace_all(records[:3])
    assert sorted(first.added) == sorted(r.id for r in records[:3])
    assert first.removed == []
    changed = replace(records[1], status="Exited (0) 1 second ago", state="exited")
    second = collection.replace_all([records[0], changed, records[3]])
    assert second.added == [records[3].id]
    assert second.updated == [records[1].id]
    assert second.removed == [records[2].id]


def test_replace_all_same_data_no_change() -> None:
    records = FakeEngine().list_containers()
    collection = Collection()
    collection.replace_all(records)
    assert not collection.replace_all(records)


def test_upsert_and_remove() -> None:
    records = FakeEngine().list_containers()
    collection = Collection()
    collection.replace_all(records[:2])
    change = collection.upsert([records[2]])
    assert change.added == [records[2].id]
    assert len(collection) == 3
    gone = collection.remove([records[0].id, "not-there"])
    assert gone.removed == [records[0].id]
    assert collection.get(records[0].id) is None


def test_counts_by_state() -> None:
    counts = loaded_state().counts()
    assert counts.running == 6  # 5 running and one restarting
    assert counts.paused == 1
    assert counts.stopped == 6
    assert counts.total == len(CONTAINERS)


def test_relations_derived_from_containers() -> None:
    state = loaded_state()
    image_users = state.image_users()
    assert len(image_users[IMAGES[1]["Id"]]) == 2
    shop = state.networks.get(NETWORKS[3]["Id"])
    assert shop is not None
    assert {c.name for c in state.users_of_network(shop)} == {"shop-web", "shop-db"}
    assert [c.name for c in state.volume_users()["shop-data"]] == ["shop-web"]


# Converters on incomplete responses


def test_container_without_optional_fields() -> None:
    record = convert.container_from_list({"Id": "abc", "State": "running"})
    assert record.name == "abc"
    assert record.ports == ()
    assert record.created is None
    assert record.health is Health.NONE


def test_engine_zero_time_is_none() -> None:
    assert convert.parse_time("0001-01-01T00:00:00Z") is None
    parsed = convert.parse_time("2026-12-04T10:11:12.123456789Z")
    assert parsed == datetime(2026, 12, 4, 10, 11, 12, 123456, tzinfo=timezone.utc)


def test_health_read_from_status() -> None:
    assert (
        convert.health_from_status("Up 1 second (health: starting)") is Health.STARTING
    )
    assert convert.health_from_status("Up 1 hour (unhealthy)") is Health.UNHEALTHY
    assert convert.health_from_status("Up 1 hour (healthy)") is Health.HEALTHY
    assert convert.health_from_status("Up 1 hour") is Health.NONE


def test_never_started_detail_has_no_start() -> None:
    detail = convert.container_detail(
        {
            "Id": "x",
            "State": {
                "StartedAt": "0001-01-01T00:00:00Z",
                "ExitCode": 127,
                "Error": 'exec: "/nope": not found',
            },
        }
    )
    assert detail.started_at is None
    assert detail.exit_code == 127
    assert "not found" in detail.error


# Rows


def test_unknown_state_shown_verbatim() -> None:
    rows = {
        row.cells["name"]: row for row in container_rows(loaded_state(), FROZEN_NOW)
    }
    assert rows["odd-one"].cells["status"] == "hibernating: Hibernating since dawn"
    assert rows["zombie"].cells["status"] == "Dead"
    assert rows["zombie"].tone == "error"
    assert rows["being-removed"].cells["status"] == "Removal In Progress"


def test_health_column_without_badge_text() -> None:
    rows = {
        row.cells["name"]: row for row in container_rows(loaded_state(), FROZEN_NOW)
    }
    assert rows["shop-web"].cells["status"] == "Up 3 hours"
    assert rows["shop-web"].cells["health"] == "healthy"
    assert rows["batch-import"].cells["health"] == ""


def test_ports_and_project_cells() -> None:
    rows = {
        row.cells["name"]: row for row in container_rows(loaded_state(), FROZEN_NOW)
    }
    assert rows["shop-web"].cells["ports"] == "0.0.0.0:8080->80/tcp"
    assert rows["shop-web"].cells["project"] == "shop"
    assert rows["shop-web"].cells["created"] == "3 hours ago"


def test_image_rows_one_per_tag() -> None:
    rows = image_rows(loaded_state(), FROZEN_NOW)
    names = sorted(row.cells["name"] for row in rows)
    assert names == [
        "<none>:<none>",
        "postgres:16",
        "redis:7",
        "shop/web:1.4",
        "shop/web:latest",
    ]
    dangling = [row for row in rows if row.cells["name"] == "<none>:<none>"][0]
    assert dangling.cells["status"] == "dangling"
    assert len({row.key for row in rows}) == len(rows)


def test_network_rows_mark_predefined() -> None:
    rows = {row.cells["name"]: row for row in network_rows(loaded_state(), FROZEN_NOW)}
    assert rows["bridge"].cells["kind"] == "predefined"
    assert rows["shop_default"].cells["kind"] == ""
    assert rows["shop_default"].cells["used"] == "2: shop-db, shop-web"


def test_volume_rows_mark_anonymous_and_users() -> None:
    rows = {row.key: row for row in volume_rows(loaded_state(), FROZEN_NOW)}
    assert rows["shop-data"].cells["kind"] == "named"
    assert rows["shop-data"].cells["used"] == "shop-web"
    assert rows[VOLUMES[1]["Name"]].cells["kind"] == "anonymous"


def test_filter_matches_any_shown_column() -> None:
    rows = container_rows(loaded_state(), FROZEN_NOW)
    shown = filter_rows(rows, "POSTGRES", ["name", "image"])
    assert [row.cells["name"] for row in shown] == ["shop-db"]
    assert filter_rows(rows, "postgres", ["name"]) == []
    assert filter_rows(rows, "  ", ["name"]) == rows


def test_sort_by_created_and_name() -> None:
    rows = image_rows(loaded_state(), FROZEN_NOW)
    by_size = sort_rows(rows, "size", reverse=True)
    assert by_size[0].cells["name"] in ("postgres:16", "redis:7")
    by_name = sort_rows(rows, "name")
    assert by_name[0].cells["name"] == "<none>:<none>"


def test_fit_columns_drops_by_priority() -> None:
    narrow = fit_columns(CONTAINER_COLUMNS, 75)
    keys = [column.key for column, _ in narrow]
    assert keys[:4] == ["name", "status", "cpu", "memory"]
    assert "id" not in keys
    total = sum(width + 2 for _, width in narrow)
    assert total <= 75
    wide = fit_columns(CONTAINER_COLUMNS, 300)
    assert len(wide) == len(CONTAINER_COLUMNS)


def test_long_names_stay_distinct_at_80_columns() -> None:
    rows = container_rows(loaded_state(), FROZEN_NOW)
    name_width = dict((c.key, w) for c, w in fit_columns(CONTAINER_COLUMNS, 75))["name"]
    from dockertui.state.views import fit_text

    shown = {
        fit_text(r.cells["name"], name_width, True)
        for r in rows
        if "payments" in r.cells["name"]
    }
    assert len(shown) == 2
    assert all(cell_width(text) <= name_width for text in shown)


# Events


def event(kind: str, action: str, actor: str, **attributes: str) -> EngineEvent:
    return EngineEvent(kind, action, actor, attributes=tuple(attributes.items()))


def test_batch_collects_container_ids() -> None:
    batch = EventBatch()
    batch.add(event("container", "start", "a"))
    batch.add(event("container", "exec_start: sh", "a2"))
    batch.add(event("container", "die", "b"))
    batch.add(event("container", "destroy", "b"))
    assert batch.container_ids == {"a"}
    assert batch.removed_containers == {"b"}


def test_batch_other_kinds_and_connect() -> None:
    batch = EventBatch()
    batch.add(event("image", "untag", "sha256:1"))
    batch.add(event("volume", "mount", "v"))
    batch.add(event("network", "connect", "n", container="c1"))
    assert batch.kinds == {"images", "networks"}
    assert batch.container_ids == {"c1"}


def test_batch_many_containers_full_list() -> None:
    batch = EventBatch()
    for number in range(60):
        batch.add(event("container", "start", f"id{number}"))
    assert batch.full_containers


def test_backoff_grows_to_cap() -> None:
    delays = [backoff_delay(n) for n in range(8)]
    assert delays[:4] == [2.0, 4.0, 8.0, 15.0]
    assert max(delays) == 15.0


# Text from containers


def test_clean_strips_escapes_and_controls() -> None:
    raw = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07x\x1b[2J\x1b[H\x1b[?1049h y\x00\x07\tz"
    assert clean(raw) == "RED x y z"


def test_clean_keeps_brackets_literal() -> None:
    assert clean("[/x] [bold]not bold[00]") == "[/x] [bold]not bold[00]"


def test_strip_escapes_c1_and_unterminated() -> None:
    assert strip_escapes("a\x9b31mb") == "ab"
    assert strip_escapes("a\x1b]0;title never ends") == "a"


def test_split_sgr_keeps_colour_codes() -> None:
    assert split_sgr("\x1b[31mRED\x1b[0m plain\x1b[2J") == [
        ("31", "RED"),
        ("0", " plain"),
    ]


def test_wide_characters_measured() -> None:
    assert cell_width("日本語🐳") == 8
    assert cell_width("e\u0301") == 1
    assert cell_width(ellipsize_middle("日本語の長い名前です" * 3, 11)) <= 11


# Formats


def test_sizes_in_decimal_units() -> None:
    assert fmt.size(999) == "999B"
    assert fmt.size(1_990_000) == "1.99MB"
    assert fmt.size(182_400_000) == "182MB"
    assert fmt.size(None) == "-"


def test_ago_in_cli_words() -> None:
    now = FROZEN_NOW
    assert fmt.ago(now - timedelta(minutes=3), now) == "3 minutes ago"
    assert fmt.ago(now - timedelta(hours=2), now) == "2 hours ago"
    assert fmt.ago(now - timedelta(days=3), now) == "3 days ago"
    assert fmt.ago(None, now) == "-"


def test_binary_size_no_exponent() -> None:
    assert fmt.binary_size(1000 * 1024) == "1000KiB"
    assert fmt.binary_size(1023 * 1024) == "1023KiB"
    assert fmt.binary_size(1000 * 1024**2) == "1000MiB"
    assert fmt.binary_size(int(99.5 * 1024)) == "99.5KiB"
    assert fmt.binary_size(64 * 1024**2) == "64MiB"
    assert all(
        "e+" not in fmt.binary_size(value) for value in range(0, 1 << 40, 7_777_777)
    )


def test_health_column_needs_healthcheck() -> None:
    from dockertui.state.views import pane_columns

    state = EngineState()
    plain = convert.container_from_list(
        {"Id": "a" * 64, "Names": ["/a"], "State": "running", "Status": "Up 1 hour"}
    )
    checked = convert.container_from_list(
        {
            "Id": "b" * 64,
            "Names": ["/b"],
            "State": "running",
            "Status": "Up 1 hour (healthy)",
        }
    )
    state.containers.replace_all([plain])
    assert "health" not in [c.key for c in pane_columns("containers", state)]
    state.containers.replace_all([plain, checked])
    assert "health" in [c.key for c in pane_columns("containers", state)]
    assert "health" not in [c.key for c in pane_columns("images", state)]
