"""Find the engine the operator's ``docker`` command talks to.

The docker CLI picks its engine in this order: ``--host``, ``--context``,
``DOCKER_HOST``, ``DOCKER_CONTEXT``, the ``currentContext`` of
``~/.docker/config.json``, then the default socket. docker-py's ``from_env()``
reads only ``DOCKER_HOST``, so this module reads the contexts itself. It imports
nothing from the SDK, so it is cheap and testable on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import EngineError, ErrorKind

DEFAULT_HOST = "unix:///var/run/docker.sock"
DEFAULT_CONTEXT = "default"
KNOWN_SCHEMES = ("unix://", "tcp://", "ssh://", "http://", "https://", "npipe://")


@dataclass(frozen=True)
class Endpoint:
    """The engine address, how to reach it, and the rule that chose it."""

    host: str
    source: str
    context: str = DEFAULT_CONTEXT
    tls_verify: bool = False
    ca_cert: str = ""
    client_cert: str = ""
    client_key: str = ""

    @property
    def is_local(self) -> bool:
        """True when the engine runs on this machine, so psutil and cgroups apply."""
        if self.host.startswith("unix://"):
            return True
        for prefix in ("tcp://", "http://", "https://"):
            if self.host.startswith(prefix):
                address = self.host[len(prefix) :].split("/")[0]
                hostname = address.rsplit(":", 1)[0].strip("[]")
                return hostname in ("localhost", "127.0.0.1", "::1")
        return False

    @property
    def display(self) -> str:
        """A short label for the header: the context name when it is not default."""
        if self.context != DEFAULT_CONTEXT:
            return f"{self.context} ({self.host})"
        return self.host


def docker_config_dir(environ: dict[str, str] | None = None) -> Path:
    """Return the docker CLI's config directory (``DOCKER_CONFIG`` or ~/.docker)."""
    env = os.environ if environ is None else environ
    configured = env.get("DOCKER_CONFIG")
    if configured:
        return Path(configured)
    return Path(env.get("HOME", str(Path.home()))) / ".docker"


def validate_host(host: str) -> str:
    """Return ``host`` when its scheme is one the SDK accepts.

    Raises:
        EngineError: with kind BAD_ENDPOINT for an address with no known scheme.
    """
    if host.startswith("/"):
        return f"unix://{host}"
    if not host.startswith(KNOWN_SCHEMES):
        raise EngineError(
            ErrorKind.BAD_ENDPOINT,
            f"Invalid engine address {host!r}: expected unix://, tcp://, ssh:// "
            "or https:// followed by a path or host.",
        )
    return host


def current_context_name(config_dir: Path) -> str:
    """Return ``currentContext`` from config.json, or "default" when unset."""
    try:
        config = json.loads((config_dir / "config.json").read_text())
    except (OSError, ValueError):
        return DEFAULT_CONTEXT
    name = config.get("currentContext") if isinstance(config, dict) else None
    return name if isinstance(name, str) and name else DEFAULT_CONTEXT


def context_endpoint(name: str, config_dir: Path, source: str) -> Endpoint:
    """Read the docker endpoint of context ``name`` from the CLI's context store.

    Raises:
        EngineError: with kind BAD_ENDPOINT when the context does not exist or
            names no docker endpoint.
    """
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta_path = config_dir / "contexts" / "meta" / digest / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
    except FileNotFoundError:
        raise EngineError(
            ErrorKind.BAD_ENDPOINT,
            f"Context {name!r} not found.",
            "List contexts with 'docker context ls', or pass --host.",
        ) from None
    except (OSError, ValueError) as error:
        raise EngineError(
            ErrorKind.BAD_ENDPOINT,
            f"Context {name!r} cannot be read: {error}",
        ) from None
    docker_endpoint = (meta.get("Endpoints") or {}).get("docker") or {}
    host = docker_endpoint.get("Host")
    if not isinstance(host, str) or not host:
        raise EngineError(
            ErrorKind.BAD_ENDPOINT,
            f"Context {name!r} has no docker endpoint.",
        )
    tls_dir = config_dir / "contexts" / "tls" / digest / "docker"
    has_tls = (tls_dir / "ca.pem").exists() or (tls_dir / "cert.pem").exists()
    return Endpoint(
        host=validate_host(host),
        source=source,
        context=name,
        tls_verify=has_tls and not docker_endpoint.get("SkipTLSVerify", False),
        ca_cert=str(tls_dir / "ca.pem") if (tls_dir / "ca.pem").exists() else "",
        client_cert=str(tls_dir / "cert.pem") if has_tls else "",
        client_key=str(tls_dir / "key.pem") if has_tls else "",
    )


def _tls_from_env(env: dict[str, str] | os._Environ[str]) -> dict[str, object]:
    if not env.get("DOCKER_TLS_VERIFY") and not env.get("DOCKER_CERT_PATH"):
        return {}
    cert_dir = Path(env.get("DOCKER_CERT_PATH") or docker_config_dir(dict(env)))
    return {
        "tls_verify": bool(env.get("DOCKER_TLS_VERIFY")),
        "ca_cert": str(cert_dir / "ca.pem"),
        "client_cert": str(cert_dir / "cert.pem"),
        "client_key": str(cert_dir / "key.pem"),
    }


def resolve_endpoint(
    host: str | None = None,
    context: str | None = None,
    environ: dict[str, str] | None = None,
) -> Endpoint:
    """Pick the engine in the docker CLI's order and record which rule chose it.

    Raises:
        EngineError: with kind BAD_ENDPOINT for conflicting flags, an invalid
            address or a context that does not exist.
    """
    env = os.environ if environ is None else environ
    config_dir = docker_config_dir(dict(env))
    if host and context:
        raise EngineError(
            ErrorKind.BAD_ENDPOINT,
            "Conflicting options: give either --host or --context, not both.",
        )
    if host:
        return Endpoint(host=validate_host(host), source="--host")
    if context:
        return _named_context(context, config_dir, "--context", env)
    env_host = env.get("DOCKER_HOST")
    if env_host:
        return Endpoint(
            host=validate_host(env_host), source="DOCKER_HOST", **_tls_from_env(env)
        )  # type: ignore[arg-type]
    env_context = env.get("DOCKER_CONTEXT")
    if env_context:
        return _named_context(env_context, config_dir, "DOCKER_CONTEXT", env)
    name = current_context_name(config_dir)
    return _named_context(name, config_dir, "config.json currentContext", env)


def _named_context(
    name: str,
    config_dir: Path,
    source: str,
    env: dict[str, str] | os._Environ[str],
) -> Endpoint:
    if name == DEFAULT_CONTEXT:
        return Endpoint(host=DEFAULT_HOST, source="default socket")
    return context_endpoint(name, config_dir, source)
