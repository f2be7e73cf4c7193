"""The layering rules: the engine and state layers never import Textual, and
the SDK is not imported until the app connects."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

LOWER_LAYERS = [
    "dockertui.engine",
    "dockertui.engine.client",
    "dockertui.engine.convert",
    "dockertui.state.records",
    "dockertui.state.store",
    "dockertui.state.views",
    "dockertui.state.events",
    "dockertui.state.text",
]


def modules_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return set(output.split())


@pytest.mark.parametrize("module", LOWER_LAYERS)
def test_lower_layer_skips_textual(module: str) -> None:
    loaded = modules_after_import(module)
    assert "textual" not in loaded
    assert "rich" not in loaded


def test_state_layer_skips_docker() -> None:
    loaded = modules_after_import("dockertui.state.views")
    assert "docker" not in loaded


def test_engine_imports_sdk_lazily() -> None:
    """Importing the backend must not cost docker-py's import (with paramiko)."""
    loaded = modules_after_import("dockertui.engine")
    assert "docker" not in loaded
    assert "paramiko" not in loaded


def test_widgets_never_import_engine() -> None:
    widgets = Path(__file__).resolve().parent.parent / "widgets"
    for source in widgets.glob("*.py"):
        text = source.read_text()
        assert "dockertui.engine" not in text, source.name
        assert "import docker" not in text, source.name
