"""Make text that comes from containers safe to put on the operator's screen.

Container names, labels, commands, env values and log lines are written by
whoever built the container. Terminal escape sequences in them could repaint
or retitle the operator's terminal, and control characters break the layout.
``clean`` removes both. Markup is not this module's concern: widgets wrap the
result in ``rich.text.Text``, which never parses markup.
"""

from __future__ import annotations

import re
import unicodedata

# ECMA-48: CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC strings ended by
# BEL or ST, two-byte escapes (ESC followed by one byte in 0x20-0x7e), and the
# 8-bit C1 forms of CSI and OSC.
_ESCAPE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]          # CSI with parameters and final byte
    | \x9b[0-?]*[ -/]*[@-~]          # 8-bit CSI
    | (?:\x1b[\]PX^_]|[\x90\x9d\x98\x9e\x9f])  # OSC, DCS, SOS, PM, APC
      .*?(?:\x07|\x1b\\|\x9c|$)      # ... up to BEL, ST or the end
    | \x1b[ -/]*[0-~]                # other escapes (ESC 7, ESC c, ESC ( B)
    | \x1b$                          # a lone ESC at the end
    """,
    re.VERBOSE | re.DOTALL,
)
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_escapes(text: str) -> str:
    """Remove every terminal escape sequence from ``text``."""
    if "\x1b" not in text and not any("\x80" <= ch <= "\x9f" for ch in text):
        return text
    return _ESCAPE.sub("", text)


def clean(text: str, keep_newlines: bool = False) -> str:
    """Return ``text`` without escape sequences or control characters.

    Tabs become a space, and newlines too unless ``keep_newlines`` is set, so a
    one-line field stays one line in a table cell.
    """
    text = strip_escapes(text)
    if keep_newlines:
        text = text.replace("\r\n", "\n")
        lines = [
            _CONTROL.sub("", line.replace("\t", "    ")) for line in text.split("\n")
        ]
        return "\n".join(lines)
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")
    return _CONTROL.sub("", text)


def split_sgr(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (SGR parameters, text) pairs, dropping other escapes.

    Log viewers use this to turn colour codes into styles while everything else
    that could move the cursor or clear the screen is removed.
    """
    pieces: list[tuple[str, str]] = []
    params = ""
    position = 0
    for match in _SGR.finditer(text):
        if match.start() > position:
            pieces.append((params, clean(text[position : match.start()])))
        params = match.group(1)
        position = match.end()
    if position < len(text):
        pieces.append((params, clean(text[position:])))
    return [(code, chunk) for code, chunk in pieces if chunk]


def cell_width(text: str) -> int:
    """Return how many terminal cells ``text`` takes: wide East Asian characters
    and most emoji take two, combining marks none."""
    if text.isascii():
        # Every ASCII character takes one cell, as _char_width counts it.
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\u200c\u200d\ufe0f":
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def take_cells(text: str, width: int, from_end: bool = False) -> str:
    """Return the longest head (or tail) of ``text`` that fits in ``width`` cells."""
    taken: list[str] = []
    used = 0
    for ch in reversed(text) if from_end else text:
        size = _char_width(ch)
        if used + size > width:
            break
        taken.append(ch)
        used += size
    return "".join(reversed(taken)) if from_end else "".join(taken)


def ellipsize_middle(text: str, width: int) -> str:
    """Shorten ``text`` to at most ``width`` cells by cutting out its middle.

    Two long names that differ only at the end stay distinguishable, which a
    cut at the end would hide.
    """
    if width <= 0:
        return ""
    if cell_width(text) <= width:
        return text
    if width <= 3:
        return take_cells(text, width)
    tail_width = (width - 1) // 2
    head_width = width - 1 - tail_width
    return take_cells(text, head_width) + "…" + take_cells(text, tail_width, True)
