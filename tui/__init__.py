"""dockertui: a terminal dashboard for the Docker Engine."""

__version__ = "0.1.0"
