"""The engine layer: the only code that talks to the Docker Engine."""

from .client import Engine
from .endpoint import Endpoint, resolve_endpoint
from .errors import EngineError, ErrorKind

__all__ = ["Endpoint", "Engine", "EngineError", "ErrorKind", "resolve_endpoint"]
