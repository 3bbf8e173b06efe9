"""Text cleaning shared by data preparation and generation: Reddit bodies arrive HTML-escaped, sometimes twice."""

from __future__ import annotations

import html
import re

SEP = "[SEP]"
END_TOKEN = "<|endoftext|>"
START_TOKEN = "<|startoftext|>"
DELETED = frozenset({"[deleted]", "[removed]", "[deleted by user]"})

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_URL_ONLY = re.compile(r"^\s*(\[[^\]]*\]\()?\s*https?://\S+\)?\s*$")


def unescape(text: str) -> str:
    """Undo HTML escaping until stable (Reddit's dumps hold '&amp;#x200B;', i.e. escaped twice)."""
    for _ in range(3):
        new = html.unescape(text)
        if new == text:
            break
        text = new
    return text


def clean_text(text: str) -> str:
    """Unescape, drop zero-width characters, collapse runs of spaces and of newlines, strip."""
    text = unescape(str(text))
    text = _ZERO_WIDTH.sub("", text).replace("\xa0", " ")
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def is_link_only(text: str) -> bool:
    return bool(_URL_ONLY.match(text))
