"""Turn the colour codes kept in log lines into Rich styles."""

from __future__ import annotations

from typing import Any

from dockertui.state.logstream import LogLine
from rich.color import Color
from rich.style import Style
from rich.text import Text

_BASIC = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_ATTRIBUTES = {
    1: "bold",
    2: "dim",
    3: "italic",
    4: "underline",
    7: "reverse",
    9: "strike",
}
_RESETS = {22: ("bold", "dim"), 23: ("italic",), 24: ("underline",), 27: ("reverse",)}


def styled_text(line: LogLine) -> Text:
    """Build the body of a line, turning its colour codes into styles."""
    if line.runs is None:
        return Text(line.text, no_wrap=True, end="")
    text = Text(no_wrap=True, end="")
    style = Style()
    for params, chunk in line.runs:
        style = sgr_style(params, style)
        text.append(chunk, style)
    return text


def sgr_style(params: str, current: Style) -> Style:
    """Apply the SGR parameters ``params`` (like ``1;31``) on top of ``current``."""
    codes = [
        int(part) if part.isdigit() else 0
        for part in params.replace(":", ";").split(";")
    ]
    style = current
    position = 0
    while position < len(codes):
        code = codes[position]
        position += 1
        if code == 0:
            style = Style()
        elif code in _ATTRIBUTES:
            style += _style({_ATTRIBUTES[code]: True})
        elif code in _RESETS:
            style += _style(dict.fromkeys(_RESETS[code], False))
        elif 30 <= code <= 37 or 90 <= code <= 97:
            style += Style(color=_basic_colour(code - 30))
        elif 40 <= code <= 47 or 100 <= code <= 107:
            style += Style(bgcolor=_basic_colour(code - 40))
        elif code == 39:
            style = Style.combine([style, Style(color="default")])
        elif code == 49:
            style = Style.combine([style, Style(bgcolor="default")])
        elif code in (38, 48):
            colour, position = _extended_colour(codes, position)
            if colour is not None:
                key = "color" if code == 38 else "bgcolor"
                style += _style({key: colour})
    return style


def _style(attributes: dict[str, Any]) -> Style:
    return Style(**attributes)


def _basic_colour(offset: int) -> str:
    if offset >= 60:
        return "bright_" + _BASIC[offset - 60]
    return _BASIC[offset]


def _extended_colour(codes: list[int], position: int) -> tuple[Color | None, int]:
    mode = codes[position] if position < len(codes) else None
    if mode == 5 and position + 1 < len(codes):
        return Color.from_ansi(min(codes[position + 1], 255)), position + 2
    if mode == 2 and position + 3 < len(codes):
        red, green, blue = (min(c, 255) for c in codes[position + 1 : position + 4])
        return Color.from_rgb(red, green, blue), position + 4
    return None, len(codes)
