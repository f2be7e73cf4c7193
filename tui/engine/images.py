"""Pull, push, tag and build images, and read an image's history.

Pulls, pushes and builds return a ``TransferStream`` of decoded JSON messages
that another thread can close to cancel. Registry credentials come from the
docker CLI's config (``~/.docker/config.json``: ``auths`` entries and credential
helpers), resolved by the SDK's ``docker.auth`` exactly as ``APIClient.pull``
does. They travel only in the ``X-Registry-Auth`` header and are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..state.transfer import HistoryEntry
from .convert import parse_time
from .errors import EngineError, ErrorKind

if TYPE_CHECKING:
    from .client import Engine

log = logging.getLogger(__name__)


class TransferStream:
    """Decoded messages of a pull, push or build, which ``close()`` cancels.

    Closing shuts the socket down, which makes the engine cancel the pull or
    push, and makes the reading thread's loop end without an error.
    """

    def __init__(self, messages: Iterator[Any], response: Any, action: str) -> None:
        self._messages = messages
        self._response = response
        self._action = action
        self._closed = threading.Event()

    @property
    def cancelled(self) -> bool:
        """True once ``close()`` was called."""
        return self._closed.is_set()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        try:
            for message in self._messages:
                if isinstance(message, dict):
                    yield message
        except Exception as error:  # noqa: BLE001 - a closed socket raises anything
            if self._closed.is_set():
                return
            log.warning("%s stream broke: %r", self._action, error)
            raise EngineError(
                ErrorKind.UNEXPECTED, f"{self._action} failed: {error}"
            ) from error

    def close(self) -> None:
        """Stop the transfer: shut the connection down."""
        if self._closed.is_set():
            return
        self._closed.set()
        from docker.types.daemon import CancellableStream

        try:
            CancellableStream(iter(()), self._response).close()
        except Exception:  # noqa: BLE001 - the socket may already be gone
            log.debug("closing the %s stream failed", self._action, exc_info=True)
        self._response.close()


def split_reference(reference: str) -> tuple[str, str]:
    """Split ``name[:tag]`` or ``name@digest`` into repository and tag or digest.

    Raises:
        EngineError: with kind REJECTED for an empty reference or one with spaces.
    """
    from docker.utils import parse_repository_tag

    reference = reference.strip()
    if not reference or any(ch.isspace() for ch in reference):
        raise EngineError(
            ErrorKind.REJECTED,
            f"Invalid image reference {reference!r}: expected name[:tag] or "
            "name@sha256:digest.",
        )
    repository, tag = parse_repository_tag(reference)
    return repository, tag or "latest"


def _registry_header(engine: Engine, repository: str) -> dict[str, str]:
    from docker import auth

    registry, _ = auth.resolve_repository_name(repository)
    header = auth.get_config_header(engine.api, registry)
    # The engine's push endpoint rejects a request without this header, so an
    # anonymous request sends an empty credential object, as the docker CLI does.
    return {"X-Registry-Auth": header or auth.encode_header({})}


def _open_stream(
    engine: Engine, action: str, path: str, params: dict[str, Any], **request: Any
) -> TransferStream:
    """POST to ``path`` and return its streamed, decoded response.

    The SDK's ``pull`` and ``push`` return a generator that hides the HTTP
    response, and only the response can be closed to cancel. So this makes the
    same request through the SDK's own request helpers.
    """
    api = engine.api

    def send() -> Any:
        response = api._post(
            api._url(path), params=params, stream=True, timeout=None, **request
        )
        api._raise_for_status(response)
        return response

    response = engine._call(action, send)
    return TransferStream(api._stream_helper(response, decode=True), response, action)


def pull(engine: Engine, reference: str) -> TransferStream:
    """Start pulling ``reference`` (``name:tag`` or ``name@digest``).

    Raises:
        EngineError: when the engine rejects the request before streaming, for
            example a missing image (NOT_FOUND) or an unreachable registry.
    """
    repository, tag = split_reference(reference)
    log.info("pull %s:%s", repository, tag)
    return _open_stream(
        engine,
        f"pull {reference}",
        "/images/create",
        {"fromImage": repository, "tag": tag},
        headers=_registry_header(engine, repository),
    )


def push(engine: Engine, reference: str) -> TransferStream:
    """Start pushing the local image ``reference`` to its registry."""
    repository, tag = split_reference(reference)
    log.info("push %s:%s", repository, tag)
    return _open_stream(
        engine,
        f"push {reference}",
        f"/images/{repository}/push",
        {"tag": tag},
        headers=_registry_header(engine, repository),
    )


def tag(engine: Engine, image_id: str, reference: str) -> None:
    """Give the image ``image_id`` the name ``reference`` (``repository[:tag]``)."""
    repository, tag_name = split_reference(reference)
    if tag_name.startswith("sha256:"):
        raise EngineError(
            ErrorKind.REJECTED,
            f"Invalid tag {reference!r}: a tag cannot be a digest.",
        )
    log.info("tag %s as %s:%s", image_id[:19], repository, tag_name)
    engine._call(
        f"tag {image_id[:19]} as {reference}",
        lambda: engine.api.tag(image_id, repository, tag_name),
    )


def _build_context(directory: str, dockerfile: str) -> Any:
    """Return a tar of ``directory`` without the paths ``.dockerignore`` excludes."""
    from docker.utils import tar

    ignore_path = os.path.join(directory, ".dockerignore")
    exclude: list[str] = []
    if os.path.exists(ignore_path):
        with open(ignore_path) as ignore_file:
            lines = (line.strip() for line in ignore_file.read().splitlines())
            exclude = [line for line in lines if line and not line.startswith("#")]
    return tar(directory, exclude=exclude, dockerfile=(dockerfile, None), gzip=False)


def build(
    engine: Engine,
    directory: str,
    tag_name: str = "",
    dockerfile: str = "Dockerfile",
    labels: dict[str, str] | None = None,
) -> TransferStream:
    """Start building ``directory`` with its Dockerfile (multi-stage included).

    Intermediate containers are removed even when a step fails.

    Raises:
        EngineError: with kind NOT_FOUND when the directory or Dockerfile is missing.
    """
    if not os.path.isfile(os.path.join(directory, dockerfile)):
        raise EngineError(
            ErrorKind.NOT_FOUND,
            f"No {dockerfile} in {directory!r}.",
            "Pick a directory that contains a Dockerfile.",
        )
    params: dict[str, Any] = {"rm": True, "forcerm": True, "dockerfile": dockerfile}
    if tag_name:
        params["t"] = tag_name
    if labels:
        params["labels"] = json.dumps(labels)
    context = _build_context(directory, dockerfile)
    headers = {"Content-Type": "application/tar"}
    engine.api._set_auth_headers(headers)
    log.info("build %s as %s", directory, tag_name or "(untagged)")
    try:
        return _open_stream(
            engine,
            f"build {directory}",
            "/build",
            params,
            data=context,
            headers=headers,
        )
    finally:
        context.close()


def history(engine: Engine, image_id: str) -> list[HistoryEntry]:
    """Return the steps that made an image, newest first, with their layer sizes."""
    entries = engine.image_history(image_id)
    return [
        HistoryEntry(
            id=str(entry.get("Id") or ""),
            created=parse_time(entry.get("Created")),
            created_by=str(entry.get("CreatedBy") or ""),
            size=int(entry.get("Size") or 0),
            comment=str(entry.get("Comment") or ""),
            tags=tuple(str(t) for t in entry.get("Tags") or ()),
        )
        for entry in entries
    ]
