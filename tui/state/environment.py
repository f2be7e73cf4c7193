"""Container environment variables, with secret-looking values masked."""

from __future__ import annotations

from dataclasses import dataclass

SECRET_MARKERS = (
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "SECRET",
    "TOKEN",
    "KEY",
    "CREDENTIAL",
    "AUTH",
    "PRIVATE",
    "CERT",
)
"""Parts of a variable name that suggest its value is a secret (case-insensitive)."""

MASK = "••••••••"


@dataclass(frozen=True)
class EnvVar:
    """One ``NAME=value`` entry of a container's environment."""

    name: str
    value: str

    @property
    def secret(self) -> bool:
        """True when the name suggests a password, token or key."""
        upper = self.name.upper()
        return any(marker in upper for marker in SECRET_MARKERS)

    def shown_value(self, reveal: bool) -> str:
        """Return the value, or a mask for a secret unless ``reveal`` is set."""
        return self.value if reveal or not self.secret else MASK


def parse_env(entries: list[str] | None) -> list[EnvVar]:
    """Split the engine's ``Config.Env`` list into variables, in order."""
    variables = []
    for entry in entries or []:
        name, _, value = str(entry).partition("=")
        variables.append(EnvVar(name, value))
    return variables
