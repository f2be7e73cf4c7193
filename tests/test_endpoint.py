"""Endpoint resolution in the docker CLI's order, with a context store on disk."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from dockertui.engine import EngineError, ErrorKind, resolve_endpoint
from dockertui.engine.endpoint import DEFAULT_HOST, Endpoint


def write_context(
    config_dir: Path, name: str, host: str, skip_tls_verify: bool = False
) -> Path:
    """Create context ``name`` in a docker CLI context store, as the CLI lays it out."""
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_dir = config_dir / "contexts" / "meta" / digest
    meta_dir.mkdir(parents=True)
    meta = {
        "Name": name,
        "Metadata": {"Description": "made by a dockertui test"},
        "Endpoints": {"docker": {"Host": host, "SkipTLSVerify": skip_tls_verify}},
    }
    (meta_dir / "meta.json").write_text(json.dumps(meta))
    return meta_dir


def write_current_context(config_dir: Path, name: str) -> None:
    """Write a config.json whose ``currentContext`` is ``name``."""
    config_dir.mkdir(parents=True, exist_ok=True)
    config = {"auths": {}, "currentContext": name}
    (config_dir / "config.json").write_text(json.dumps(config))


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """An empty docker config directory with two contexts in its store."""
    directory = tmp_path / "docker-config"
    directory.mkdir()
    write_context(directory, "alpha", "unix:///run/alpha.sock")
    write_context(directory, "beta", "tcp://127.0.0.1:2999")
    return directory


def environ_for(config_dir: Path, **variables: str) -> dict[str, str]:
    """Return an environment that points the resolver at ``config_dir`` only."""
    return {"DOCKER_CONFIG": str(config_dir), "HOME": "/nonexistent", **variables}


def test_default_socket_when_nothing_is_set(config_dir: Path) -> None:
    endpoint = resolve_endpoint(environ=environ_for(config_dir))

    assert endpoint.host == DEFAULT_HOST
    assert endpoint.source == "default socket"
    assert endpoint.context == "default"


def test_host_option_wins_over_everything(config_dir: Path) -> None:
    write_current_context(config_dir, "alpha")
    environ = environ_for(
        config_dir, DOCKER_HOST="tcp://127.0.0.1:1", DOCKER_CONTEXT="beta"
    )

    endpoint = resolve_endpoint(host="unix:///tmp/from-option.sock", environ=environ)

    assert endpoint.host == "unix:///tmp/from-option.sock"
    assert endpoint.source == "--host"


def test_context_option_wins_over_environment(config_dir: Path) -> None:
    write_current_context(config_dir, "alpha")
    environ = environ_for(config_dir, DOCKER_HOST="tcp://127.0.0.1:1")

    endpoint = resolve_endpoint(context="beta", environ=environ)

    assert endpoint.host == "tcp://127.0.0.1:2999"
    assert endpoint.context == "beta"
    assert endpoint.source == "--context"


def test_docker_host_wins_over_docker_context(config_dir: Path) -> None:
    environ = environ_for(
        config_dir, DOCKER_HOST="tcp://127.0.0.1:2375", DOCKER_CONTEXT="alpha"
    )

    endpoint = resolve_endpoint(environ=environ)

    assert endpoint.host == "tcp://127.0.0.1:2375"
    assert endpoint.source == "DOCKER_HOST"


def test_docker_context_wins_over_config_file(config_dir: Path) -> None:
    write_current_context(config_dir, "beta")

    endpoint = resolve_endpoint(environ=environ_for(config_dir, DOCKER_CONTEXT="alpha"))

    assert endpoint.host == "unix:///run/alpha.sock"
    assert endpoint.context == "alpha"
    assert endpoint.source == "DOCKER_CONTEXT"


def test_current_context_from_config_file(config_dir: Path) -> None:
    write_current_context(config_dir, "alpha")

    endpoint = resolve_endpoint(environ=environ_for(config_dir))

    assert endpoint.host == "unix:///run/alpha.sock"
    assert endpoint.context == "alpha"
    assert endpoint.source == "config.json currentContext"


def test_context_named_default_is_the_default_socket(config_dir: Path) -> None:
    endpoint = resolve_endpoint(context="default", environ=environ_for(config_dir))

    assert endpoint.host == DEFAULT_HOST


def test_config_dir_from_home_when_docker_config_unset(tmp_path: Path) -> None:
    config_dir = tmp_path / ".docker"
    write_context(config_dir, "alpha", "unix:///run/alpha.sock")
    write_current_context(config_dir, "alpha")

    endpoint = resolve_endpoint(environ={"HOME": str(tmp_path)})

    assert endpoint.host == "unix:///run/alpha.sock"


def test_unreadable_config_file_means_default(config_dir: Path) -> None:
    (config_dir / "config.json").write_text("{not json")

    endpoint = resolve_endpoint(environ=environ_for(config_dir))

    assert endpoint.host == DEFAULT_HOST


def test_host_and_context_together_are_rejected(config_dir: Path) -> None:
    with pytest.raises(EngineError) as caught:
        resolve_endpoint(
            host="unix:///tmp/a.sock", context="alpha", environ=environ_for(config_dir)
        )

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert "--host" in caught.value.message
    assert "--context" in caught.value.message


@pytest.mark.parametrize("address", ["ftp://example.invalid", "localhost:2375"])
def test_invalid_scheme_in_docker_host(config_dir: Path, address: str) -> None:
    environ = environ_for(config_dir, DOCKER_HOST=address)

    with pytest.raises(EngineError) as caught:
        resolve_endpoint(environ=environ)

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert repr(address) in caught.value.message


def test_invalid_scheme_in_host_option(config_dir: Path) -> None:
    with pytest.raises(EngineError) as caught:
        resolve_endpoint(host="gopher://x", environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert "'gopher://x'" in caught.value.message


def test_invalid_scheme_in_context_is_rejected(config_dir: Path) -> None:
    write_context(config_dir, "broken", "docker.example.invalid:2375")

    with pytest.raises(EngineError) as caught:
        resolve_endpoint(context="broken", environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT


def test_bare_path_becomes_unix_address(config_dir: Path) -> None:
    endpoint = resolve_endpoint(
        host="/tmp/engine.sock", environ=environ_for(config_dir)
    )

    assert endpoint.host == "unix:///tmp/engine.sock"


def test_context_not_found(config_dir: Path) -> None:
    with pytest.raises(EngineError) as caught:
        resolve_endpoint(context="missing", environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert "'missing' not found" in caught.value.message
    assert "docker context ls" in caught.value.hint


def test_current_context_not_found(config_dir: Path) -> None:
    write_current_context(config_dir, "gone")

    with pytest.raises(EngineError) as caught:
        resolve_endpoint(environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert "'gone'" in caught.value.message


def test_context_without_docker_endpoint(config_dir: Path) -> None:
    meta_dir = write_context(config_dir, "empty", "unix:///x.sock")
    (meta_dir / "meta.json").write_text(json.dumps({"Name": "empty", "Endpoints": {}}))

    with pytest.raises(EngineError) as caught:
        resolve_endpoint(context="empty", environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT
    assert "no docker endpoint" in caught.value.message


def test_context_with_corrupt_meta(config_dir: Path) -> None:
    meta_dir = write_context(config_dir, "corrupt", "unix:///x.sock")
    (meta_dir / "meta.json").write_text("{")

    with pytest.raises(EngineError) as caught:
        resolve_endpoint(context="corrupt", environ=environ_for(config_dir))

    assert caught.value.kind is ErrorKind.BAD_ENDPOINT


def test_context_tls_files_are_used(config_dir: Path) -> None:
    write_context(config_dir, "secure", "tcp://127.0.0.1:2376")
    digest = hashlib.sha256(b"secure").hexdigest()
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    tls_dir.mkdir(parents=True)
    for file_name in ("ca.pem", "cert.pem", "key.pem"):
        (tls_dir / file_name).write_text("placeholder")

    endpoint = resolve_endpoint(context="secure", environ=environ_for(config_dir))

    assert endpoint.tls_verify is True
    assert endpoint.ca_cert == str(tls_dir / "ca.pem")
    assert endpoint.client_cert == str(tls_dir / "cert.pem")
    assert endpoint.client_key == str(tls_dir / "key.pem")


def test_docker_tls_variables_are_used(config_dir: Path, tmp_path: Path) -> None:
    environ = environ_for(
        config_dir,
        DOCKER_HOST="tcp://127.0.0.1:2376",
        DOCKER_TLS_VERIFY="1",
        DOCKER_CERT_PATH=str(tmp_path),
    )

    endpoint = resolve_endpoint(environ=environ)

    assert endpoint.tls_verify is True
    assert endpoint.ca_cert == str(tmp_path / "ca.pem")


@pytest.mark.parametrize(
    ("host", "is_local"),
    [
        ("unix:///var/run/docker.sock", True),
        ("tcp://127.0.0.1:2375", True),
        ("tcp://localhost:2375", True),
        ("tcp://[::1]:2375", True),
        ("tcp://10.1.2.3:2375", False),
        ("ssh://user@example.invalid", False),
    ],
)
def test_is_local(host: str, is_local: bool) -> None:
    assert Endpoint(host=host, source="test").is_local is is_local


def test_display_names_the_context() -> None:
    default = Endpoint(host=DEFAULT_HOST, source="default socket")
    named = Endpoint(host="tcp://127.0.0.1:1", source="--context", context="beta")

    assert default.display == DEFAULT_HOST
    assert named.display == "beta (tcp://127.0.0.1:1)"
