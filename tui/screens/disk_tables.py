"""Rows of the disk screen's tables, built from a snapshot.

Every cell that contains text from the engine is a ``rich.text.Text`` made from
``clean``-ed text, so names and descriptions can neither inject markup nor
terminal escape sequences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text

from ..state.disk import CategoryUsage, DiskSnapshot, positive
from ..state.format import size
from ..state.prune import image_status
from ..state.text import clean, ellipsize_middle

Row = tuple[str, tuple[Text, ...]]
Table = tuple[tuple[str, ...], list[Row]]

MAX_NAME_CELLS = 40
"""Width at which long names are cut in the middle."""


def cell(value: object, width: int = MAX_NAME_CELLS) -> Text:
    """Return ``value`` as safe text of at most ``width`` cells."""
    return Text(ellipsize_middle(clean(str(value)), width))


def number(value: str) -> Text:
    """Return a right-aligned figure."""
    return Text(value, justify="right")


def summary_rows(categories: Sequence[CategoryUsage]) -> list[Row]:
    """Return one row per kind: title, count, size, reclaimable and why."""
    rows: list[Row] = []
    for category in categories:
        share = ""
        if category.size > 0:
            share = f" ({100 * category.reclaimable / category.size:.0f}%)"
        rows.append(
            (
                category.kind,
                (
                    Text(category.title),
                    number(str(category.count)),
                    number(size(category.size)),
                    number(size(category.reclaimable) + share),
                    Text(category.reason),
                ),
            )
        )
    return rows


def image_rows(snapshot: DiskSnapshot) -> Table:
    """Return the images, largest unique size first, with shared and unique bytes."""
    columns = ("Image", "ID", "Size", "Shared", "Unique", "Containers", "Status")
    rows: list[Row] = []
    for image in sorted(snapshot.images, key=lambda i: (-i.unique_size, i.id)):
        rows.append(
            (
                image.id,
                (
                    cell(image.display_name),
                    Text(image.short_id),
                    number(size(image.size)),
                    number(size(positive(image.shared_size))),
                    number(size(image.unique_size)),
                    number(str(len(snapshot.image_users(image.id)))),
                    Text(image_status(snapshot, image)),
                ),
            )
        )
    return columns, rows


def container_rows(snapshot: DiskSnapshot) -> Table:
    """Return the containers, largest writable layer first."""
    columns = ("Container", "ID", "State", "Writable", "Virtual", "Image")
    rows: list[Row] = []
    for container in sorted(snapshot.containers, key=lambda c: (-c.size_rw, c.name)):
        rows.append(
            (
                container.id,
                (
                    cell(container.name),
                    Text(container.short_id),
                    cell(container.state),
                    number(size(positive(container.size_rw))),
                    number(size(positive(container.size_root_fs))),
                    cell(container.image, 30),
                ),
            )
        )
    return columns, rows


def volume_rows(snapshot: DiskSnapshot) -> Table:
    """Return the volumes, largest first, with the containers that use each."""
    columns = ("Volume", "Driver", "Size", "Kind", "Used by")
    rows: list[Row] = []
    for volume in sorted(snapshot.volumes, key=lambda v: (-v.size, v.name)):
        users = ", ".join(sorted(c.name for c in snapshot.volume_users(volume.name)))
        rows.append(
            (
                volume.name,
                (
                    cell(volume.name, 30),
                    cell(volume.driver, 12),
                    number(size(volume.size) if volume.size >= 0 else "-"),
                    Text("anonymous" if volume.anonymous else "named"),
                    cell(users or "unused", 50),
                ),
            )
        )
    return columns, rows


def build_cache_rows(snapshot: DiskSnapshot) -> Table:
    """Return the build cache records, largest first."""
    columns = ("ID", "Type", "Size", "In use", "Shared", "Description")
    rows: list[Row] = []
    for record in sorted(snapshot.build_cache, key=lambda r: (-r.size, r.id)):
        rows.append(
            (
                record.id,
                (
                    cell(record.id, 14),
                    cell(record.kind, 14),
                    number(size(positive(record.size))),
                    Text("yes" if record.in_use else "no"),
                    Text("yes" if record.shared else "no"),
                    cell(record.description, 50),
                ),
            )
        )
    return columns, rows


DETAIL_BUILDERS: dict[str, Callable[[DiskSnapshot], Table]] = {
    "images": image_rows,
    "containers": container_rows,
    "volumes": volume_rows,
    "build-cache": build_cache_rows,
}
"""The detail table builder for each summary row key."""
