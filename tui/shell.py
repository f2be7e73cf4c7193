"""Open a shell in a container, handing the terminal over and taking it back."""

from __future__ import annotations
