"""Holds: where 07 saw trouble, posting stops until a person clears it (06's ``clear_holds``).

Why: a reply removed by a community's moderators, a ban from a subreddit or a suspended account are Reddit telling
the bot to stop. 07 sees them while checking outcomes and writes ``live/holds.json``; 06 reads it before posting and
refuses every row of a held subreddit (every row at all when the account is held). A hold stays until a person who
has looked into it lists it in ``clear_holds``: ``r/<name>`` (or the bare name) for a subreddit, ``account`` for a
suspension.

Every write is a change applied to the file as it is on Drive now (helpers.live.sync): 07 adding a hold while 06 runs
and 06 clearing another one both stick; nobody's copy is written over the file.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from ..files import read_json
from . import sync

ACCOUNT = "account"
EVERYWHERE = "*"  # the key of blocked() that stops posting to every subreddit


def hold_key(name: str) -> str:
    n = str(name).strip().lower()
    return ACCOUNT if n in (ACCOUNT, "u/", "user") else "r/" + n.removeprefix("r/")


def read_holds(path: str | Path) -> dict[str, dict]:
    """{"r/boardgames": {"reason": ..., "since": ...}, "account": {...}}; no file: no holds."""
    path = Path(path)
    return dict(read_json(path).get("holds", {})) if path.exists() else {}


def seen_removed(path: str | Path) -> set[str]:
    """Removed replies already turned into a hold (cleared or not): a cleared hold does not come back for them."""
    path = Path(path)
    return set(read_json(path).get("seen_removed", [])) if path.exists() else set()


def _decode(data: bytes | None, path: str | Path) -> tuple[dict[str, dict], set[str]]:
    if data is None:
        return {}, set()
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise InputError(f"not valid JSON ({e})", file=Path(path)) from None
    return dict(obj.get("holds", {})), set(obj.get("seen_removed", []))


def _encode(holds: dict[str, dict], seen: set[str]) -> bytes:
    return (json.dumps({"holds": holds, "seen_removed": sorted(seen)}, indent=2, sort_keys=True) + "\n").encode()


def current(path: str | Path, drive: Any = None) -> dict[str, dict]:
    """The holds as they are on Drive now (gdrive: fetched afresh), not as a run read them at its start."""
    return _decode(sync.read(drive, path)[0], path)[0]


def add_holds(path: str | Path, trouble: dict[str, str], removed_ids: Iterable[str] = (), now: str = "",
              drive: Any = None) -> dict[str, dict]:
    """Add (or keep, with their first date) holds for ``trouble`` ({key: reason}) to the holds on Drive now (a
    union: holds written meanwhile by anyone stay); written only when it changes. ``drive``: the gdrive remote."""
    now = now or datetime.now(timezone.utc).isoformat(timespec="seconds")

    def change(data: bytes | None) -> bytes | None:
        holds, seen = _decode(data, path)
        new = {k: {"reason": r, "since": now} for k, r in trouble.items() if k not in holds}
        ids = set(map(str, removed_ids)) - seen
        return _encode({**holds, **new}, seen | ids) if new or ids else None

    return _decode(sync.update(drive, path, change, "adding holds"), path)[0]


def clear_holds(path: str | Path, names: Iterable[str], drive: Any = None) -> dict[str, dict]:
    """Remove the holds a person cleared by name from the holds on Drive now (every other hold, also one added
    meanwhile, stays); prints each one cleared and each name that had no hold. Returns the holds now."""
    if isinstance(names, str):
        from ..errors import ConfigError

        raise ConfigError("clear_holds must be a list, e.g. ['r/boardgames'] or ['account'], not a string")
    keys = [hold_key(n) for n in names]
    cleared: dict[str, str] = {}

    def change(data: bytes | None) -> bytes | None:
        holds, seen = _decode(data, path)
        cleared.clear()
        cleared.update({k: holds.pop(k)["reason"] for k in keys if k in holds})
        return _encode(holds, seen) if cleared else None

    holds = _decode(sync.update(drive, path, change, "clearing holds"), path)[0]
    for key in keys:
        print(f"hold cleared by clear_holds: {key} ({cleared[key]})" if key in cleared
              else f"clear_holds: {key} had no hold")
    return holds


def blocked(holds: dict[str, dict]) -> dict[str, str]:
    """Lower-case subreddit -> reason, for posting; EVERYWHERE when the account is held."""
    if ACCOUNT in holds:
        return {EVERYWHERE: f"hold on the account: {holds[ACCOUNT]['reason']}"}
    return {k[2:]: f"hold: {v['reason']}" for k, v in holds.items() if k.startswith("r/")}


def trouble_seen(outcomes, suspended: bool, banned_in: Iterable[str], seen: set[str] = frozenset()
                 ) -> tuple[dict[str, str], list[str]]:
    """New holds from one 07 check (replies removed by moderators that no hold covered yet, per subreddit; bans; a
    suspension) and the ids of those removed replies."""
    trouble: dict[str, str] = {}
    if suspended:
        trouble[ACCOUNT] = "the account is suspended"
    for sub in banned_in:
        trouble[hold_key(sub)] = "the account is banned from this subreddit"
    ids: list[str] = []
    if len(outcomes) and "state" in outcomes:
        removed = outcomes[(outcomes["state"] == "removed") & ~outcomes["reply_id"].astype(str).isin(seen)]
        ids = removed["reply_id"].astype(str).tolist()
        for sub, n in removed.groupby(removed["subreddit"].astype(str).str.lower()).size().items():
            trouble.setdefault(hold_key(sub), f"{n} repl{'y' if n == 1 else 'ies'} removed by the moderators")
    return trouble, ids
