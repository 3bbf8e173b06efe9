"""Fetches fresh comments with PRAW and writes ~10 GPT-2 candidate replies for each (the seed's step 3 and 4).

For each subreddit in `subreddits`: the top `posts_per_subreddit` **rising** posts. A post where the bot account has
already commented is skipped whole; so are locked and archived threads. Kept: comments with a score above
`min_comment_score`, not deleted or removed, not by the bot. Each gets `n_candidates` replies from the fine-tuned
gpt-2-simple checkpoint: with `generator = "auto"` the newest accepted generator round descended from `run_name`
(`checkpoint/<run_name>_g<k>`), else `checkpoint/<run_name>` itself; a checkpoint folder name pins one. The first
step prints which. With `context_depth` >= 1 (set it as in 00: the generator was trained in that form) each prompt
carries the post's title and up to that many comments above the comment, from the fetched thread. A depth
other than the generator's (its checkpoint's record, else `data_summary.json`) is allowed, but printed as a WARNING.

`reddit = "recorded"` (default, offline) serves threads recorded for this project from a loopback server that PRAW
talks to exactly as to reddit.com, so no credentials are needed. `reddit = "live"` uses the praw.ini site `praw_site`
(or `praw_*` environment variables, or Colab secrets `praw_client_id`, `praw_client_secret`, `praw_username`,
`praw_password`): never put credentials in this notebook.

Before anything is fetched, a **preflight** checks the account (suspended, age, karma) and each subreddit (exists and
public, the account not banned, NSFW or not, and its rules): a subreddit whose rules forbid bots or AI-written text is
left out, naming the rule, unless it is listed in `bot_allowed_subreddits` (the moderators gave permission);
private, quarantined, restricted or archived ones are skipped with the reason, and NSFW ones unless listed in
`nsfw_allowed_subreddits`. The table is saved as `live/preflight_<date>.json`. A subreddit whose rules no person has
confirmed yet (or that changed since) gets its full rules printed: replies are proposed there, but 06 posts none until
a person confirms them (the card's button here in Colab or Jupyter, or `confirm_rules`; `live/rules_confirmed.json`).

`targets` picks what is answered: "rising" (above) and "inbox": answers to the bot's own comments and u/ mentions
from its unread inbox. Each becomes a **conversation turn**: the chain above it (post title, ancestors, the bot's
earlier reply, the person's answer) is fetched and the replies are generated from it. Never answered: private
messages, the bot itself, AutoModerator, `never_reply_to`, names ending in bot/Bot (`skip_bot_names`), deleted
authors, anyone who said a `stop_phrases` phrase (put on `live/optouts.json` and never answered again, on rising
posts neither), a thread where the bot already spoke `max_bot_turns_per_thread` times, a refused or held subreddit or
one not in `subreddits`, a deleted, removed, locked or archived thread or parent, a chain that cannot be fetched.
Every skip is counted and logged (`live/inbox_log.csv`) and only then marked read; a conversation turn stays unread
until 06 records what became of it.

This notebook only reads Reddit (and marks skipped inbox items read); 06 scores, selects and (after approval)
posts. It runs in its own kernel because gpt-2-simple's TF1 graph and the BERT models cannot share one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..errors import ConfigError
from ..files import write_csv, write_json
from ..generator.generation import GenerationEngine
from ..generator.lineage import Generator, use_generator
from ..generator.trained_depth import depth_warning, trained_depth
from ..reddit import preflight
from ..reddit.client import attach, describe
from ..stage import RedditRun, open_stage, push_outputs
from ..words import counts, fields
from . import holds, inbox, optouts, proposals, rules_panel
from .conversation import InboxLog

KEY = "05"
# The generation engine's numbers, as 05's generate step prints them.
GENERATED = {"comments": "comments", "requested": "candidates asked", "kept": "kept", "dropped_empty": "empty dropped",
             "ended": "ended at the end marker", "seconds": "seconds"}


@dataclass
class ProposeRun(RedditRun):
    date: str = ""  # the run's day (UTC): names the proposals file
    subreddits: list[str] = field(default_factory=list)  # the ones the preflight allows
    blocked: dict[str, str] = field(default_factory=dict)  # subreddit -> why not (preflight, 07's holds)
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)
    fetch_summary: dict[str, Any] = field(default_factory=dict)
    generator: Generator | None = None  # the checkpoint the replies are sampled from


def start(p: Params) -> ProposeRun:
    """The Drive root with the rounds table and the chosen generator checkpoint pulled; prints which generator, and a
    WARNING when `context_depth` is not the depth it was trained with (allowed, never silent)."""
    drive = open_stage(KEY, p)
    chosen = use_generator(drive, p.run_name, p.generator)
    warning = depth_warning(p.context_depth, *trained_depth(drive.root, chosen.run_name), "05")
    if warning:
        print(warning)
    return ProposeRun(p, drive, date=proposals.today(p.run_date), generator=chosen)


def connect(run: ProposeRun) -> None:
    """Reddit as the bot's account sees it (or the recorded threads offline); its user agent and account, no secret."""
    print("Reddit:", attach(run))
    with run.stopping_on_error():
        describe(run.client)


def check(run: ProposeRun) -> pd.DataFrame:
    """Preflight: the account and each subreddit; only those it allows are fetched (a suspended account stops here)."""
    decided = rules_panel.decided(run.p, run.drive, "05")
    with run.stopping_on_error():
        pf = preflight.checked(run.client, run.p.subreddits, run.p.bot_allowed_subreddits,
                               run.drive.path(drv.PREFLIGHT.format(date=run.date)), "05", **decided)
    run.subreddits = pf.readable()  # replies are proposed where rules wait for a person; 06 posts none there
    for sub, why in pf.blocked().items():
        print(f"r/{sub}: replies are proposed, but 06 posts none there until a person confirms its rules"
              if preflight.waits_for_person(why) else f"not generating for r/{sub}: {why}")
    held = holds.blocked(holds.current(run.drive.path(drv.HOLDS), run.drive))  # the holds on Drive now
    # inbox items are skipped (and marked read) where a subreddit is refused, skipped or held; where its rules only
    # wait for a person, they are proposed like any comment and 06 posts none until the rules are confirmed
    run.blocked = {**{s: w for s, w in pf.blocked().items() if not preflight.waits_for_person(w)}, **held}
    for sub, why in held.items():
        print(f"not answering conversations in {'any subreddit' if sub == holds.EVERYWHERE else 'r/' + sub}: {why}")
    return rules_panel.shown(pf, decided["confirmations"], "05", run.drive)


TARGETS = ("rising", "inbox")


def targets_of(p: Params) -> list[str]:
    bad = [t for t in p.targets if t not in TARGETS] if isinstance(p.targets, list) else [p.targets]
    if bad or not p.targets:
        raise ConfigError(f"targets must be a list of {' and/or '.join(TARGETS)}, e.g. [\"rising\", \"inbox\"]; "
                          f"not {bad}")
    return list(p.targets)


def fetch(run: ProposeRun) -> pd.DataFrame:
    """Comments of the rising posts worth replying to and/or the inbox's conversation turns; drops by reason."""
    p, targets = run.p, targets_of(run.p)
    frames, run.fetch_summary = [], {}
    with run.stopping_on_error():
        people = optouts.current(run.drive.path(drv.OPTOUTS), run.drive)
        bot = str(run.client.user.me())
        if "rising" in targets:
            rising, run.fetch_summary = proposals.fetch_comments(
                run.client, run.subreddits, bot_username=bot,
                posts_per_subreddit=p.posts_per_subreddit, min_comment_score=p.min_comment_score,
                context_depth=p.context_depth, never=frozenset(people))
            frames.append(rising)
        if "inbox" in targets:
            rules = inbox.InboxRules(bot=bot, usable={s.lower() for s in run.subreddits}, blocked=run.blocked,
                                     never_reply_to=set(p.never_reply_to), skip_bot_names=p.skip_bot_names,
                                     stop_phrases=tuple(p.stop_phrases), max_turns=p.max_bot_turns_per_thread,
                                     context_depth=p.context_depth)
            turns, summary = inbox.fetch_inbox(run.client, rules, run.drive.path(drv.OPTOUTS),
                                               InboxLog(run.drive.path(drv.INBOX_LOG), run.drive), drive=run.drive)
            run.fetch_summary = {**run.fetch_summary, "bot_username": bot, **summary}
            frames.insert(0, turns)
    # a mention may also sit in a rising post: answered once, as the conversation turn (with its chain)
    run.comments = pd.concat(frames, ignore_index=True).drop_duplicates("comment_id") if len(frames) > 1 \
        else frames[0]
    run.stop_server()  # Reddit is not needed any more
    s = run.fetch_summary
    missing = f"; fields Reddit did not send: {counts(s['missing_fields'])}" if s.get("missing_fields") else ""
    if "posts_seen" in s:
        print(f"{s['posts_seen']} posts seen, {s['comments_kept']} comments kept; dropped: {counts(s['dropped'])}"
              f"{missing}")
    if "inbox_seen" in s:
        print(f"inbox: {s['inbox_seen']} unread, {s['inbox_kept']} conversation turns kept; not answered: "
              f"{counts(s['inbox_dropped'])}; opted out: {len(s['opted_out'])}")
    return run.comments.head(10)


def generate(run: ProposeRun) -> pd.DataFrame:
    """`n_candidates` replies per comment, written to live/proposed_replies_<date>.csv with the fetch summary."""
    p, chosen = run.p, run.generator or use_generator(run.drive, run.p.run_name, run.p.generator)
    with GenerationEngine(run.drive.path(drv.CHECKPOINT_DIR), chosen.run_name, seed=p.seed) as engine:
        proposed = proposals.propose_replies(run.comments, engine, n=p.n_candidates, temperature=p.temperature,
                                             top_k=p.top_k, top_p=p.top_p, length=p.max_reply_tokens)
        print("generated:", fields(engine.last_stats, GENERATED))
    out = proposals.proposed_path(run.date)
    write_csv(proposed, run.drive.path(out))
    write_json({**run.fetch_summary, "candidates": len(proposed), "generator": chosen.run_name},
               run.drive.path(proposals.fetch_summary_path(run.date)))
    print(f"{len(proposed)} candidate replies for {proposed['comment_id'].nunique()} comments -> {out}")
    return proposed[["subreddit", "comment", "proposed_reply"]].head(10)


def finish(run: ProposeRun) -> None:
    """Push the day's proposals and fetch summary to Drive and stop the offline loopback server."""
    try:
        push_outputs(KEY, run.p, run.drive, date=run.date)
    finally:
        run.stop_server()


STEPS = (connect, check, fetch, generate, finish)
