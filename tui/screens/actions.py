"""What each key does to the selection: which actions apply, and removal plans.

The rules follow the engine. Stop applies to running, restarting and paused
containers, and start only to created and exited ones, because the engine
rejects start on a paused container. A container in a state dockertui does not
recognise gets only inspect, logs and remove.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..state.records import ContainerRecord
from ..state.text import clean
from .confirm import ConfirmModal, Option

if TYPE_CHECKING:
    from .main import MainScreen

CONTAINER_ACTION_STATES = {
    "start": {"created", "exited"},
    "stop": {"running", "restarting", "paused"},
    "restart": {"running", "restarting", "exited", "created"},
    "pause": {"running", "paused"},
    "kill": {"running", "restarting", "paused"},
    "shell": {"running"},
    "logs": None,
}
"""Container states each action applies to; None means every state."""

MUTATING = {
    "start",
    "stop",
    "restart",
    "pause",
    "kill",
    "remove",
    "shell",
    "pull",
    "tag",
    "push",
    "build",
}
ANY_PANE = {"remove", "inspect"}
IMAGE_ACTIONS = {"tag", "push"}
VERBS = {
    "start": ("Start", "started"),
    "stop": ("Stop", "stopped"),
    "restart": ("Restart", "restarted"),
    "pause": ("Pause", "paused"),
    "unpause": ("Unpause", "unpaused"),
    "kill": ("Kill", "killed"),
}


def _targets(screen: MainScreen) -> list[ContainerRecord]:
    containers = screen.tui.state.containers
    records = (containers.get(key) for key in screen.marked_or_selected())
    return [record for record in records if record is not None]


def _applies(action: str, container: ContainerRecord) -> bool:
    states = CONTAINER_ACTION_STATES[action]
    return states is None or container.state in states


def is_available(screen: MainScreen, action: str) -> bool:
    """Return True when ``action`` makes sense for the current selection."""
    if action in MUTATING and screen.tui.read_only:
        return False
    if action in CONTAINER_ACTION_STATES:
        if screen.current != "containers":
            return False
        return any(_applies(action, c) for c in _targets(screen))
    if action in ANY_PANE:
        return screen.selected_key() is not None
    if action == "toggle_all":
        return screen.current == "containers"
    if action in IMAGE_ACTIONS:
        key = screen.selected_key() or ""
        if screen.current != "images" or not key:
            return False
        return action == "tag" or "|" in key
    return True


def unavailable_reason(screen: MainScreen, action: str) -> str:
    """Say in one sentence why ``action`` is not offered now."""
    name = action.capitalize()
    if action in CONTAINER_ACTION_STATES and screen.current != "containers":
        return f"{name} applies to containers: press 1 for the containers pane."
    targets = _targets(screen)
    if not targets and screen.selected_key() is None:
        return f"{name}: nothing is selected."
    if action in CONTAINER_ACTION_STATES and targets:
        container = targets[0]
        states = ", ".join(sorted(CONTAINER_ACTION_STATES[action] or ()))
        return (
            f"{name} is not available: {clean(container.name)} is "
            f"{clean(container.state)} ({name.lower()} applies to {states})."
        )
    return ""


CONFIRM_ALWAYS = {"kill"}
"""Actions that ask first even for one container: a kill skips the grace period."""


def simple(screen: MainScreen, action: str) -> None:
    """Run start, stop, restart, pause/unpause or kill on the target containers.

    Kill, and any action on more than one container, opens a confirmation
    that names every container it will touch.
    """
    targets = [c for c in _targets(screen) if _applies(action, c)]
    if not targets:
        return
    if action in CONFIRM_ALWAYS or len(targets) > 1:
        verb = VERBS[action][0]
        lines = [f"{clean(c.name)}  {c.short_id}  ({clean(c.state)})" for c in targets]
        noun = "container" if len(targets) == 1 else f"{len(targets)} containers"

        def confirmed(choices: dict[str, bool] | None) -> None:
            if choices is not None:
                _run_simple(screen, action, targets)

        screen.app.push_screen(
            ConfirmModal(f"{verb} {noun}?", lines, confirm_label=verb), confirmed
        )
        return
    _run_simple(screen, action, targets)


def _run_simple(
    screen: MainScreen, action: str, targets: list[ContainerRecord]
) -> None:
    engine = screen.tui.engine
    calls = {
        "start": engine.start_container,
        "stop": engine.stop_container,
        "restart": engine.restart_container,
        "pause": engine.pause_container,
        "unpause": engine.unpause_container,
        "kill": engine.kill_container,
    }
    for container in targets:
        verb = (
            "unpause" if action == "pause" and container.state == "paused" else action
        )
        name = clean(container.name)
        title, done = VERBS[verb]
        # A stop can take the whole grace period, so a toast reports it at once.
        screen.app.notify(f"{title} {name}…", timeout=2)
        screen.tui.run_engine_action(
            f"{name} {done}",
            lambda call=calls[verb], key=container.id: call(key),
        )


def inspect(screen: MainScreen) -> None:
    """Open the inspect viewer for the highlighted object."""
    from .inspect import InspectScreen

    key = screen.selected_key()
    if key is None:
        return
    kind = screen.current.removesuffix("s")
    object_id = key.split("|", 1)[0] if kind == "image" else key
    screen.app.push_screen(InspectScreen(screen.tui.engine, kind, object_id))


def logs(screen: MainScreen) -> None:
    """Open the log viewer for the target containers."""
    from .logs import LogScreen

    targets = _targets(screen)
    if targets:
        screen.app.push_screen(LogScreen(screen.tui.engine, targets))


def shell(screen: MainScreen) -> None:
    """Hand the terminal to a shell in the highlighted running container."""
    from .shell import run_shell

    container = screen.selected_container()
    if container is None or screen.tui.read_only:
        return
    run_shell(screen.tui, screen.tui.engine, container, screen.tui.shell_command)


def remove(screen: MainScreen) -> None:
    """Plan the removal of the targets of the current pane and ask first."""
    if screen.tui.read_only:
        screen.tui.notify_read_only("Remove")
        return
    planners = {
        "containers": _plan_containers,
        "images": _plan_images,
        "networks": _plan_networks,
        "volumes": _plan_volumes,
    }
    planners[screen.current](screen)


def _refuse(screen: MainScreen, title: str, reason: str) -> None:
    screen.app.notify(reason, title=title, severity="error", timeout=10)


def _plan_containers(screen: MainScreen) -> None:
    targets = _targets(screen)
    if not targets:
        return
    state = screen.tui.state
    target_ids = {c.id for c in targets}
    users = state.volume_users()
    running = [c for c in targets if c.state in ("running", "restarting", "paused")]
    anonymous = sorted(
        {
            mount.volume_name
            for c in targets
            for mount in c.mounts
            if mount.volume_name
            and (volume := state.volumes.get(mount.volume_name)) is not None
            and volume.anonymous
            and all(user.id in target_ids for user in users.get(mount.volume_name, []))
        }
    )
    lines = [
        f"container {clean(c.name)}  {c.short_id}  ({clean(c.state)})" for c in targets
    ]
    options = []
    if running:
        names = ", ".join(clean(c.name) for c in running)
        options.append(Option("force", f"Force: kill and remove running {names}", True))
    if anonymous:
        short = ", ".join(name[:12] for name in anonymous)
        options.append(Option("volumes", f"Also remove anonymous volumes {short}"))
    else:
        lines.append("Volumes are kept.")
    noun = "container" if len(targets) == 1 else f"{len(targets)} containers"

    def run(choices: dict[str, bool] | None) -> None:
        if choices is None:
            return
        for container in targets:
            screen.tui.run_engine_action(
                f"{clean(container.name)} removed",
                lambda key=container.id: screen.tui.engine.remove_container(
                    key,
                    force=choices.get("force", False),
                    volumes=choices.get("volumes", False),
                ),
            )
        screen.views["containers"].marked.clear()

    screen.app.push_screen(ConfirmModal(f"Remove {noun}?", lines, options), run)


def _plan_images(screen: MainScreen) -> None:
    state = screen.tui.state
    users = state.image_users()
    plans: list[tuple[str, str, bool]] = []
    lines: list[str] = []
    stopped_users: list[str] = []
    for key in screen.marked_or_selected():
        image_id, _, tag = key.partition("|")
        image = state.images.get(image_id)
        if image is None:
            continue
        if tag and len(image.tags) > 1:
            others = ", ".join(clean(t) for t in image.tags if t != tag)
            lines.append(f"untag {clean(tag)} (image {image.short_id} keeps {others})")
            plans.append((tag, f"{clean(tag)} untagged", False))
            continue
        image_users = users.get(image.id, [])
        running = [u for u in image_users if u.is_running]
        if running:
            names = ", ".join(clean(u.name) for u in running)
            _refuse(
                screen,
                "Image in use",
                f"Image {clean(image.display_name)} is used by running containers "
                f"{names}. Stop and remove them first.",
            )
            return
        stopped_users += [clean(u.name) for u in image_users]
        lines.append(f"image {clean(tag or image.display_name)}  {image.short_id}")
        plans.append(
            (
                tag or image.id,
                f"{clean(tag or image.short_id)} removed",
                bool(image_users),
            )
        )
    if not plans:
        return
    options = []
    if stopped_users:
        options.append(
            Option(
                "force",
                f"Force: stopped containers {', '.join(stopped_users)} use it",
                True,
            )
        )

    def run(choices: dict[str, bool] | None) -> None:
        if choices is None:
            return
        for reference, title, needs_force in plans:
            screen.tui.run_engine_action(
                title,
                lambda ref=reference, force=needs_force: screen.tui.engine.remove_image(
                    ref, force=force
                ),
            )
        screen.views["images"].marked.clear()

    screen.app.push_screen(ConfirmModal("Remove images?", lines, options), run)


def _plan_networks(screen: MainScreen) -> None:
    state = screen.tui.state
    targets = [
        n for key in screen.marked_or_selected() if (n := state.networks.get(key))
    ]
    lines = []
    for network in targets:
        if network.predefined:
            _refuse(
                screen,
                "Predefined network",
                f"{clean(network.name)} is a predefined network, which the engine "
                "never removes.",
            )
            return
        users = state.users_of_network(network)
        running = [u for u in users if u.state == "running"]
        if running:
            names = ", ".join(clean(u.name) for u in running)
            _refuse(
                screen,
                "Network in use",
                f"Network {clean(network.name)} has running containers attached: "
                f"{names}. Disconnect or stop them first.",
            )
            return
        note = (
            f" (stopped containers attached: {', '.join(clean(u.name) for u in users)})"
            if users
            else ""
        )
        lines.append(f"network {clean(network.name)}  {network.short_id}{note}")
    if not targets:
        return

    def run(choices: dict[str, bool] | None) -> None:
        if choices is None:
            return
        for network in targets:
            screen.tui.run_engine_action(
                f"network {clean(network.name)} removed",
                lambda key=network.id: screen.tui.engine.remove_network(key),
            )
        screen.views["networks"].marked.clear()

    screen.app.push_screen(ConfirmModal("Remove networks?", lines), run)


def _plan_volumes(screen: MainScreen) -> None:
    state = screen.tui.state
    users_by_volume = state.volume_users()
    targets = [
        v for key in screen.marked_or_selected() if (v := state.volumes.get(key))
    ]
    for volume in targets:
        users = users_by_volume.get(volume.name, [])
        if users:
            names = ", ".join(f"{clean(u.name)} ({clean(u.state)})" for u in users)
            _refuse(
                screen,
                "Volume in use",
                f"Volume {clean(volume.name)} is used by {names}. "
                "Remove those containers first.",
            )
            return
    if not targets:
        return
    lines = [
        f"volume {clean(v.name)}  ({'anonymous' if v.anonymous else 'named'})"
        for v in targets
    ]
    lines.append("Its data is deleted and cannot be recovered.")

    def run(choices: dict[str, bool] | None) -> None:
        if choices is None:
            return
        for volume in targets:
            screen.tui.run_engine_action(
                f"volume {clean(volume.name)} removed",
                lambda key=volume.name: screen.tui.engine.remove_volume(key),
            )
        screen.views["volumes"].marked.clear()

    screen.app.push_screen(ConfirmModal("Remove volumes?", lines), run)


def disk(screen: MainScreen) -> None:
    """Open the disk usage view; it offers cleanup unless read-only."""
    from .disk import DiskScreen

    screen.app.push_screen(
        DiskScreen(screen.tui.engine, screen.tui.read_only),
        lambda _: screen.tui.load_lists(),
    )


def pull(screen: MainScreen) -> None:
    """Ask for an image reference and pull it with per-layer progress."""
    from .image_ops import PullModal

    if screen.tui.read_only:
        screen.tui.notify_read_only("Pull")
        return

    def select(reference: str | None) -> None:
        if reference:
            screen.tui.load_lists(("images",))

    screen.app.push_screen(PullModal(screen.tui.engine), select)


def tag(screen: MainScreen) -> None:
    """Add a tag to the highlighted image."""
    from .image_ops import TagModal

    key = screen.selected_key()
    if screen.tui.read_only or screen.current != "images" or not key:
        return
    image_id, _, current = key.partition("|")
    screen.app.push_screen(
        TagModal(screen.tui.engine, image_id, current),
        lambda reference: screen.tui.load_lists(("images",)) if reference else None,
    )


def push(screen: MainScreen) -> None:
    """Push the highlighted image tag, with per-layer progress."""
    from .image_ops import PushModal

    key = screen.selected_key()
    if screen.tui.read_only or screen.current != "images" or not key or "|" not in key:
        return
    screen.app.push_screen(PushModal(screen.tui.engine, key.partition("|")[2]))


def build(screen: MainScreen) -> None:
    """Build an image from a directory, then select it in the images pane."""
    from .image_ops import BuildModal

    if screen.tui.read_only:
        screen.tui.notify_read_only("Build")
        return

    def select(image_id: str | None) -> None:
        if image_id:
            screen.tui.load_lists(("images",))
            screen.select_when_listed("images", image_id)

    screen.app.push_screen(BuildModal(screen.tui.engine), select)
