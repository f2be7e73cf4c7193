"""The start-up container list read with the standard library.

The real-engine test checks it lists what the SDK lists. Small unix-socket
servers stand in for engines that send invalid responses, which a real engine
does not do on demand.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from dockertui.engine import Engine
from dockertui.engine.endpoint import Endpoint
from dockertui.engine.quick_list import QuickList, can_read, read_containers

if TYPE_CHECKING:
    from conftest import CreatedContainer

    MakeContainer = Callable[..., CreatedContainer]


def test_quick_list_matches_sdk(engine: Engine, make_container: MakeContainer) -> None:
    created = make_container(start=False, suffix="quick-created")
    running = make_container(suffix="quick-running")

    records = QuickList(engine.endpoint).start().records(timeout=10)

    assert records is not None
    quick = {record.id: record for record in records}
    sdk = {record.id: record for record in engine.list_containers()}
    for container in (created, running):
        assert quick[container.id].name == sdk[container.id].name
        assert quick[container.id].state == sdk[container.id].state
        assert quick[container.id].image == sdk[container.id].image
        assert quick[container.id].label("dockertui.test") == "1"


def test_missing_socket_no_list(tmp_path: Path) -> None:
    endpoint = Endpoint(host=f"unix://{tmp_path}/absent.sock", source="test")
    started = time.monotonic()

    quick = QuickList(endpoint).start()

    assert quick.records(timeout=5) is None
    assert quick.done
    assert time.monotonic() - started < 1


@pytest.fixture
def responding_socket(tmp_path: Path) -> Iterator[Callable[[bytes], str]]:
    """Yield a factory of unix sockets that send one fixed response per request."""
    servers: list[socket.socket] = []

    def serve(response: bytes) -> str:
        path = str(tmp_path / f"engine{len(servers)}.sock")
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        server.listen()
        servers.append(server)

        def respond_to_all() -> None:
            while True:
                try:
                    client, _ = server.accept()
                except OSError:
                    return
                with client:
                    client.recv(65536)
                    client.sendall(response)

        threading.Thread(target=respond_to_all, daemon=True).start()
        return f"unix://{path}"

    yield serve
    for server in servers:
        server.close()


def http_response(status: str, body: bytes) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


@pytest.mark.parametrize(
    "response",
    [
        http_response("500 Internal Server Error", b'{"message": "boom"}'),
        http_response("200 OK", b"not json"),
        http_response("200 OK", b'{"message": "an object, not a list"}'),
        http_response("200 OK", b"[7]"),
        b"garbage that is not HTTP\r\n\r\n",
        b"",
    ],
    ids=["error status", "not json", "object", "bad entry", "not http", "closed"],
)
def test_bad_response_no_list(
    responding_socket: Callable[[bytes], str], response: bytes
) -> None:
    host = responding_socket(response)

    quick = QuickList(Endpoint(host=host, source="test")).start()

    assert quick.records(timeout=5) is None
    assert quick.done


def test_valid_response_from_socket(responding_socket: Callable[[bytes], str]) -> None:
    body = (
        b'[{"Id": "' + b"a" * 64 + b'", "Names": ["/web"], "Image": "nginx:1",'
        b' "State": "running", "Status": "Up 2 hours", "Created": 1700000000,'
        b' "Labels": {"a": "[b]"}}]'
    )
    host = responding_socket(http_response("200 OK", body))

    entries = read_containers(host)
    records = QuickList(Endpoint(host=host, source="test")).start().records(5)

    assert entries[0]["Names"] == ["/web"]
    assert records is not None
    assert [(r.name, r.state, r.label("a")) for r in records] == [
        ("web", "running", "[b]")
    ]


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        (Endpoint(host="unix:///var/run/docker.sock", source="test"), True),
        (Endpoint(host="tcp://127.0.0.1:2375", source="test"), True),
        (
            Endpoint(host="tcp://127.0.0.1:2376", source="test", tls_verify=True),
            False,
        ),
        (Endpoint(host="ssh://user@example.invalid", source="test"), False),
    ],
)
def test_can_read_endpoint_kinds(endpoint: Endpoint, expected: bool) -> None:
    assert can_read(endpoint) is expected
