"""The opt-out list (live/optouts.json): people who told the bot to stop. Once on it, a person is never answered
again, in a conversation or on a rising post; nothing removes a name but a person editing the file.

A stop phrase matches as whole words in any case ("Bad bot." and "please STOP" match; "stopwatch" does not): a false
match only means the bot stays quiet, never that it answers someone who asked it not to.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..errors import InputError
from ..files import read_json, write_json


def read_optouts(path: str | Path) -> dict[str, dict]:
    """{lower-case name: {"name", "since", "comment_id", "phrase"}}; no file: nobody. A file that cannot be read is
    an error naming it: reading it as empty would answer people who asked the bot to stop."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        people = read_json(path).get("people", {})
    except (InputError, ValueError, AttributeError) as e:
        raise InputError(f"{path}: the opt-out list cannot be read ({e}); fix or restore it before answering "
                         "anyone") from None
    if not isinstance(people, dict):
        raise InputError(f"{path}: 'people' must be an object of name -> details")
    return {str(k).lower(): dict(v) for k, v in people.items()}


def add_optout(path: str | Path, name: str, comment_id: str, phrase: str, now: str = "") -> dict[str, dict]:
    """Put ``name`` on the list (kept with its first date when already there); returns the list."""
    people = read_optouts(path)
    key = name.lower()
    if key not in people:
        people[key] = {"name": name, "since": now or datetime.now(timezone.utc).isoformat(timespec="seconds"),
                       "comment_id": comment_id, "phrase": phrase}
        write_json({"people": people}, path)
    return people


def opted_out(people: dict[str, dict], name: str | None) -> bool:
    return bool(name) and str(name).lower() in people


def stop_phrase(text: str, phrases: Iterable[str]) -> str:
    """The first stop phrase ``text`` says (whole words, any case), "" if none."""
    for phrase in phrases:
        words = str(phrase).strip().split()
        if words and re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", text, re.IGNORECASE):
            return str(phrase)
    return ""
