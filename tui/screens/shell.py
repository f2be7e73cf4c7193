"""Open an interactive shell in a container on the operator's own terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dockertui.engine.errors import EngineError
from dockertui.engine.exec import choose_shell
from dockertui.terminal import attach_shell
from textual.app import SuspendNotSupported

if TYPE_CHECKING:
    from dockertui.engine import Engine
    from dockertui.state.records import ContainerRecord
    from textual.app import App


def run_shell(
    app: App[object],
    engine: Engine,
    container: ContainerRecord,
    command: str | None = None,
) -> None:
    """Start a shell in ``container`` and give it the terminal until it exits.

    The shell is chosen in a worker thread (``command`` if set, else bash if
    present, else sh). The app is then suspended, the terminal bridged to the
    exec, and the app resumes and redraws when the shell ends. Failures are
    shown as notifications.
    """

    def prepare() -> None:
        try:
            argv = choose_shell(engine, container.id, container.name, command)
        except EngineError as error:
            app.call_from_thread(_notify_error, app, error)
            return
        app.call_from_thread(_attach, app, engine, container, argv)

    app.run_worker(prepare, thread=True, exit_on_error=False, group="shell")


def _attach(
    app: App[object], engine: Engine, container: ContainerRecord, argv: list[str]
) -> None:
    try:
        with app.suspend():
            exit_code = attach_shell(engine, container.id, argv)
    except EngineError as error:
        _notify_error(app, error)
        return
    except SuspendNotSupported:
        app.notify("This terminal cannot be handed over to a shell.", severity="error")
        return
    app.refresh(layout=True)
    # The engine may have changed while the shell had the terminal.
    resync = getattr(app, "resync", None)
    if callable(resync):
        resync()
    if exit_code not in (0, None):
        app.notify(
            f"{' '.join(argv)} in {container.name} exited with code {exit_code}."
        )


def _notify_error(app: App[object], error: EngineError) -> None:
    message = error.message + (f" {error.hint}" if error.hint else "")
    app.notify(message, title="Shell", severity="error")
