"""Pull, push, tag, build and history against the real engine and a loopback registry.

The registry is Debian's ``docker-registry`` on 127.0.0.1:5000, started by
``scripts/start-registry`` when no registry listens there yet, and stopped at the
end only if this session started it.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import CREATED, TEST_IMAGE, TEST_LABEL, CreatedContainer
from dockertui.engine import Engine, EngineError, ErrorKind, images
from dockertui.engine.endpoint import resolve_endpoint
from dockertui.state.transfer import (
    BuildLog,
    RegistryErrorKind,
    TransferProgress,
    classify_registry_error,
)

if TYPE_CHECKING:
    import docker

REGISTRY = "127.0.0.1:5000"
SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "start-registry"
LABELS = {TEST_LABEL: "1"}


@pytest.fixture(scope="session")
def registry() -> Iterator[str]:
    """Yield the loopback registry's address, starting it when it is not up."""
    result = subprocess.run(
        [str(SCRIPT)], capture_output=True, text=True, timeout=30, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/start-registry failed: {result.stderr.strip()}")
    words = result.stdout.split()
    yield REGISTRY
    if words and words[0] == "started":
        os.kill(int(words[1]), signal.SIGTERM)
        shutil.rmtree(words[2], ignore_errors=True)


@pytest.fixture
def scratch_refs(docker_api: docker.APIClient) -> Iterator[list[str]]:
    """Yield a list of references and image ids to remove after the test."""
    refs: list[str] = []
    yield refs
    for ref in reversed(refs):
        try:
            docker_api.remove_image(ref, force=True)
        except Exception:  # noqa: BLE001 - already gone
            pass


def unique_repository() -> str:
    """Return a fresh repository name in the loopback registry."""
    return f"{REGISTRY}/dtui-test/{uuid.uuid4().hex[:12]}"


def run_transfer(stream: images.TransferStream) -> TransferProgress:
    """Read a pull or push to the end and return its folded progress."""
    progress = TransferProgress()
    for message in stream:
        progress.apply(message)
    return progress


def image_with_blob(
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    kilobytes: int,
) -> str:
    """Commit an image with a random file of ``kilobytes``, so its layer is new."""
    command = f"head -c {kilobytes * 1024} /dev/urandom > /blob"
    writer = make_container(["sh", "-c", command])
    docker_api.wait(writer.id, timeout=60)
    image_id = str(docker_api.commit(writer.id, conf={"Labels": LABELS})["Id"])
    CREATED.images.append(image_id)
    return image_id


def test_push_then_pull_back(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    registry: str,
    scratch_refs: list[str],
) -> None:
    image_id = image_with_blob(docker_api, make_container, 512)
    reference = f"{unique_repository()}:v1"
    scratch_refs.extend([image_id, reference])
    images.tag(engine, image_id, reference)

    pushed = run_transfer(images.push(engine, reference))
    docker_api.remove_image(reference)
    pulled = run_transfer(images.pull(engine, reference))

    assert pushed.error == ""
    assert pushed.digest.startswith("sha256:")
    assert all(layer.done for layer in pushed.layers.values())
    assert pulled.error == ""
    assert pulled.digest == pushed.digest
    downloaded = [layer for layer in pulled.layers.values() if layer.total > 0]
    assert downloaded, "the new layer reports its bytes"
    assert pulled.fraction == 1.0
    assert docker_api.inspect_image(reference)["Id"] == image_id


def test_pull_by_digest(
    engine: Engine,
    docker_api: docker.APIClient,
    registry: str,
    scratch_refs: list[str],
) -> None:
    repository = unique_repository()
    scratch_refs.append(f"{repository}:latest")
    images.tag(engine, TEST_IMAGE, f"{repository}:latest")
    digest = run_transfer(images.push(engine, f"{repository}:latest")).digest
    scratch_refs.append(f"{repository}@{digest}")

    pulled = run_transfer(images.pull(engine, f"{repository}@{digest}"))

    assert pulled.error == ""
    assert (
        f"{repository}@{digest}" in docker_api.inspect_image(TEST_IMAGE)["RepoDigests"]
    )


def test_pull_missing_name_not_found(engine: Engine, registry: str) -> None:
    reference = f"{unique_repository()}:nope"

    with pytest.raises(EngineError) as caught:
        run_transfer(images.pull(engine, reference))

    assert caught.value.kind is ErrorKind.NOT_FOUND
    assert classify_registry_error(caught.value.message) is RegistryErrorKind.NOT_FOUND


def test_pull_from_closed_port_unreachable(engine: Engine) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(EngineError) as caught:
        run_transfer(images.pull(engine, f"127.0.0.1:{port}/dtui-test/x:latest"))

    kind = classify_registry_error(caught.value.message)
    assert kind is RegistryErrorKind.UNREACHABLE


def test_pull_cancel_stops_transfer(
    engine: Engine,
    docker_api: docker.APIClient,
    make_container: Callable[..., CreatedContainer],
    registry: str,
    scratch_refs: list[str],
) -> None:
    image_id = image_with_blob(docker_api, make_container, 60 * 1024)
    reference = f"{unique_repository()}:big"
    scratch_refs.extend([image_id, reference])
    images.tag(engine, image_id, reference)
    run_transfer(images.push(engine, reference))
    docker_api.remove_image(reference)

    stream = images.pull(engine, reference)
    seen: list[str] = []
    for message in stream:
        seen.append(str(message.get("status")))
        if message.get("status") in ("Pulling fs layer", "Downloading"):
            stream.close()

    assert stream.cancelled
    assert "Pull complete" not in seen
    with pytest.raises(Exception, match="No such image"):
        docker_api.inspect_image(reference)


def test_tag_rejects_invalid_reference(engine: Engine) -> None:
    for reference in ("", "has space:1", "name@sha256:" + "a" * 64):
        with pytest.raises(EngineError):
            images.tag(engine, TEST_IMAGE, reference)


def test_tag_names_image(
    engine: Engine, docker_api: docker.APIClient, scratch_refs: list[str]
) -> None:
    reference = f"dtui-test-tag-{uuid.uuid4().hex[:8]}:v2"
    scratch_refs.append(reference)

    images.tag(engine, TEST_IMAGE, reference)

    assert reference in docker_api.inspect_image(TEST_IMAGE)["RepoTags"]


def build_leftovers(
    docker_api: docker.APIClient, before: set[str], lines: list[str]
) -> list[str]:
    """Return ids of images named in the build output and new since ``before``."""
    made: list[str] = []
    for line in lines:
        if line.startswith(" ---> ") and " " not in line.strip()[5:]:
            short = line.strip()[5:]
            for entry in docker_api.images(all=True):
                full = str(entry["Id"])
                if (
                    full.removeprefix("sha256:").startswith(short)
                    and full not in before
                ):
                    made.append(full)
    return list(dict.fromkeys(made))


@pytest.fixture
def build_dir(tmp_path: Path, docker_api: docker.APIClient) -> Iterator[Path]:
    """Yield a build directory, then remove every image its builds made."""
    before = {str(entry["Id"]) for entry in docker_api.images(all=True)}
    yield tmp_path
    lines = (
        (tmp_path / "build.log").read_text().splitlines()
        if (tmp_path / "build.log").exists()
        else []
    )
    for image_id in reversed(build_leftovers(docker_api, before, lines)):
        try:
            docker_api.remove_image(image_id, force=True)
        except Exception:  # noqa: BLE001 - removed with its child already
            pass


def run_build(engine: Engine, directory: Path, tag_name: str = "") -> BuildLog:
    """Build ``directory`` to the end, saving the output for the cleanup."""
    log = BuildLog()
    try:
        for message in images.build(engine, str(directory), tag_name, labels=LABELS):
            log.apply(message)
    finally:
        (directory / "build.log").write_text("\n".join(log.lines))
    return log


MULTI_STAGE = f"""\
FROM {TEST_IMAGE} AS first
LABEL {TEST_LABEL}="1"
RUN echo staged > /made.txt
FROM {TEST_IMAGE}
LABEL {TEST_LABEL}="1"
COPY --from=first /made.txt /made.txt
CMD ["cat", "/made.txt"]
"""


def test_build_multi_stage_returns_id(
    engine: Engine, docker_api: docker.APIClient, build_dir: Path
) -> None:
    (build_dir / "Dockerfile").write_text(MULTI_STAGE)
    tag_name = f"dtui-test-build-{uuid.uuid4().hex[:8]}:latest"

    log = run_build(engine, build_dir, tag_name)

    assert log.error == ""
    assert log.image_id.startswith("sha256:")
    inspect = docker_api.inspect_image(tag_name)
    assert inspect["Id"] == log.image_id
    assert inspect["Config"]["Labels"][TEST_LABEL] == "1"
    assert any(line.startswith("Step 6/") for line in log.lines)


def test_build_failure_names_step(engine: Engine, build_dir: Path) -> None:
    steps = [f"FROM {TEST_IMAGE}", f'LABEL {TEST_LABEL}="1"', "RUN echo fine"]
    steps += ["RUN exit 3", "RUN echo never"]
    dockerfile = "\n".join(steps) + "\n"
    (build_dir / "Dockerfile").write_text(dockerfile)

    log = run_build(engine, build_dir)

    assert log.image_id == ""
    assert log.failing_step == "Step 4/6 : RUN exit 3"
    assert "non-zero code: 3" in log.error


def test_build_without_dockerfile_rejected(engine: Engine, tmp_path: Path) -> None:
    with pytest.raises(EngineError) as caught:
        images.build(engine, str(tmp_path))

    assert caught.value.kind is ErrorKind.NOT_FOUND


def test_history_lists_layers_and_commands(
    engine: Engine, docker_api: docker.APIClient
) -> None:
    entries = images.history(engine, TEST_IMAGE)

    assert 'CMD ["sh"]' in [entry.command for entry in entries]
    assert (
        sum(entry.size for entry in entries)
        == docker_api.inspect_image(TEST_IMAGE)["Size"]
    )
    assert any("busybox" in entry.command for entry in entries)


def test_credentials_used_but_never_logged(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    registry: str,
) -> None:
    secret = f"s3cret-{uuid.uuid4().hex}"
    auth = base64.b64encode(f"dtui:{secret}".encode()).decode()
    config = {"auths": {REGISTRY: {"auth": auth}}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    caplog.set_level(logging.DEBUG)
    fresh = Engine(resolve_endpoint())
    fresh.connect()
    try:
        header = images._registry_header(fresh, f"{REGISTRY}/dtui-test/x")
        with pytest.raises(EngineError) as caught:
            run_transfer(images.pull(fresh, f"{unique_repository()}:nope"))
    finally:
        fresh.close()

    sent = json.loads(base64.urlsafe_b64decode(header["X-Registry-Auth"]))
    assert sent["password"] == secret
    assert secret not in caplog.text
    assert secret not in caught.value.message


def test_build_output_escapes_stripped(engine: Engine, build_dir: Path) -> None:
    steps = [f"FROM {TEST_IMAGE}", r"RUN printf 'a\033]0;title\007b\033[2Jc\377d\n'"]
    (build_dir / "Dockerfile").write_text("\n".join(steps) + "\n")

    log = run_build(engine, build_dir)

    printed = [line for line in log.lines if line.startswith("ab")]
    assert log.error == ""
    assert printed == ["abc\ufffdd"]
