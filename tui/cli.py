"""The ``dockertui`` command: parse arguments, find the engine, run the app."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .engine.endpoint import resolve_endpoint
from .engine.errors import EngineError
from .engine.quick_list import QuickList, can_read
from .first_frame import FirstFrame

FIRST_FRAME_WAIT = 0.25
"""Seconds to wait for the container list before drawing the first frame."""
MIN_REFRESH = 0.5
MAX_REFRESH = 3600.0


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit with status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print what is wrong in one line, then exit with status 2."""
        self.exit(2, f"dockertui: {message} (see dockertui --help)\n")


def refresh_seconds(value: str) -> float:
    """Parse --refresh: seconds between stats samples, within sane bounds."""
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid --refresh {value!r}: expected seconds"
        ) from None
    if not MIN_REFRESH <= seconds <= MAX_REFRESH:
        raise argparse.ArgumentTypeError(
            f"invalid --refresh {value!r}: expected {MIN_REFRESH} to "
            f"{MAX_REFRESH:.0f} seconds"
        )
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """Describe the command line."""
    parser = OneLineParser(
        prog="dockertui",
        description="A live terminal dashboard for a Docker Engine: containers, "
        "images, networks and volumes, with the actions to manage them.",
        epilog="The engine is chosen as the docker CLI chooses it: --host, "
        "--context, DOCKER_HOST, DOCKER_CONTEXT, the current context in "
        "~/.docker/config.json, then unix:///var/run/docker.sock. "
        "Set DOCKERTUI_LOG=debug for a detailed log file.",
    )
    parser.add_argument(
        "-H",
        "--host",
        help="engine address: unix:///path, tcp://host:port or ssh://user@host",
    )
    parser.add_argument(
        "-c", "--context", help="docker context to use (see 'docker context ls')"
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="hide and refuse every action that changes the engine",
    )
    parser.add_argument(
        "--refresh",
        type=refresh_seconds,
        default=2.0,
        metavar="SECONDS",
        help="seconds between resource samples (default 2)",
    )
    parser.add_argument(
        "--shell",
        metavar="COMMAND",
        default=os.environ.get("DOCKERTUI_SHELL") or None,
        help="command the e key runs in a container (default: bash if present, "
        "else sh; also DOCKERTUI_SHELL)",
    )
    parser.add_argument(
        "--version", action="version", version=f"dockertui {__version__}"
    )
    return parser


def state_dir() -> Path:
    """Return the XDG state directory for dockertui's log file."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "dockertui"


def setup_logging() -> Path | None:
    """Send log records to a file; nothing may print while the TUI owns the terminal."""
    level = (
        logging.DEBUG if os.environ.get("DOCKERTUI_LOG") == "debug" else logging.INFO
    )
    try:
        directory = state_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "dockertui.log"
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        # Without a file, records must still never reach the terminal, which
        # logging's last-resort handler would write them to.
        logging.getLogger().addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("urllib3").setLevel(logging.WARNING)
    logging.getLogger("paramiko").setLevel(logging.WARNING)
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Run dockertui; return the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        endpoint = resolve_endpoint(host=args.host, context=args.context)
    except EngineError as error:
        print(f"dockertui: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"  {error.hint}", file=sys.stderr)
        return 2 if (args.host or args.context) else 1
    log_path = setup_logging()
    # The container list is read while Textual and the SDK are imported.
    quick_list = QuickList(endpoint).start() if can_read(endpoint) else None
    frame = draw_first_frame(quick_list, endpoint.display, args.read_only)
    try:
        from .app import DockerTUI

        app = DockerTUI(
            endpoint,
            read_only=args.read_only,
            refresh_seconds=args.refresh,
            shell_command=args.shell,
            quick_list=quick_list,
        )
        app.log_path = log_path
    except BaseException:
        if frame is not None:
            frame.undo()
        raise
    # From here Textual owns the alternate screen and leaves it on exit.
    app.run()
    return 0


def draw_first_frame(
    quick_list: QuickList | None, endpoint: str, read_only: bool
) -> FirstFrame | None:
    """Draw the container list before Textual starts, if it arrives in time."""
    if quick_list is None or not sys.stdout.isatty():
        return None
    if os.environ.get("TERM", "dumb") == "dumb":
        return None
    records = quick_list.records(timeout=FIRST_FRAME_WAIT)
    if records is None:
        return None
    frame = FirstFrame(sys.stdout.fileno())
    try:
        frame.draw(records, endpoint, datetime.now(timezone.utc), read_only)
    except OSError:
        frame.undo()
        return None
    return frame
