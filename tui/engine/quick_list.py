"""Read the container list once, with the standard library only, at start-up.

Importing Textual and the Docker SDK takes a few hundred milliseconds. An
operator waits for the container list, so ``dockertui`` requests it first,
in a thread, over plain HTTP while those imports run. The response seeds the
containers pane and the plain first frame. The SDK connection made afterwards
lists everything again and follows events, so this list is replaced within
seconds.

Only endpoints the standard library can reach are read this way: a unix
socket, or tcp:// without TLS. Any failure leaves the normal connection to
report it.
"""

from __future__ import annotations

import http.client
import json
import logging
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

from ..state.records import ContainerRecord
from .convert import container_from_list
from .endpoint import Endpoint

log = logging.getLogger(__name__)

TIMEOUT = 5.0
"""Seconds the request may take. A slower engine is left to the SDK connection."""

PATH = "/containers/json?all=1"


class _UnixConnection(http.client.HTTPConnection):
    """An HTTP connection over a unix socket."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        """Connect to the socket path instead of a host and port."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def can_read(endpoint: Endpoint) -> bool:
    """Return whether the standard library can reach this endpoint."""
    if endpoint.host.startswith("unix://"):
        return True
    plain_tcp = endpoint.host.startswith(("tcp://", "http://"))
    return plain_tcp and not (endpoint.tls_verify or endpoint.client_cert)


def _connection(host: str, timeout: float) -> http.client.HTTPConnection:
    if host.startswith("unix://"):
        return _UnixConnection(host[len("unix://") :], timeout)
    address = urlsplit(host.replace("tcp://", "http://", 1))
    return http.client.HTTPConnection(
        address.hostname or "localhost", address.port or 2375, timeout=timeout
    )


def read_containers(host: str, timeout: float = TIMEOUT) -> list[dict[str, Any]]:
    """Return the engine's list of all containers as decoded JSON.

    Raises:
        OSError: the engine cannot be reached.
        ValueError: the response is not a list of containers.
    """
    connection = _connection(host, timeout)
    try:
        connection.request("GET", PATH, headers={"Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
    except http.client.HTTPException as error:
        raise OSError(f"invalid HTTP response from {host}: {error}") from error
    finally:
        connection.close()
    if response.status != 200:
        raise ValueError(f"{host} returned HTTP {response.status} for {PATH}")
    entries = json.loads(body)
    if not isinstance(entries, list):
        kind = type(entries).__name__
        raise ValueError(f"{host} returned a JSON {kind}, expected a list")
    return entries


class QuickList:
    """The container list read in a background thread as soon as possible."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._records: list[ContainerRecord] | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._read, name="quick-list", daemon=True
        )

    def start(self) -> QuickList:
        """Start reading; returns self."""
        self._thread.start()
        return self

    def _read(self) -> None:
        try:
            entries = read_containers(self.endpoint.host)
            self._records = [container_from_list(entry) for entry in entries]
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as error:
            log.info(
                "quick container list from %s failed: %s", self.endpoint.host, error
            )
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        """True once the read finished, with or without a list."""
        return self._done.is_set()

    def records(self, timeout: float | None = 0.0) -> list[ContainerRecord] | None:
        """Return the records, waiting up to ``timeout`` seconds; None if none."""
        self._done.wait(timeout)
        return self._records if self._done.is_set() else None
