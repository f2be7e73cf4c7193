"""Open a shell in a container on this process's terminal (run by the exec tests)."""

from __future__ import annotations

import sys

from dockertui.engine import Engine, EngineError, resolve_endpoint
from dockertui.engine.exec import choose_shell
from dockertui.terminal import attach_shell


def main() -> int:
    """Attach to the container named on the command line and print the outcome."""
    container_id = sys.argv[1]
    command = sys.argv[2] if len(sys.argv) > 2 else None
    engine = Engine(resolve_endpoint())
    engine.connect()
    try:
        argv = choose_shell(engine, container_id, container_id[:12], command)
        code = attach_shell(engine, container_id, argv)
    except EngineError as error:
        print(f"ERROR: {error.message}", flush=True)
        return 3
    print(f"EXITED: {code}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
