"""scripts/ensure-engine against a stand-in dockerd in a temporary directory.

The stand-in responds to ``GET /_ping`` on the socket it is given and, like dockerd,
refuses to start while its pid file names a live process, so these tests
cover the script's start, stale-file and wait logic without touching the
engine that other tests use.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "ensure-engine"

STAND_IN_DOCKERD = """\
import os
import socketserver
import sys
from http.server import BaseHTTPRequestHandler

arguments = sys.argv[1:]
socket_path = arguments[arguments.index("--host") + 1].removeprefix("unix://")
pid_file = arguments[arguments.index("--pidfile") + 1]


class PingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/_ping" else 404)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    def log_message(self, *args):
        pass


# Like dockerd, refuse to start while the pid file names a live process.
try:
    with open(pid_file) as pid_input:
        os.kill(int(pid_input.read().strip()), 0)
except (OSError, ValueError):
    pass
else:
    sys.exit(f"pid file {pid_file} names a running process")
with open(pid_file, "w") as pid_output:
    pid_output.write(str(os.getpid()))
server = socketserver.UnixStreamServer(socket_path, PingHandler)
print("stand-in dockerd serving", flush=True)
server.serve_forever()
"""


@dataclass
class EngineFiles:
    """Paths the script is pointed at, inside one temporary directory."""

    directory: Path
    socket_path: Path
    pid_file: Path
    log_file: Path
    dockerd: Path

    def environ(self, wait_seconds: int = 15) -> dict[str, str]:
        """Return the environment that points the script at these paths."""
        return {
            **os.environ,
            "DOCKERTUI_ENGINE_SOCKET": str(self.socket_path),
            "DOCKERTUI_ENGINE_PIDFILE": str(self.pid_file),
            "DOCKERTUI_ENGINE_LOG": str(self.log_file),
            "DOCKERTUI_ENGINE_WAIT": str(wait_seconds),
            "DOCKERTUI_DOCKERD": str(self.dockerd),
        }


@pytest.fixture
def engine_files() -> Iterator[EngineFiles]:
    """Yield temporary engine paths, then stop any stand-in dockerd started there."""
    # A short directory keeps the socket path under the 108-byte limit.
    directory = Path(tempfile.mkdtemp(prefix="dtui-engine-"))
    dockerd = directory / "dockerd"
    dockerd.write_text(f"#!{sys.executable}\n{STAND_IN_DOCKERD}")
    dockerd.chmod(0o755)
    files = EngineFiles(
        directory=directory,
        socket_path=directory / "engine.sock",
        pid_file=directory / "engine.pid",
        log_file=directory / "dockerd.log",
        dockerd=dockerd,
    )
    yield files
    for pid in stand_in_pids(files):
        os.kill(pid, signal.SIGTERM)
    shutil.rmtree(directory, ignore_errors=True)


def stand_in_pids(files: EngineFiles) -> list[int]:
    """Return the pids of live stand-in dockerd processes for these paths."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command_line = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if str(files.dockerd).encode() in command_line:
            pids.append(int(entry.name))
    return pids


def run_script(
    files: EngineFiles, wait_seconds: int = 15
) -> subprocess.CompletedProcess[str]:
    """Run ensure-engine against ``files`` and return its result."""
    return subprocess.run(
        ["bash", str(SCRIPT)],
        env=files.environ(wait_seconds),
        capture_output=True,
        text=True,
        timeout=wait_seconds + 30,
    )


def ping(socket_path: Path) -> bytes:
    """Send GET /_ping over a unix socket and return the whole reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(5)
        connection.connect(str(socket_path))
        connection.sendall(b"GET /_ping HTTP/1.0\r\nHost: localhost\r\n\r\n")
        reply = b""
        while chunk := connection.recv(4096):
            reply += chunk
    return reply


def dead_pid() -> int:
    """Return the pid of a process that has already exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


needs_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="ensure-engine starts dockerd only as root"
)


@needs_root
def test_stale_pid_and_socket_are_replaced(engine_files: EngineFiles) -> None:
    engine_files.pid_file.write_text(f"{dead_pid()}\n")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as stale:
        stale.bind(str(engine_files.socket_path))

    result = run_script(engine_files)

    assert result.returncode == 0, result.stderr
    assert "removing stale pid file" in result.stderr
    assert "removing stale socket" in result.stderr
    assert ping(engine_files.socket_path).endswith(b"\r\n\r\nOK")
    assert int(engine_files.pid_file.read_text()) in stand_in_pids(engine_files)


@needs_root
def test_pid_of_unrelated_process_is_stale(engine_files: EngineFiles) -> None:
    engine_files.pid_file.write_text(str(os.getpid()))

    result = run_script(engine_files)

    assert result.returncode == 0, result.stderr
    assert "removing stale pid file" in result.stderr
    assert int(engine_files.pid_file.read_text()) != os.getpid()


@needs_root
def test_responding_engine_is_left_alone(engine_files: EngineFiles) -> None:
    first = run_script(engine_files)
    first_pid = engine_files.pid_file.read_text()

    started = time.monotonic()
    second = run_script(engine_files)
    elapsed = time.monotonic() - started

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert second.stderr == ""
    assert engine_files.pid_file.read_text() == first_pid
    assert len(stand_in_pids(engine_files)) == 1
    assert elapsed < 2


@needs_root
def test_live_silent_dockerd_not_started_twice(
    engine_files: EngineFiles,
) -> None:
    # A process whose command line names dockerd, but which never responds.
    silent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; time.sleep(60)",
            str(engine_files.dockerd),
        ],
        start_new_session=True,
    )
    engine_files.pid_file.write_text(str(silent.pid))
    try:
        result = run_script(engine_files, wait_seconds=2)
    finally:
        silent.kill()
        silent.wait()

    assert result.returncode == 1
    assert "not responding yet" in result.stderr
    assert f"no response on {engine_files.socket_path}" in result.stderr
    assert engine_files.pid_file.read_text() == str(silent.pid)


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="running the script as another user needs root and setpriv",
)
def test_not_root_without_engine_explains_what_to_do(
    engine_files: EngineFiles,
) -> None:
    engine_files.directory.chmod(0o755)
    result = subprocess.run(
        [
            "setpriv",
            "--reuid=nobody",
            "--regid=nogroup",
            "--clear-groups",
            "bash",
            str(SCRIPT),
        ],
        env=engine_files.environ(),
        capture_output=True,
        text=True,
        cwd="/",
        timeout=30,
    )

    message = " ".join(result.stderr.split())
    assert result.returncode == 1
    assert "this script can only start one as root" in message
    assert "sudo apt-get install -y docker.io busybox-static" in message
    assert not engine_files.pid_file.exists()
