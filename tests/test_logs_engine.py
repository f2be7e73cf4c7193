"""Log reading against the real engine: framing, decoding, escapes, since, save."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docker
import pytest
from dockertui.engine import Engine, EngineError, ErrorKind
from dockertui.engine.logs import open_logs, read_tail, write_whole_log
from dockertui.state.logbuffer import plain_line
from log_containers import RunContainer, run_container, wait_for_log

__all__ = ["run_container"]

DASHBOARD = (
    r"printf '\033[31mRED\033[0m plain\n\033[2J\033[Hafter-clear\n"
    r"\033]0;title\007x\n\033[?1049hin-alt\033[?1049l\n[red]markup[/red]\n'"
)
DASHBOARD_TEXT = ["RED plain", "after-clear", "x", "in-alt", "[red]markup[/red]"]


def texts(engine: Engine, container_id: str) -> list[str]:
    return [line.text for line in read_tail(engine, container_id, 0, None, None, 1000)]


@pytest.mark.parametrize("tty", [False, True])
def test_dashboard_escapes_removed(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer, tty: bool
) -> None:
    container_id = run_container(DASHBOARD + "; echo END; sleep 60", tty=tty)
    wait_for_log(docker_api, container_id, b"END")
    lines = read_tail(engine, container_id, 0, None, None, 1000)
    assert [line.text for line in lines] == [*DASHBOARD_TEXT, "END"]
    assert lines[0].runs is not None
    assert lines[0].runs[0] == ("31", "RED")
    assert all("\x1b" not in line.text for line in lines)


def test_tty_and_plain_logs_match(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    script = 'for i in 1 2 3 4 5; do echo "line $i: abc"; done; echo END; sleep 60'
    plain = run_container(script, tty=False)
    with_tty = run_container(script, tty=True)
    wait_for_log(docker_api, plain, b"END")
    wait_for_log(docker_api, with_tty, b"END")
    expected = [f"line {i}: abc" for i in range(1, 6)] + ["END"]
    assert texts(engine, plain) == expected
    assert texts(engine, with_tty) == expected


def test_stderr_told_apart(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    container_id = run_container("echo out; echo err >&2; echo END; sleep 60")
    wait_for_log(docker_api, container_id, b"END")
    lines = read_tail(engine, container_id, 0, None, None, 1000)
    streams = {line.text: line.stream for line in lines}
    assert streams == {"out": 1, "err": 2, "END": 1}


@pytest.mark.parametrize("tty", [False, True])
def test_invalid_utf8_replaced(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer, tty: bool
) -> None:
    script = r"printf 'latin1: \351t\351 bad: \377\376\n'; echo END; sleep 60"
    container_id = run_container(script, tty=tty)
    wait_for_log(docker_api, container_id, b"END")
    assert texts(engine, container_id)[0] == "latin1: \ufffdt\ufffd bad: \ufffd\ufffd"


@pytest.mark.parametrize("tty", [False, True])
def test_multibyte_across_16k_boundary(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer, tty: bool
) -> None:
    # The log driver cuts a long line into 16384-byte messages and the two
    # bytes of "é" land on both sides of the first cut. The json-file driver
    # (engine 20.10) stores each message as a JSON string, which turns each
    # half into U+FFFD before the API sends it, so the result has
    # replacement characters where "é" was, and nothing raises.
    script = (
        r"head -c 16383 /dev/zero | tr '\0' a; printf '\303\251tail\n'; "
        "echo END; sleep 60"
    )
    container_id = run_container(script, tty=tty)
    wait_for_log(docker_api, container_id, b"END")
    first, last = texts(engine, container_id)
    assert first.startswith("a" * 16383)
    assert first.endswith("tail")
    assert set(first[16383:-4]) <= {"é", "\ufffd"}
    assert 1 <= len(first[16383:-4]) <= 2
    assert last == "END"


def test_since_with_time_zone(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    container_id = run_container("echo early; sleep 2; echo late; sleep 60")
    wait_for_log(docker_api, container_id, b"late")
    lines = read_tail(engine, container_id, 0, None, None, 1000)
    early, late = lines[0].time_ns, lines[1].time_ns
    middle = (early + late) // 2 // 1_000_000_000
    plus_five = timezone(timedelta(hours=5))
    since = datetime.fromtimestamp(middle, plus_five)
    assert texts_since(engine, container_id, since) == ["late"]
    assert since.utcoffset() == timedelta(hours=5)


def texts_since(engine: Engine, container_id: str, since: datetime) -> list[str]:
    lines = read_tail(engine, container_id, 0, None, since, 1000)
    return [line.text for line in lines]


def test_engine_time_read_as_utc(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    container_id = run_container("echo now; sleep 60")
    wait_for_log(docker_api, container_id, b"now")
    line = read_tail(engine, container_id, 0, None, None, 10)[0]
    assert abs(line.time_ns - time.time_ns()) < 30 * 1_000_000_000


def test_tail_limits_lines(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    container_id = run_container("seq 1 50; echo END; sleep 60")
    wait_for_log(docker_api, container_id, b"END")
    lines = read_tail(engine, container_id, 0, 5, None, 1000)
    assert [line.text for line in lines] == ["47", "48", "49", "50", "END"]


def test_follow_gets_new_lines_and_closes_fast(
    engine: Engine, run_container: RunContainer
) -> None:
    container_id = run_container(
        "i=0; while true; do echo n$i; i=$((i+1)); sleep 0.1; done"
    )
    stream = open_logs(engine, container_id, follow=True, tail=0)
    seen: list[str] = []
    started = time.monotonic()
    threading.Timer(1.0, stream.close).start()
    for batch in stream.batches():
        seen.extend(line.text for line in batch)
    elapsed = time.monotonic() - started
    assert len(seen) >= 3
    assert elapsed < 2.0


def test_missing_container_not_found(engine: Engine) -> None:
    with pytest.raises(EngineError) as caught:
        open_logs(engine, "0" * 64)
    assert caught.value.kind == ErrorKind.NOT_FOUND


def test_whole_log_streamed_to_file(
    engine: Engine,
    docker_api: docker.APIClient,
    run_container: RunContainer,
    tmp_path: Path,
) -> None:
    first = run_container("echo a1; sleep 0.3; echo a2; echo END; sleep 60")
    second = run_container(
        "sleep 0.15; echo b1; sleep 0.3; echo b2; echo END; sleep 60"
    )
    wait_for_log(docker_api, first, b"END")
    wait_for_log(docker_api, second, b"END")
    target = tmp_path / "merged.log"
    names = ["first", "second"]
    count = write_whole_log(
        engine, [first, second], None, str(target), lambda line: plain_line(line, names)
    )
    saved = target.read_text().splitlines()
    stamps = [datetime.fromisoformat(line.split(" ")[0]) for line in saved]
    assert count == 6
    assert stamps == sorted(stamps)
    assert sorted(line.split(" ", 1)[1] for line in saved) == [
        "first END",
        "first a1",
        "first a2",
        "second END",
        "second b1",
        "second b2",
    ]


def test_whole_log_unwritable_path(
    engine: Engine, docker_api: docker.APIClient, run_container: RunContainer
) -> None:
    container_id = run_container("echo x; sleep 60")
    wait_for_log(docker_api, container_id, b"x")
    with pytest.raises(EngineError, match="Cannot write /nonexistent/dir/x.log"):
        write_whole_log(engine, [container_id], None, "/nonexistent/dir/x.log", str)
