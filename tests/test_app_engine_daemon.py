"""Pilot tests of engine outages: a daemon that stops and comes back, and
addresses where no daemon listens.

The outage test runs its own dockerd beside the shared one, on its own bridge
and directories under /tmp/e2, and stops only that daemon, by its pid.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docker
import pytest
from conftest import TEST_IMAGE, TEST_LABEL, unique_name
from dockertui.app import DockerTUI
from dockertui.engine.endpoint import Endpoint, resolve_endpoint
from engine_pilot import in_thread, ready, wait_for
from textual.widgets import Static

ROOT = Path("/tmp/e2")
BRIDGE = "e2br0"
BRIDGE_ADDRESS = "172.31.250.1/24"
SOCKET = ROOT / "docker.sock"
HOST = f"unix://{SOCKET}"


class SecondDaemon:
    """A private dockerd on ``/tmp/e2/docker.sock`` that a test may stop and start."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = ROOT / "dockerd.log"

    def start(self) -> None:
        """Start dockerd and wait until it responds to a ping."""
        log_file = open(self.log_path, "ab")  # noqa: SIM115 - kept for the daemon
        self.process = subprocess.Popen(
            [
                "dockerd",
                "--host",
                HOST,
                "--data-root",
                str(ROOT / "data"),
                "--exec-root",
                str(ROOT / "exec"),
                "--pidfile",
                str(ROOT / "docker.pid"),
                "--bridge",
                BRIDGE,
                "--iptables=false",
                "--ip-masq=false",
            ],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log_file.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dockerd exited early: see {self.log_path}")
            try:
                client = docker.APIClient(base_url=HOST, version="auto", timeout=5)
                client.ping()
                client.close()
                return
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.2)
        raise RuntimeError(f"dockerd did not respond within 60 s: see {self.log_path}")

    def stop(self) -> None:
        """Send SIGTERM to this dockerd only, and wait for it to exit."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True)


def _mounts_under(root: Path) -> list[str]:
    prefix = f"{root}/"
    with open("/proc/self/mounts") as mounts:
        points = [line.split()[1] for line in mounts]
    return [point for point in points if point.startswith(prefix)]


def _remove_created(created_bridge: bool) -> None:
    for point in sorted(_mounts_under(ROOT), key=len, reverse=True):
        subprocess.run(["umount", "-l", point], check=False)
    if created_bridge:
        subprocess.run(["ip", "link", "del", BRIDGE], check=False)
    if ROOT.exists() and not _mounts_under(ROOT):
        subprocess.run(["rm", "-rf", "--one-file-system", str(ROOT)], check=False)


def _copy_test_image(source: docker.APIClient) -> None:
    target = docker.APIClient(base_url=HOST, version="auto", timeout=120)
    try:
        target.load_image(b"".join(source.get_image(TEST_IMAGE)))
    finally:
        target.close()


@pytest.fixture(scope="module")
def second_daemon(docker_api: docker.APIClient) -> Iterator[SecondDaemon]:
    """Start a private dockerd with the test image, and remove it all afterwards."""
    if os.geteuid() != 0:
        pytest.skip("a second dockerd needs root (it creates a bridge)")
    if shutil.which("dockerd") is None or shutil.which("ip") is None:
        pytest.skip("a second dockerd needs the dockerd and ip commands")
    if ROOT.exists():
        pytest.skip(f"{ROOT} exists: another run may own the second dockerd")
    if (
        subprocess.run(["ip", "link", "show", BRIDGE], capture_output=True).returncode
        == 0
    ):
        pytest.skip(f"bridge {BRIDGE} exists: another run may own the second dockerd")
    ROOT.mkdir(parents=True)
    created_bridge = False
    daemon = SecondDaemon()
    try:
        _run("ip", "link", "add", BRIDGE, "type", "bridge")
        created_bridge = True
        _run("ip", "addr", "add", BRIDGE_ADDRESS, "dev", BRIDGE)
        _run("ip", "link", "set", BRIDGE, "up")
        daemon.start()
        _copy_test_image(docker_api)
        yield daemon
    finally:
        daemon.stop()
        _remove_created(created_bridge)


def banner_text(app: Any) -> str:
    banner = app.main.query_one("#banner", Static)
    return str(banner.content) if banner.display else ""


async def test_daemon_restart_reconnects(second_daemon: SecondDaemon) -> None:
    client = docker.APIClient(base_url=HOST, version="auto", timeout=30)
    response = client.create_container(
        TEST_IMAGE, command=["true"], name=unique_name("e2"), labels={TEST_LABEL: "1"}
    )
    client.close()
    container_id = str(response["Id"])
    endpoint = Endpoint(host=HOST, source="test")
    app = DockerTUI(endpoint)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await ready(app, pilot)
            table = app.main.table("containers")
            assert table.get_row_index(container_id) >= 0
            assert not app.state.stale

            await in_thread(second_daemon.stop)
            # The stream ends first; the next connect attempt finds the cause.
            await wait_for(pilot, lambda: "no socket" in banner_text(app), timeout=20)
            text = banner_text(app)
            assert f"no socket at {SOCKET}" in text
            assert "Retrying in" in text
            assert app.state.stale
            assert not app.connected
            assert app.state.containers.get(container_id) is not None
            assert table.get_row_index(container_id) >= 0
            assert table.stale

            await in_thread(second_daemon.start)
            await wait_for(pilot, lambda: app.connected, timeout=40)
            await wait_for(pilot, lambda: not app.state.stale, timeout=10)
            await wait_for(pilot, lambda: not table.stale)
            assert not banner_text(app)
            assert app.state.containers.get(container_id) is not None
            assert table.get_row_index(container_id) >= 0
    finally:
        app.engine.close()
        if second_daemon.process is None or second_daemon.process.poll() is not None:
            second_daemon.start()


async def unreachable_banner(endpoint: Endpoint) -> tuple[str, str]:
    """Run the app against ``endpoint`` until its banner shows.

    Returns the banner text and the endpoint label the header shows.
    """
    app = DockerTUI(endpoint)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await wait_for(pilot, lambda: bool(banner_text(app)), timeout=15)
            assert not app.connected
            header = app.main.query_one("#header")
            return banner_text(app), str(header.endpoint)
    finally:
        app.engine.close()


MISSING_SOCKET = "/tmp/dtui-no-such.sock"


async def test_missing_socket_banner() -> None:
    assert not os.path.exists(MISSING_SOCKET)
    endpoint = Endpoint(host=f"unix://{MISSING_SOCKET}", source="test")
    text, _ = await unreachable_banner(endpoint)
    assert f"no socket at {MISSING_SOCKET}" in text
    assert "Start the daemon" in text
    assert "--host or --context" in text


def write_context(config_dir: Path, name: str, host: str) -> None:
    """Write a docker CLI context store entry and make it current."""
    import hashlib

    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_dir = config_dir / "contexts" / "meta" / digest
    meta_dir.mkdir(parents=True)
    meta = {"Name": name, "Metadata": {}, "Endpoints": {"docker": {"Host": host}}}
    (meta_dir / "meta.json").write_text(json.dumps(meta))
    (config_dir / "config.json").write_text(json.dumps({"currentContext": name}))


async def test_context_to_nowhere_banner(tmp_path: Path) -> None:
    assert not os.path.exists(MISSING_SOCKET)
    write_context(tmp_path, "nowhere", f"unix://{MISSING_SOCKET}")
    endpoint = resolve_endpoint(environ={"DOCKER_CONFIG": str(tmp_path)})
    assert endpoint.context == "nowhere"
    assert endpoint.host == f"unix://{MISSING_SOCKET}"
    text, header_endpoint = await unreachable_banner(endpoint)
    assert f"no socket at {MISSING_SOCKET}" in text
    assert "Start the daemon" in text
    assert "nowhere" in header_endpoint
