"""Short human forms of sizes and times, as the docker CLI prints them."""

from __future__ import annotations

from datetime import datetime

_SIZE_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")


def size(value: int | None) -> str:
    """Format a byte count in decimal units as ``docker images`` does: ``12.3MB``."""
    if value is None:
        return "-"
    amount = float(value)
    for unit in _SIZE_UNITS:
        if abs(amount) < 1000 or unit == _SIZE_UNITS[-1]:
            if unit == "B":
                return f"{int(amount)}B"
            return f"{amount:.3g}{unit}" if amount < 100 else f"{amount:.0f}{unit}"
        amount /= 1000
    return f"{value}B"


def binary_size(value: int | None) -> str:
    """Format a byte count in binary units (memory): ``64MiB``."""
    if value is None:
        return "-"
    amount = float(value)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(amount) < 1024 or unit == "TiB":
            if unit == "B":
                return f"{int(amount)}{unit}"
            # 1000 to 1023 of a unit would print as 1e+03 with three digits.
            return f"{amount:.3g}{unit}" if amount < 100 else f"{amount:.0f}{unit}"
        amount /= 1024
    return f"{value}B"


def ago(moment: datetime | None, now: datetime) -> str:
    """Say how long ago ``moment`` was, in the CLI's words: ``3 minutes ago``."""
    if moment is None:
        return "-"
    seconds = (now - moment).total_seconds()
    if seconds < 0:
        return "just now"
    return f"{duration(seconds)} ago"


def duration(seconds: float) -> str:
    """Say a length of time in the largest unit that fits: ``2 hours``."""
    if seconds < 1:
        return "Less than a second"
    steps = (
        (60, "second", 1),
        (3600, "minute", 60),
        (86400 * 2, "hour", 3600),
        (86400 * 14, "day", 86400),
        (86400 * 60, "week", 86400 * 7),
        (86400 * 365 * 2, "month", 86400 * 30),
    )
    for limit, unit, length in steps:
        if seconds < limit:
            count = int(seconds // length)
            return f"{count} {unit}" + ("s" if count != 1 else "")
    years = int(seconds // (86400 * 365))
    return f"{years} years"
