"""A person's confirmation that they read a subreddit's rules and the bot may post there: recorded with the rules'
SHA-256 in live/rules_confirmed.json on the Drive root, so a change of the rules' text voids it.

Why: the keyword screen (helpers.reddit.bot_rules) cannot catch every wording of "no bots"; a person reads each
community's full rules once, and again whenever they change. Given in the notebook (a panel button) or, in batch
runs, with the parameter ``confirm_rules``: a plain name confirms a subreddit never confirmed before; once rules
changed, only ``name@<first 12 hex digits of the new hash>`` (printed beside the new text) confirms them again, so a
parameter left standing in a preset cannot wave a change through.

A confirmation is written into the file as it is on Drive now (helpers.sync's compare-and-swap), a union by
subreddit: a newer confirmation of the same subreddit replaces the older, every other subreddit's stays, also one a
person or another runtime confirmed meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .. import sync
from ..errors import ConfigError, InputError

FIELDS = ("short_name", "description", "violation_reason")
WILDCARDS = {"*", "all", "any", "every", "everything", "everywhere"}  # never a name: one community at a time
SHORT = 12  # hex digits of the hash a person writes after the name: name@1a2b3c4d5e6f


def rules_sha256(rules: list[dict]) -> str:
    """The hash of the rules' text as a person reads it (every rule's name, description and removal reason, in
    order); any change of a word changes it."""
    text = json.dumps([[str(r.get(k) or "") for k in FIELDS] for r in rules], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rules_text(rules: list[dict]) -> str:
    """The full rules, numbered, as shown to the person who confirms them."""
    if not rules:
        return "  (this community lists no rules of its own; Reddit's site rules apply)"
    out = []
    for i, r in enumerate(rules, 1):
        out.append(f"  {i}. {str(r.get('short_name') or '').strip()}")
        for line in str(r.get("description") or "").strip().splitlines():
            out.append(f"     {line}")
        reason = str(r.get("violation_reason") or "").strip()
        if reason and reason != str(r.get("short_name") or "").strip():
            out.append(f"     (removal reason: {reason})")
    return "\n".join(out)


def confirm_names(names: Iterable[str], param: str = "confirm_rules") -> dict[str, str]:
    """The parameter as {lower-case subreddit: hash prefix or ""}; a wildcard, pattern or malformed hash is refused:
    a person confirms one community's rules at a time."""
    if isinstance(names, str):
        raise ConfigError(f"{param} must be a list of subreddit names, e.g. ['mysub'], not a string")
    out = {}
    for n in names:
        name, _, digest = str(n).strip().removeprefix("r/").lower().partition("@")
        bad_hash = bool(digest) and not re.fullmatch(r"[0-9a-f]{%d}" % SHORT, digest)
        if name in WILDCARDS or not re.fullmatch(r"[a-z0-9_]{2,21}", name) or bad_hash:
            raise ConfigError(f"{param}: {n!r} is not a subreddit name (or name@<{SHORT} hex digits of its rules' "
                              "hash, as the preflight prints it); list each subreddit whose rules you read")
        out[name] = digest
    return out


def _records(data: bytes | None, path: Path) -> dict[str, dict[str, Any]]:
    """An unreadable file is an error naming it, never read as "nothing confirmed" or "all confirmed"."""
    if data is None:
        return {}
    try:
        return {str(k).lower(): dict(v) for k, v in json.loads(data.decode("utf-8"))["subreddits"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputError(f"not a rules confirmation file ({type(e).__name__}: {e}); fix or delete it (every "
                         "subreddit then needs confirming again)", file=path) from None


@dataclass
class Confirmations:
    """live/rules_confirmed.json as read: lower-case subreddit -> the last confirmation recorded for it. ``drive``:
    the helpers.drive.Drive whose remote holds the file (None: a plain file)."""

    path: Path
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    drive: Any = None

    @classmethod
    def load(cls, path: str | Path, drive: Any = None) -> "Confirmations":
        """The confirmations as they are on Drive now (gdrive: fetched afresh into the cache)."""
        path = Path(path)
        return cls(path, _records(sync.read(drive, path)[0], path), drive)

    def state(self, name: str, sha: str) -> tuple[str, dict[str, Any]]:
        """("confirmed" | "changed" | "never", the record): confirmed only for exactly these rules."""
        rec = self.records.get(name.lower())
        if rec is None:
            return "never", {}
        return ("confirmed" if rec.get("rules_sha256") == sha else "changed"), rec

    def may_confirm(self, name: str, sha: str, digest: str) -> str:
        """Why confirm_rules' entry does not confirm these rules ("" when it does)."""
        state, rec = self.state(name, sha)
        if digest and not sha.startswith(digest):
            return (f"confirm_rules names r/{name}@{digest}, but its rules now hash to {sha[:SHORT]}: they are not "
                    "the text you confirmed; read them again")
        if state == "changed" and not digest:
            return (f"its rules changed since {rec.get('confirmed_by', 'a person')} confirmed them on "
                    f"{rec.get('confirmed_at', '?')}: read them again and pass confirm_rules=['{name}@{sha[:SHORT]}']")
        return ""

    def record(self, name: str, rules: list[dict], by: str, account: str = "") -> dict[str, Any]:
        """Write a person's confirmation of these rules into the file as it is on Drive now (compare-and-swap: every
        other subreddit's confirmation, also one written meanwhile, stays) and return it."""
        rec = {"subreddit": name, "rules_sha256": rules_sha256(rules), "rules_count": len(rules),
               "confirmed_by": by, "confirmed_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "bot_account": account, "rules": [{k: str(r.get(k) or "") for k in FIELDS} for r in rules]}

        def change(data: bytes | None) -> bytes:
            records = {**_records(data, self.path), name.lower(): rec}
            return (json.dumps({"subreddits": dict(sorted(records.items()))}, indent=2, sort_keys=True)
                    + "\n").encode("utf-8")

        self.records = _records(sync.update(self.drive, self.path, change, f"confirming r/{name}'s rules"), self.path)
        return rec
