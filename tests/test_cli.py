"""The command line: help, version, and one-line errors with exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run_cli(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockertui", *args],
        capture_output=True,
        text=True,
        timeout=30,
        env=env,
    )


def test_version_prints_name() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("dockertui ")


def test_help_lists_options() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for option in ("--host", "--context", "--read-only", "--refresh", "--version"):
        assert option in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--bogus",), "unrecognized arguments: --bogus"),
        (("--refresh", "abc"), "invalid --refresh 'abc'"),
        (("--refresh", "0"), "expected 0.5 to 3600 seconds"),
        (("--host", "ftp://x"), "Invalid engine address 'ftp://x'"),
        (("--host", "unix:///x", "--context", "y"), "either --host or --context"),
        (
            ("--context", "no-such-context-here"),
            "Context 'no-such-context-here' not found",
        ),
    ],
)
def test_invalid_arguments_one_line(
    args: tuple[str, ...], expected: str, tmp_path
) -> None:
    import os

    env = dict(os.environ, DOCKER_CONFIG=str(tmp_path))
    result = run_cli(*args, env=env)
    assert result.returncode == 2
    first_line = result.stderr.splitlines()[0]
    assert expected in first_line
    assert "Traceback" not in result.stderr
