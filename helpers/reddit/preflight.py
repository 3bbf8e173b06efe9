"""Preflight before any live work (05, 06, 07 and ``python -m helpers preflight``): is the account usable, and may the
bot write in each target subreddit?

Why: many communities forbid bots or AI-written comments in their rules, and Reddit restricts accounts that behave
like bots without saying so. So before the bot reads a thread to answer it, the account (suspended or not, age,
karma) and each subreddit (exists and public, the account not banned there, NSFW or not, and its rules) are checked.
A rule that mentions bots, automation or AI refuses the subreddit, naming the rule, unless a person who has the
moderators' permission lists it by name in ``bot_allowed_subreddits`` (the screen: helpers.reddit.bot_rules). A
subreddit the screen lets through is still not posted to until a person has read its full rules once
(helpers.reddit.rules_confirm: a panel button, or ``confirm_rules``); a change of the rules voids that. NSFW
communities are skipped unless listed in ``nsfw_allowed_subreddits`` (since 2026 Reddit's age verification stops
registered bots there). Private, quarantined, restricted, archived, banned or unknown subreddits are skipped with the
reason. One table, printed and saved with the run."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd

from ..errors import ConfigError, StageError
from .bot_rules import bot_rule
from .client import access_error
from .rules_confirm import SHORT, WILDCARDS, Confirmations, confirm_names, rules_sha256, rules_text

NEW_ACCOUNT_DAYS = 30  # communities commonly filter (AutoModerator) accounts younger than this ...
LOW_KARMA = 50  # ... or with less karma than this
USABLE = ("ok", "allowed")  # may be posted to
READABLE = (*USABLE, "unconfirmed")  # may be read and answered (05), not posted to until a person confirms the rules
COLUMNS = ["subreddit", "verdict", "reason", "nsfw", "type"]

RulesFor = Callable[[str], list[dict]]


def allowed_names(names: Iterable[str], param: str = "bot_allowed_subreddits") -> set[str]:
    """The subreddits a person listed by name; a wildcard or pattern is refused: permission is given one community
    at a time, by its moderators."""
    if isinstance(names, str):
        raise ConfigError(f"{param} must be a list of subreddit names, e.g. ['mysub'], not a string")
    out = set()
    for n in names:
        name = str(n).strip().removeprefix("r/").lower()
        if name in WILDCARDS or not re.fullmatch(r"[a-z0-9_]{2,21}", name):
            raise ConfigError(f"{param}: {n!r} is not a subreddit name; list each subreddit whose moderators "
                              "allowed the bot by its name (never all of them at once)")
        out.add(name)
    return out


def praw_rules(reddit) -> RulesFor:
    """Rules as Reddit's API gives them (/r/<sub>/about/rules)."""
    def rules_for(name: str) -> list[dict]:
        return [{"short_name": r.short_name, "description": getattr(r, "description", ""),
                 "violation_reason": getattr(r, "violation_reason", "")} for r in reddit.subreddit(name).rules]
    return rules_for


def account_row(reddit, now: float | None = None) -> dict[str, Any]:
    """The bot account: name, suspended, age in days, karma, and a warning where communities often filter it."""
    try:
        me = reddit.user.me(use_cache=False)  # now, not as the client first saw it
    except Exception as e:  # a 401/403 here is nearly always the app's approval or its credentials
        err = access_error(e)
        if err is None:
            raise
        raise err from None
    suspended = bool(getattr(me, "is_suspended", False))
    row: dict[str, Any] = {"name": str(me), "suspended": suspended, "age_days": None, "karma": None, "warning": ""}
    if suspended:
        return row
    created = getattr(me, "created_utc", None)
    row["age_days"] = int(((now or time.time()) - float(created)) // 86400) if created else None
    row["karma"] = int(getattr(me, "link_karma", 0) or 0) + int(getattr(me, "comment_karma", 0) or 0)
    warn = []
    if row["age_days"] is not None and row["age_days"] < NEW_ACCOUNT_DAYS:
        warn.append(f"account younger than {NEW_ACCOUNT_DAYS} days")
    if row["karma"] < LOW_KARMA:
        warn.append(f"karma below {LOW_KARMA}")
    if warn:
        row["warning"] = " and ".join(warn) + ": many communities filter such accounts' comments automatically"
    return row


def _about(reddit, name: str) -> tuple[dict[str, Any], str]:
    """(about fields, reason to skip or "") from /r/<sub>/about; Reddit's 403/404 reasons become skip reasons."""
    import prawcore

    sub = reddit.subreddit(name)
    try:
        kind = sub.subreddit_type  # PRAW's lazy object loads /r/<sub>/about here: its errors are seen here
    except prawcore.Forbidden as e:
        reason = _json(e).get("reason", "forbidden")
        return {}, {"private": "private community", "quarantined": "quarantined community"}.get(reason, reason)
    except prawcore.NotFound as e:
        return {}, "banned by Reddit" if _json(e).get("reason") == "banned" else "does not exist"
    except prawcore.Redirect:
        return {}, "does not exist"
    about = {"type": kind, "nsfw": bool(getattr(sub, "over18", False))}
    if getattr(sub, "quarantine", False):
        return about, "quarantined community"
    if about["type"] != "public":
        return about, f"{about['type']} community (only public ones are used)"
    if getattr(sub, "user_is_banned", False):
        return about, "the account is banned here"
    return about, ""


def _json(e: Exception) -> dict:
    try:
        return e.response.json()  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - no JSON body: no reason given
        return {}


@dataclass
class Policy:
    """What people decided: subreddits whose moderators allow the bot, NSFW ones allowed, rules confirmed (on Drive)
    and confirm_rules of this run (name -> hash prefix or ""), who confirms, and the bot account's name."""

    allowed: set[str] = field(default_factory=set)
    nsfw_allowed: set[str] = field(default_factory=set)
    confirmations: Confirmations | None = None  # None: confirmation not checked (the keyword screen only)
    confirm: dict[str, str] = field(default_factory=dict)
    by: str = ""
    account: str = ""


def subreddit_row(reddit, name: str, allowed: set[str] | Policy, rules_for: RulesFor | None = None,
                  shown: dict[str, list[dict]] | None = None) -> dict[str, Any]:
    """One subreddit's verdict: ok | allowed (a bot rule, but listed by a person) | unconfirmed (no person has
    confirmed these rules yet) | refused (a bot rule) | skipped. ``shown`` collects the rules of unconfirmed ones."""
    policy = allowed if isinstance(allowed, Policy) else Policy(allowed=set(allowed))
    row = {"subreddit": name, "verdict": "ok", "reason": "", "nsfw": None, "type": None}
    if reddit is not None:
        about, skip = _about(reddit, name)
        row.update(nsfw=about.get("nsfw"), type=about.get("type"))
        if skip:
            return dict(row, verdict="skipped", reason=skip)
        if about.get("nsfw") and name.lower() not in policy.nsfw_allowed:
            return dict(row, verdict="skipped", reason="NSFW (over 18) community: since 2026 Reddit's age "
                        "verification stops registered bots there; list it in nsfw_allowed_subreddits only if its "
                        "moderators and Reddit allow the bot")
    try:
        rules = (rules_for or praw_rules(reddit))(name)
    except Exception as e:  # noqa: BLE001 - rules that cannot be read are not rules that allow the bot
        return dict(row, verdict="refused", reason=f"its rules could not be read ({type(e).__name__}: {e})")
    hit = bot_rule(rules)
    if hit is None:
        row["reason"] = f"{len(rules)} rule(s), none about bots or AI"
    elif name.lower() in policy.allowed:
        row.update(verdict="allowed", reason=f'rule "{hit[0]}" (mentions "{hit[1]}"); listed in '
                                             "bot_allowed_subreddits: the moderators gave permission")
    else:
        return dict(row, verdict="refused", reason=f'rule "{hit[0]}" (mentions "{hit[1]}")')
    return _confirmed(row, name, rules, policy, shown)


def _confirmed(row: dict[str, Any], name: str, rules: list[dict], policy: Policy,
               shown: dict[str, list[dict]] | None) -> dict[str, Any]:
    """The row once a person's confirmation of exactly these rules is looked up (and recorded, for confirm_rules)."""
    book = policy.confirmations
    if book is None:
        return row
    sha, key = rules_sha256(rules), name.lower()
    state, rec = book.state(key, sha)
    if key in policy.confirm:
        why = book.may_confirm(key, sha, policy.confirm[key])
        if not why:
            if state != "confirmed":
                rec = book.record(name, rules, policy.by, policy.account)
                print(f"rules of r/{name} ({sha[:SHORT]}) confirmed by {policy.by}")
            return dict(row, reason=row["reason"] + f"; rules {sha[:SHORT]} confirmed by {rec['confirmed_by']}")
        print(f"confirm_rules: r/{name} not confirmed: {why}")
    if state == "confirmed":
        return dict(row, reason=row["reason"] + f"; rules {sha[:SHORT]} confirmed by {rec.get('confirmed_by')} "
                                                f"on {rec.get('confirmed_at')}")
    if shown is not None:
        shown[name] = rules
    if state == "changed":
        why = (f"its rules changed since {rec.get('confirmed_by')} confirmed them on {rec.get('confirmed_at')} "
               f"(now {sha[:SHORT]}): read them again and confirm (panel button, or confirm_rules=['{key}@"
               f"{sha[:SHORT]}'])")
    else:
        why = (f"no person has confirmed its rules yet (rules {sha[:SHORT]}): read them and confirm (panel button, "
               f"or confirm_rules=['{key}'])")
    return dict(row, verdict="unconfirmed", reason=row["reason"] + "; " + why)


def waits_for_person(why: str) -> bool:
    """Is this block (a Preflight.blocked() value) only rules a person has not confirmed yet? (Nothing posted.)"""
    return why.startswith("unconfirmed: ")


@dataclass
class Preflight:
    """The account and one row per subreddit."""

    account: dict[str, Any]
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=COLUMNS))
    unconfirmed: dict[str, list[dict]] = field(default_factory=dict)  # subreddit -> its rules, for a person to read

    def usable(self) -> list[str]:
        """The subreddits the bot may post to."""
        return self.table.loc[self.table["verdict"].isin(USABLE), "subreddit"].tolist()

    def readable(self) -> list[str]:
        """The subreddits 05 may read and answer: usable ones and those whose rules wait for a person."""
        return self.table.loc[self.table["verdict"].isin(READABLE), "subreddit"].tolist()

    def blocked(self) -> dict[str, str]:
        """Lower-case subreddit -> why the bot must not write there ("<verdict>: <reason>")."""
        bad = self.table[~self.table["verdict"].isin(USABLE)]
        return {str(s).lower(): f"{v}: {r}" for s, v, r in zip(bad["subreddit"], bad["verdict"], bad["reason"])}

    def headline(self) -> str:
        """The account line and how many subreddits may be used: what a stage prints (its step shows the table)."""
        return f"{self.text().splitlines()[0]}; {len(self.usable())} of {len(self.table)} subreddit(s) usable"

    def text(self) -> str:
        a = self.account
        if a.get("suspended"):
            head = f"account u/{a['name']}: SUSPENDED"
        elif a.get("name"):
            head = f"account u/{a['name']}: not suspended, {a.get('age_days')} days old, karma {a.get('karma')}"
        else:
            head = "account: not checked (no Reddit access; rules from the archive only)"
        if a.get("warning"):
            head += f"\n  warning: {a['warning']}"
        t = self.table.fillna("").astype(str)
        out = head + "\n" + t.to_string(index=False) if len(t) else head
        return out + ("\n\n" + self.rules_to_read() if self.unconfirmed else "")

    def rules_to_read(self) -> str:
        """The full rules of every subreddit a person has still to confirm, each with its hash."""
        return "\n\n".join(f"r/{name}: its full rules ({rules_sha256(rules)[:SHORT]}), for a person to read and "
                             f"confirm before the bot posts there:\n{rules_text(rules)}"
                             for name, rules in self.unconfirmed.items())

    def to_json(self) -> dict[str, Any]:
        return {"account": self.account, "subreddits": self.table.astype(object).where(self.table.notna(), None)
                .to_dict("records")}

    def stop_if_suspended(self) -> None:
        if self.account.get("suspended"):
            raise StageError(f"the Reddit account u/{self.account['name']} is suspended: nothing is fetched, "
                             "generated or posted. Appeal at reddit.com/appeals before running 05, 06 or 07 again")


def preflight(reddit, subreddits: Iterable[str], allowed: Iterable[str] = (), rules_for: RulesFor | None = None,
              now: float | None = None, *, nsfw_allowed: Iterable[str] = (), confirmations: Confirmations | None = None,
              confirm: Iterable[str] = (), by: str = "") -> Preflight:
    """Check the account (skipped without ``reddit``) and every subreddit; a suspended account checks nothing else.
    ``confirmations`` (live/rules_confirmed.json): a subreddit is usable only once a person confirmed its rules;
    ``confirm`` (confirm_rules) records such a confirmation, ``by`` names how it was given."""
    if isinstance(subreddits, str):
        raise ConfigError("subreddits must be a list of names, e.g. ['sciencefiction'], not a string")
    policy = Policy(allowed_names(allowed), allowed_names(nsfw_allowed, "nsfw_allowed_subreddits"), confirmations,
                    confirm_names(confirm), by)
    account = account_row(reddit, now) if reddit is not None else {}
    if account.get("suspended"):
        return Preflight(account)
    policy.account = str(account.get("name") or "")
    names = list(dict.fromkeys(str(s) for s in subreddits))
    for extra in sorted(set(policy.confirm) - {n.lower() for n in names}):
        print(f"confirm_rules: r/{extra} is not checked in this run (not among its subreddits); nothing recorded")
    shown: dict[str, list[dict]] = {}
    rows = [subreddit_row(reddit, s, policy, rules_for, shown) for s in names]
    return Preflight(account, pd.DataFrame(rows, columns=COLUMNS), shown)


def save(pf: Preflight, path, stage: str) -> None:
    """Keep this stage's check in the day's file beside the other stages' ({"checks": {"05": ..., "06": ...}}), so
    06's check of the sheet's subreddits does not hide 05's refusals."""
    from datetime import datetime, timezone

    from ..files import read_json, write_json

    data = read_json(path) if Path(path).exists() else {}
    checks = dict(data.get("checks", {}))
    checks[stage] = {**pf.to_json(), "checked_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    write_json({"checks": checks}, path)


def checked(reddit, subreddits: Iterable[str], allowed: Iterable[str], path, stage: str,
            rules_for: RulesFor | None = None, **decided: Any) -> Preflight:
    """A stage's preflight: its headline printed (the step returns the table, which the notebook shows once), the
    full rules of every subreddit a person has still to confirm, saved to ``path`` (live/preflight_<date>.json);
    a suspended account stops the stage here with one clear line. ``decided``: preflight()'s nsfw_allowed,
    confirmations, confirm and by."""
    pf = preflight(reddit, subreddits, allowed, rules_for, **decided)
    print(f"preflight ({stage}): {pf.headline()}")
    if pf.unconfirmed:
        print(pf.rules_to_read())
    save(pf, path, stage)
    pf.stop_if_suspended()
    return pf
