"""The opt-out list (live/optouts.json): people who told the bot to stop. Once on it, a person is never answered
again, in a conversation or on a rising post; nothing removes a name but a person editing the file.

A stop phrase matches as whole words in any case ("Bad bot." and "please STOP" match; "stopwatch" does not): a false
match only means the bot stays quiet, never that it answers someone who asked it not to.

Every addition is a union with the list as it is on Drive now (helpers.sync's compare-and-swap): two runtimes adding
a name at once both stick; no run writes its stale copy over a name another run added.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .. import sync
from ..errors import InputError
from ..files import read_json


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


def _decode(data: bytes | None, path: Path) -> dict[str, Any]:
    if data is None:
        return {}
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"{path}: the opt-out list cannot be read ({e}); fix or restore it before answering "
                         "anyone") from None
    people = obj.get("people", {}) if isinstance(obj, dict) else None
    if not isinstance(people, dict):
        raise InputError(f"{path}: 'people' must be an object of name -> details")
    return dict(people)


def current(path: str | Path, drive: Any = None) -> dict[str, dict]:
    """The list as it is on Drive now (gdrive: fetched afresh into the cache), not as a run read it at its start."""
    sync.read(drive, path)
    return read_optouts(path)


def add_optout(path: str | Path, name: str, comment_id: str, phrase: str, now: str = "",
               drive: Any = None) -> dict[str, dict]:
    """Put ``name`` on the list as it is on Drive now (kept with its first date when already there; every name
    anyone added meanwhile stays); returns the list. ``drive``: the helpers.drive.Drive whose remote holds it."""
    path = Path(path)
    key = name.lower()
    entry = {"name": name, "since": now or datetime.now(timezone.utc).isoformat(timespec="seconds"),
             "comment_id": comment_id, "phrase": phrase}

    def change(data: bytes | None) -> bytes | None:
        people = _decode(data, path)
        if key in {str(k).lower() for k in people}:
            return None
        return (json.dumps({"people": {**people, key: entry}}, indent=2, sort_keys=True) + "\n").encode("utf-8")

    sync.update(drive, path, change, f"adding {name} to the opt-out list")
    return read_optouts(path)


def opted_out(people: dict[str, dict], name: str | None) -> bool:
    return bool(name) and str(name).lower() in people


def stop_phrase(text: str, phrases: Iterable[str]) -> str:
    """The first stop phrase ``text`` says (whole words, any case), "" if none."""
    for phrase in phrases:
        words = str(phrase).strip().split()
        if words and re.search(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)", text, re.IGNORECASE):
            return str(phrase)
    return ""
