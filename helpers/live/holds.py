"""Holds: where 07 saw trouble, posting stops until a person clears it (06's ``clear_holds``).

Why: a reply removed by a community's moderators, a ban from a subreddit or a suspended account are Reddit telling
the bot to stop. 07 sees them while checking outcomes and writes ``live/holds.json``; 06 reads it before posting and
refuses every row of a held subreddit (every row at all when the account is held). A hold stays until a person who
has looked into it lists it in ``clear_holds``: ``r/<name>`` (or the bare name) for a subreddit, ``account`` for a
suspension.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from ..files import read_json, write_json

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


def _write(path: str | Path, holds: dict[str, dict], seen: set[str]) -> None:
    write_json({"holds": holds, "seen_removed": sorted(seen)}, path)


def add_holds(path: str | Path, trouble: dict[str, str], removed_ids: Iterable[str] = (), now: str = ""
              ) -> dict[str, dict]:
    """Add (or keep, with their first date) holds for ``trouble`` ({key: reason}); written only when it changes."""
    holds, seen = read_holds(path), seen_removed(path)
    now = now or datetime.now(timezone.utc).isoformat(timespec="seconds")
    new = {k: {"reason": r, "since": now} for k, r in trouble.items() if k not in holds}
    ids = set(map(str, removed_ids)) - seen
    if new or ids:
        holds.update(new)
        _write(path, holds, seen | ids)
    return holds


def clear_holds(path: str | Path, names: Iterable[str]) -> dict[str, dict]:
    """Remove the holds a person cleared by name; prints each one cleared and each name that had no hold."""
    if isinstance(names, str):
        from ..errors import ConfigError

        raise ConfigError("clear_holds must be a list, e.g. ['r/boardgames'] or ['account'], not a string")
    holds = read_holds(path)
    keys = [hold_key(n) for n in names]
    for key in keys:
        if key in holds:
            print(f"hold cleared by clear_holds: {key} ({holds.pop(key)['reason']})")
        else:
            print(f"clear_holds: {key} had no hold")
    if keys and Path(path).exists():
        _write(path, holds, seen_removed(path))
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
