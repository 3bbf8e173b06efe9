"""Stage 05: fresh comments from rising posts, the ones worth answering, and GPT-2 candidates for each.

Replying to months-old comments is not what people do, so candidates are generated for comments fetched now with
PRAW (the seed: the top 5 rising posts of a few subreddits). A post where the bot already spoke is skipped whole.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pandas as pd

from ..context import conditioned, context_text
from ..contract import default
from ..drive import FETCH_SUMMARY, PROPOSED_REPLIES, day_of, latest
from ..errors import ConfigError, InputError
from ..reddit import fields as rf
from ..text import DELETED, clean_text

log = logging.getLogger(__name__)


COMMENT_COLUMNS = ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score", "comment",
                   "comment_permalink", "comment_created_utc"]
PROPOSED_COLUMNS = ["subreddit", "post_id", "title", "post_score", "comment_id", "comment_score", "comment",
                    "proposed_reply", "comment_permalink", "comment_created_utc", "candidate_idx", "generation_ended"]
# conversation turns (helpers.live.inbox) add these; their `context` (the chain above the answer, in the shared
# thread-context form) is what the generator conditions on before the answer, as for any comment
CONVERSATION_COLUMNS = ["turn", "inbox_id", "inbox_type", "author", "bot_turns", "chain", "context"]


def today(run_date: str = "") -> str:
    """The run's date (YYYY-MM-DD, UTC): names the day's files so 06 finds 05's output."""
    if run_date:
        try:
            datetime.strptime(run_date, "%Y-%m-%d")
        except ValueError:
            raise ConfigError(f"run_date must be YYYY-MM-DD, not {run_date!r}") from None
        return run_date
    return datetime.now(timezone.utc).strftime("%Y-%m-%d")


def proposed_path(run_date: str) -> str:
    return PROPOSED_REPLIES.format(date=run_date)


def latest_proposals_date(root: str | Path, run_date: str = "") -> str:
    """06's day: run_date if given, else the newest day 05 wrote proposals for. Not "today": 05 run before midnight
    (UTC) and 06 after would otherwise look for a file that does not exist."""
    if run_date:
        return today(run_date)
    newest = latest(root, PROPOSED_REPLIES)
    if newest is None:
        folder = Path(root, PROPOSED_REPLIES).parent
        raise InputError(f"no proposals in {folder} ({Path(PROPOSED_REPLIES).name}); run 05_generate_replies first")
    return day_of(newest, PROPOSED_REPLIES)


def fetch_summary_path(run_date: str) -> str:
    return FETCH_SUMMARY.format(date=run_date)


def _same_user(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.lower() == b.lower())


def thread_comments(submission) -> list:
    """Every comment of a submission, "load more" expanded (morechildren)."""
    submission.comments.replace_more(limit=None)
    return submission.comments.list()


def ancestors_of(comment, by_id: dict, depth: int, notes: Counter) -> list[str]:
    """The ``depth`` nearest comments above ``comment`` in the fetched thread (parent_id chain), oldest first,
    cleaned like 00 cleans them; a parent missing from the fetched tree ends the chain (counted in ``notes``)."""
    chain: list[str] = []
    parent = str(rf.field(comment, "parent_id") or "")
    while len(chain) < depth and parent.startswith("t1_"):
        above = by_id.get(parent[3:])
        if above is None:
            notes["comment_ancestor_not_fetched"] += 1
            break
        chain.append(clean_text(rf.text(above, "body")))
        parent = str(rf.field(above, "parent_id") or "")
    return chain[::-1]


def eligible_comments(submission, bot_username: str, min_comment_score: int = 3,
                      drops: Counter | None = None, notes: Counter | None = None,
                      context_depth: int = default("context_depth", "05"),
                      never: frozenset[str] = frozenset()) -> list[dict]:
    """Rows for the comments of one post worth answering; reasons for everything dropped are counted in ``drops``,
    optional fields that were missing (and derived or left empty) in ``notes``. With ``context_depth`` >= 1 each row
    has the ``context`` the generator was trained with (helpers/context.py): the title and the comments above.
    ``never``: lower-case names of people who asked the bot to stop (live/optouts.json)."""
    drops = drops if drops is not None else Counter()
    notes = notes if notes is not None else Counter()
    if rf.flag(submission, "locked") or rf.flag(submission, "archived"):
        drops["post_locked_or_archived"] += 1
        return []
    comments = thread_comments(submission)
    if any(_same_user(rf.author(c), bot_username) for c in comments):
        drops["post_already_replied_by_bot"] += 1
        return []
    rows = []
    by_id = {rf.thing_id(c): c for c in comments} if context_depth > 0 else {}
    for c in comments:
        author, body, score = rf.author(c), rf.text(c, "body"), rf.number(c, "score")
        if author is None or body.strip() in DELETED:
            drops["comment_deleted_or_removed"] += 1
        elif author.lower() in never:
            drops["author_opted_out"] += 1
        elif rf.flag(c, "locked"):
            drops["comment_locked"] += 1
        elif score is None:
            drops["comment_without_score"] += 1
        elif score <= min_comment_score:
            drops["comment_score_too_low"] += 1
        elif not clean_text(body):
            drops["comment_empty"] += 1
        else:
            created = rf.number(c, "created_utc")
            for name in ("permalink", "created_utc"):
                if rf.field(c, name) is None:
                    notes[f"comment_{name}_missing"] += 1
            rows.append({"subreddit": rf.subreddit(submission), "post_id": rf.thing_id(submission),
                         "title": rf.text(submission, "title"), "post_score": int(rf.number(submission, "score") or 0),
                         "comment_id": rf.thing_id(c), "comment_score": int(score), "comment": clean_text(body),
                         "comment_permalink": rf.permalink(c, is_comment=True),
                         "comment_created_utc": int(created) if created is not None else None})
            if context_depth > 0:
                title = clean_text(rf.text(submission, "title"))
                rows[-1]["context"] = context_text(title, ancestors_of(c, by_id, context_depth, notes), context_depth)
    return rows


def fetch_comments(reddit, subreddits: Iterable[str],
                   posts_per_subreddit: int = default("posts_per_subreddit", "05"),
                   min_comment_score: int = default("min_comment_score", "05"),
                   bot_username: str | None = None, context_depth: int = default("context_depth", "05"),
                   never: frozenset[str] = frozenset()) -> tuple[pd.DataFrame, dict]:
    """Eligible comments from the top rising posts of each subreddit, and a summary of what was dropped and why;
    with ``context_depth`` >= 1 a ``context`` column too (the prompts' thread context, as 00 wrote it); ``never``:
    lower-case names never answered (the opt-out list)."""
    if isinstance(subreddits, str):
        raise ConfigError("subreddits must be a list of names, e.g. ['sciencefiction'], not a string")
    bot = bot_username or str(reddit.user.me())
    drops: Counter = Counter()
    notes: Counter = Counter()
    rows, posts = [], 0
    for name in subreddits:
        for submission in reddit.subreddit(name).rising(limit=posts_per_subreddit):
            posts += 1
            rows.extend(eligible_comments(submission, bot, min_comment_score, drops, notes, context_depth,
                                          never=never))
    columns = COMMENT_COLUMNS + (["context"] if context_depth > 0 else [])
    df = pd.DataFrame(rows, columns=columns).drop_duplicates("comment_id")
    summary = {"posts_seen": posts, "comments_kept": len(df), "dropped": dict(drops), "bot_username": bot,
               "missing_fields": dict(notes)}
    for reason, n in drops.items():
        log.info("dropped %d: %s", n, reason)
    return df.reset_index(drop=True), summary


def propose_replies(comments: pd.DataFrame, engine, n: int = default("n_candidates", "05"),
                    **generate_kwargs: Any) -> pd.DataFrame:
    """Candidates from the generation engine joined back to their comment rows (seed columns first);
    generation_ended (the sample stopped at its end marker) is left empty when the engine did not say."""
    columns = PROPOSED_COLUMNS + (["context"] if "context" in comments.columns else [])
    if comments.empty:
        return pd.DataFrame(columns=columns)
    from ..quiet import bar as progress

    with progress(total=len(comments) * n, desc="candidates", unit="cand") as bar:
        gen = engine.generate(conditioned(comments), n=n, on_comment=lambda _: bar.update(n),
                              **generate_kwargs)
    if "generation_ended" not in gen.columns:
        gen = gen.assign(generation_ended=None)
    gen = gen.rename(columns={"reply": "proposed_reply"})[["comment_idx", "candidate_idx", "proposed_reply",
                                                            "generation_ended"]]
    out = comments.reset_index(drop=True).join(gen.set_index("comment_idx"), how="inner")
    return out[columns + [c for c in CONVERSATION_COLUMNS if c in out.columns and c not in columns]
               ].reset_index(drop=True)
