"""Engine failures become EngineError kinds with the engine's own message."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import docker
import pytest
from dockertui.engine import Engine, EngineError, ErrorKind, resolve_endpoint
from dockertui.engine import client as engine_client
from dockertui.engine.errors import api_error, connection_error

if TYPE_CHECKING:
    from conftest import CreatedContainer

MakeContainer = Callable[..., "CreatedContainer"]


def connect_error(host: str, environ: dict[str, str] | None = None) -> EngineError:
    """Connect to ``host`` and return the EngineError that connecting raises."""
    engine = Engine(resolve_endpoint(host=host, environ=environ))
    with pytest.raises(EngineError) as caught:
        engine.connect()
    return caught.value


def free_tcp_port() -> int:
    """Return a loopback port that nothing listens on at the time of the call."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# Connection failures


def test_missing_socket_is_no_socket(tmp_path: Path) -> None:
    socket_path = tmp_path / "missing.sock"

    error = connect_error(f"unix://{socket_path}")

    assert error.kind is ErrorKind.NO_SOCKET
    assert str(socket_path) in error.message
    assert error.is_connection_error
    assert "dockerd" in error.hint


def test_stale_socket_file_is_refused(tmp_path: Path) -> None:
    socket_path = tmp_path / "stale.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
        listener.bind(str(socket_path))

    error = connect_error(f"unix://{socket_path}")

    assert error.kind is ErrorKind.REFUSED
    assert str(socket_path) in error.message


def test_closed_tcp_port_is_refused() -> None:
    address = f"tcp://127.0.0.1:{free_tcp_port()}"

    error = connect_error(address)

    assert error.kind is ErrorKind.REFUSED
    assert address in error.message
    assert error.is_connection_error


def test_silent_server_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_client, "CONNECT_TIMEOUT", 0.5)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        address = f"tcp://127.0.0.1:{listener.getsockname()[1]}"

        error = connect_error(address)

    assert error.kind is ErrorKind.TIMED_OUT
    assert address in error.message


def test_context_with_missing_socket_is_no_socket(tmp_path: Path) -> None:
    socket_path = tmp_path / "gone" / "docker.sock"
    config_dir = tmp_path / "docker-config"
    meta_dir = config_dir / "contexts" / "meta" / hashlib.sha256(b"gone").hexdigest()
    meta_dir.mkdir(parents=True)
    meta = {"Name": "gone", "Endpoints": {"docker": {"Host": f"unix://{socket_path}"}}}
    (meta_dir / "meta.json").write_text(json.dumps(meta))
    environ = {"DOCKER_CONFIG": str(config_dir), "DOCKER_CONTEXT": "gone"}

    engine = Engine(resolve_endpoint(environ=environ))
    with pytest.raises(EngineError) as caught:
        engine.connect()

    assert engine.endpoint.context == "gone"
    assert caught.value.kind is ErrorKind.NO_SOCKET
    assert str(socket_path) in caught.value.message


# Permission denied needs a user the socket's mode locks out, because root
# bypasses file modes: the connecting code runs as user nobody.

CONNECT_AS_OTHER_USER = """
import site
import sys

for site_dir in sys.argv[2:]:
    site.addsitedir(site_dir)
from dockertui.engine import Engine, EngineError, resolve_endpoint

try:
    Engine(resolve_endpoint(host=sys.argv[1], environ={})).connect()
except EngineError as error:
    print(error.kind.name)
    print(error.message)
else:
    print("CONNECTED")
"""

RUN_AS_NOBODY = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"]


def site_dirs() -> list[str]:
    """Return the directories that hold this interpreter's installed packages."""
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(path for path in paths if os.path.isdir(path))


def interpreter_for_nobody() -> str:
    """Return a Python interpreter that user nobody may run."""
    for candidate in (sys.executable, "/usr/bin/python3"):
        probe = subprocess.run(
            [*RUN_AS_NOBODY, "--", candidate, "-c", "pass"],
            capture_output=True,
            cwd="/",
            timeout=30,
        )
        if probe.returncode == 0:
            return candidate
    pytest.fail(f"user nobody can run neither {sys.executable} nor /usr/bin/python3")


@pytest.fixture
def locked_socket(engine: Engine) -> Iterator[str]:
    """Yield the engine's unix socket path when its mode locks out user nobody."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("switching to user nobody needs root and setpriv (util-linux)")
    if not engine.endpoint.host.startswith("unix://"):
        pytest.skip(f"the engine at {engine.endpoint.host} is not a unix socket")
    path = engine.endpoint.host.removeprefix("unix://")
    mode = os.stat(path).st_mode
    if mode & (stat.S_IROTH | stat.S_IWOTH):
        pytest.skip(f"{path} is open to every user (mode {stat.filemode(mode)})")
    yield path


def test_socket_of_another_user_is_permission_denied(locked_socket: str) -> None:
    python = interpreter_for_nobody()

    result = subprocess.run(
        [
            *RUN_AS_NOBODY,
            "--",
            python,
            "-c",
            CONNECT_AS_OTHER_USER,
            f"unix://{locked_socket}",
            *site_dirs(),
        ],
        capture_output=True,
        text=True,
        cwd="/",
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent"},
        timeout=60,
    )
    kind, _, message = result.stdout.partition("\n")

    assert result.returncode == 0, result.stderr
    assert kind == "PERMISSION_DENIED"
    assert locked_socket in message


# Engine refusals keep the engine's own message.


def test_start_paused_container_is_refused(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()
    docker_api.pause(container.id)

    with pytest.raises(EngineError) as caught:
        engine.start_container(container.id)

    assert caught.value.kind is ErrorKind.CONFLICT
    assert "cannot start a paused container" in caught.value.message
    assert caught.value.message.startswith(f"start {container.id[:12]} failed")
    assert not caught.value.is_connection_error


def test_remove_running_container_without_force_is_refused(
    engine: Engine, make_container: MakeContainer, docker_api: docker.APIClient
) -> None:
    container = make_container()

    with pytest.raises(EngineError) as caught:
        engine.remove_container(container.id)

    assert caught.value.kind is ErrorKind.CONFLICT
    assert "cannot remove a running container" in caught.value.message
    assert docker_api.inspect_container(container.id)["State"]["Running"] is True


def test_remove_network_in_use_is_rejected(
    engine: Engine,
    make_container: MakeContainer,
    make_network: Callable[..., str],
    docker_api: docker.APIClient,
) -> None:
    network_id = make_network()
    network_name = docker_api.inspect_network(network_id)["Name"]
    make_container(network_mode=network_name)

    with pytest.raises(EngineError) as caught:
        engine.remove_network(network_id)

    assert caught.value.kind is ErrorKind.REJECTED
    assert "active endpoints" in caught.value.message


def test_missing_container_is_not_found(engine: Engine) -> None:
    missing_id = "0" * 64

    with pytest.raises(EngineError) as caught:
        engine.stop_container(missing_id)

    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert "No such container" in caught.value.message


def test_inspect_missing_volume_is_not_found(engine: Engine) -> None:
    with pytest.raises(EngineError) as caught:
        engine.inspect("volume", "dtui-test-no-such-volume")

    assert caught.value.kind is ErrorKind.NOT_FOUND


# Mapping of errors the engine cannot produce on demand


class FakeApiError(Exception):
    """The two attributes of docker-py's APIError that the mapping reads."""

    def __init__(self, status_code: int, explanation: str | bytes) -> None:
        super().__init__(explanation)
        self.status_code = status_code
        self.explanation = explanation


@pytest.mark.parametrize(
    ("status_code", "kind"),
    [
        (404, ErrorKind.NOT_FOUND),
        (409, ErrorKind.CONFLICT),
        (403, ErrorKind.REJECTED),
        (500, ErrorKind.REJECTED),
    ],
)
def test_api_error_kinds(status_code: int, kind: ErrorKind) -> None:
    error = api_error(FakeApiError(status_code, "engine text"), "stop abc")

    assert error.kind is kind
    assert error.message == "stop abc failed: engine text"


def test_api_error_with_bytes_explanation() -> None:
    error = api_error(FakeApiError(500, b"bad \xff bytes"), "remove x")

    assert error.message == "remove x failed: bad \ufffd bytes"


def test_connection_error_keeps_an_engine_error() -> None:
    original = EngineError(ErrorKind.SSH_FAILED, "ssh said no")

    assert connection_error(original, "ssh://host") is original


def test_connection_error_for_ssh_address() -> None:
    error = connection_error(RuntimeError("channel closed"), "ssh://user@host")

    assert error.kind is ErrorKind.SSH_FAILED
    assert "ssh://user@host" in error.message


def test_connection_error_fallback_is_unexpected() -> None:
    error = connection_error(ValueError("odd"), "tcp://127.0.0.1:2375")

    assert error.kind is ErrorKind.UNEXPECTED
    assert "odd" in error.message
