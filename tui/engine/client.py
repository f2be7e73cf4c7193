"""The Docker Engine backend: the only module that imports the SDK.

``Engine`` wraps docker-py's low-level ``APIClient`` because the high-level
``containers.list()`` inspects every container one by one. Every list here is
one request, and no call asks the engine for sizes. Each method returns records
from ``dockertui.state.records`` or plain JSON, and raises only ``EngineError``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from ..state.records import (
    ContainerDetail,
    ContainerRecord,
    EngineEvent,
    EngineInfo,
    ImageRecord,
    NetworkRecord,
    VolumeRecord,
)
from . import convert
from .endpoint import Endpoint
from .errors import EngineError, ErrorKind, api_error, connection_error

if TYPE_CHECKING:
    import docker

log = logging.getLogger(__name__)

T = TypeVar("T")

REQUEST_TIMEOUT = 30.0
"""Seconds one ordinary request may take before it counts as timed out."""

CONNECT_TIMEOUT = 10.0
"""Seconds the first ``/version`` request may take when connecting."""


def _import_sdk(ssh: bool) -> Any:
    """Import docker-py, without paramiko unless the engine is reached over SSH.

    docker-py 7.1 imports paramiko whenever it is installed (about 0.2 s of
    the start-up, measured with ``python -X importtime``), though only ssh://
    addresses use it. Marking it absent makes docker-py skip its SSH adapter.
    """
    import sys

    if ssh or "docker" in sys.modules or "paramiko" in sys.modules:
        import docker

        return docker
    sys.modules["paramiko"] = None  # type: ignore[assignment]
    try:
        import docker
    finally:
        del sys.modules["paramiko"]
    return docker


class Engine:
    """A connection to one Docker Engine.

    Creating an Engine does no I/O and does not import the SDK: call ``connect()``
    from a worker thread. Methods are safe to call from several threads at once,
    because the SDK's connection pool serialises requests per connection.
    """

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._api: docker.APIClient | None = None
        self._lock = threading.Lock()
        self._event_stream: Any = None

    # Connection

    @property
    def api(self) -> docker.APIClient:
        """The SDK client; raises EngineError when not connected yet."""
        if self._api is None:
            raise EngineError(ErrorKind.UNEXPECTED, "Not connected to the engine yet.")
        return self._api

    def connect(self) -> EngineInfo:
        """Open the connection, negotiate the API version and read the engine info.

        Raises:
            EngineError: with a connection kind when the engine cannot be reached.
        """
        self.close()
        try:
            docker = _import_sdk(ssh=self.endpoint.host.startswith("ssh://"))
            from docker.tls import TLSConfig

            tls: Any = False
            if self.endpoint.tls_verify or self.endpoint.client_cert:
                tls = TLSConfig(
                    client_cert=(self.endpoint.client_cert, self.endpoint.client_key)
                    if self.endpoint.client_cert
                    else None,
                    ca_cert=self.endpoint.ca_cert or None,
                    verify=self.endpoint.tls_verify,
                )
            api = docker.APIClient(
                base_url=self.endpoint.host,
                version="auto",
                timeout=CONNECT_TIMEOUT,
                tls=tls,
            )
            api.timeout = REQUEST_TIMEOUT
            version = api.version()
            info = api.info()
        except EngineError:
            raise
        except Exception as error:  # noqa: BLE001 - every failure maps to a kind
            log.warning("connect to %s failed: %r", self.endpoint.host, error)
            raise connection_error(error, self.endpoint.host) from error
        with self._lock:
            self._api = api
        log.info(
            "connected to %s (engine %s, API %s)",
            self.endpoint.host,
            version.get("Version"),
            api.api_version,
        )
        return convert.engine_info(
            self.endpoint.display, self.endpoint.is_local, version, info
        )

    def close(self) -> None:
        """Close the event stream and every pooled connection."""
        self.close_events()
        with self._lock:
            api, self._api = self._api, None
        if api is not None:
            try:
                api.close()
            except Exception:  # noqa: BLE001 - closing a dead client may fail
                log.debug("closing the client failed", exc_info=True)

    def _call(self, action: str, function: Callable[[], T]) -> T:
        """Run one SDK call and map any failure to an EngineError."""
        from docker.errors import APIError, DockerException

        try:
            return function()
        except APIError as error:
            log.warning("%s failed: %s", action, error)
            raise api_error(error, action) from error
        except EngineError:
            raise
        except (DockerException, OSError, Exception) as error:  # noqa: BLE001
            mapped = connection_error(error, self.endpoint.host)
            log.warning("%s failed: %r", action, error)
            raise mapped from error

    # Lists: one request each, no sizes.

    def info(self) -> EngineInfo:
        """Read ``/version`` and ``/info`` again (counts and figures change)."""
        version = self._call("read version", self.api.version)
        info = self._call("read info", self.api.info)
        return convert.engine_info(
            self.endpoint.display, self.endpoint.is_local, version, info
        )

    def list_containers(self, ids: list[str] | None = None) -> list[ContainerRecord]:
        """List all containers, or only those whose id is in ``ids``."""
        filters = {"id": ids} if ids else None
        entries = self._call(
            "list containers",
            lambda: self.api.containers(all=True, filters=filters),
        )
        return [convert.container_from_list(entry) for entry in entries]

    def list_images(self) -> list[ImageRecord]:
        """List the images ``docker images`` shows (no intermediate layers)."""
        entries = self._call("list images", lambda: self.api.images())
        return [convert.image_from_list(entry) for entry in entries]

    def list_networks(self) -> list[NetworkRecord]:
        """List every network."""
        entries = self._call("list networks", lambda: self.api.networks())
        return [convert.network_from_list(entry) for entry in entries]

    def list_volumes(self) -> list[VolumeRecord]:
        """List every volume."""
        answer = self._call("list volumes", lambda: self.api.volumes())
        return [
            convert.volume_from_list(entry) for entry in answer.get("Volumes") or []
        ]

    # Inspect

    def inspect(self, kind: str, object_id: str) -> dict[str, Any]:
        """Return the full inspect JSON of a container, image, network or volume."""
        functions: dict[str, Callable[[str], dict[str, Any]]] = {
            "container": self.api.inspect_container,
            "image": self.api.inspect_image,
            "network": self.api.inspect_network,
            "volume": self.api.inspect_volume,
        }
        return self._call(
            f"inspect {kind} {object_id[:12]}", lambda: functions[kind](object_id)
        )

    def container_detail(self, container_id: str) -> ContainerDetail:
        """Inspect a container and keep the fields its list entry lacks."""
        return convert.container_detail(self.inspect("container", container_id))

    def top(self, container_id: str) -> tuple[list[str], list[list[str]]]:
        """Return the column titles and rows of ``ps`` inside a running container."""
        answer = self._call(
            f"list processes of {container_id[:12]}",
            lambda: self.api.top(container_id),
        )
        titles = [str(title) for title in answer.get("Titles") or []]
        rows = [[str(cell) for cell in row] for row in answer.get("Processes") or []]
        return titles, rows

    def image_history(self, image_id: str) -> list[dict[str, Any]]:
        """Return the layers of an image, newest first."""
        return self._call(
            f"read history of image {image_id[:19]}",
            lambda: self.api.history(image_id),
        )

    # Container actions

    def start_container(self, container_id: str) -> None:
        """Start a created or exited container."""
        self._act("start", container_id, lambda: self.api.start(container_id))

    def stop_container(self, container_id: str, timeout: int = 10) -> None:
        """Stop a container: SIGTERM, then SIGKILL after ``timeout`` seconds."""
        self._act(
            "stop",
            container_id,
            lambda: self.api.stop(container_id, timeout=timeout),
            request_timeout=timeout + REQUEST_TIMEOUT,
        )

    def restart_container(self, container_id: str, timeout: int = 10) -> None:
        """Restart a container, waiting up to ``timeout`` seconds for it to stop."""
        self._act(
            "restart",
            container_id,
            lambda: self.api.restart(container_id, timeout=timeout),
            request_timeout=timeout + REQUEST_TIMEOUT,
        )

    def pause_container(self, container_id: str) -> None:
        """Freeze every process of a running container."""
        self._act("pause", container_id, lambda: self.api.pause(container_id))

    def unpause_container(self, container_id: str) -> None:
        """Resume a paused container."""
        self._act("unpause", container_id, lambda: self.api.unpause(container_id))

    def kill_container(self, container_id: str, signal: str = "SIGKILL") -> None:
        """Send ``signal`` to the container's main process."""
        self._act("kill", container_id, lambda: self.api.kill(container_id, signal))

    def remove_container(
        self, container_id: str, force: bool = False, volumes: bool = False
    ) -> None:
        """Remove a container; ``volumes`` also removes its anonymous volumes."""
        self._act(
            "remove",
            container_id,
            lambda: self.api.remove_container(container_id, v=volumes, force=force),
        )

    def remove_image(self, image_id: str, force: bool = False) -> None:
        """Remove an image by id or by one of its tags."""
        self._act(
            "remove image",
            image_id,
            lambda: self.api.remove_image(image_id, force=force),
        )

    def remove_network(self, network_id: str) -> None:
        """Remove a network."""
        self._act(
            "remove network", network_id, lambda: self.api.remove_network(network_id)
        )

    def remove_volume(self, name: str) -> None:
        """Remove a volume."""
        self._act("remove volume", name, lambda: self.api.remove_volume(name))

    def _act(
        self,
        action: str,
        object_id: str,
        function: Callable[[], Any],
        request_timeout: float | None = None,
    ) -> None:
        log.info("%s %s", action, object_id[:19])
        if request_timeout is None:
            self._call(f"{action} {object_id[:12]}", function)
            return
        # A stop waits for the container's grace period, so the HTTP timeout
        # must be longer than that period.
        api = self.api
        previous, api.timeout = api.timeout, request_timeout
        try:
            self._call(f"{action} {object_id[:12]}", function)
        finally:
            api.timeout = previous

    # Resource figures

    def stats_sampler(self, info: EngineInfo, interval: float) -> Any:
        """Return a ``StatsSampler`` for this engine (cgroup files or the API)."""
        from .stats import StatsSampler

        return StatsSampler(self, info, interval=interval)

    def host_probe(self, info: EngineInfo) -> Any:
        """Return a ``HostProbe`` that reads the engine host's figures."""
        from .host import HostProbe

        return HostProbe(info)

    # Streams

    def events(self) -> Iterator[EngineEvent]:
        """Open the event stream and return an iterator over its events.

        The stream is open when this returns, so a list read afterwards misses
        no change. Iteration ends when ``close_events()`` is called.

        Raises:
            EngineError: when the stream cannot be opened; iteration raises it
                when the stream breaks.
        """
        stream = self._call("follow events", lambda: self.api.events(decode=True))
        with self._lock:
            self._event_stream = stream
        return self._iterate_events(stream)

    def _iterate_events(self, stream: Any) -> Iterator[EngineEvent]:
        try:
            for entry in stream:
                if isinstance(entry, dict):
                    yield convert.event_from_json(entry)
        except Exception as error:  # noqa: BLE001 - a closed stream raises anything
            if self._event_stream is not stream:
                return
            raise connection_error(error, self.endpoint.host) from error
        finally:
            with self._lock:
                if self._event_stream is stream:
                    self._event_stream = None

    def close_events(self) -> None:
        """End the event stream, so the thread reading it returns."""
        with self._lock:
            stream, self._event_stream = self._event_stream, None
        if stream is not None:
            try:
                stream.close()
            except Exception:  # noqa: BLE001 - the socket may already be gone
                log.debug("closing the event stream failed", exc_info=True)

    def logs(self, container_id: str, tail: int = 300) -> Any:
        """Open a following log stream of raw chunks; the caller closes it."""
        return self._call(
            f"read logs of {container_id[:12]}",
            lambda: self.api.logs(
                container_id, stream=True, follow=True, tail=tail, timestamps=False
            ),
        )
