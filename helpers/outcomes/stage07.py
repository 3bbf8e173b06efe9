"""For every reply the bot posted (the posting ledger of 06), fetch its current **score**, its **number of replies** and
whether it was **removed or deleted**, append one row per reply to `live/outcome_history.csv` (so each run adds a
check and the growth over time stays visible), and set the outcome beside what the models predicted for the very
text that was posted.

- "At least one upvote" means **score ≥ 2**: Reddit starts a comment at 1, its author's own vote. The seed, judging by
  hand, found 24 of 80 replies (30%) with at least one upvote.
- **Actual vs predicted bin** (the seed's bins: < 1, 1, 2–4, ≥ 5) as a confusion matrix, and **calibration** of the
  upvote classifier's P(score ≥ 2) = p2 + p3 against the observed fraction.
- Tables **per subreddit** and **per week** of posting; everything also goes into the run report.

Scores are read in batches of 100 through Reddit's `/api/info`; counting replies costs one request per reply
(`count_replies`). Run it again later (hours, days) to add a check. `reddit = "recorded"` (the offline demo) talks to
the loopback server with the recorded threads; since 06 never posts there, it reports that nothing was posted yet.

**Trouble stops posting:** a reply removed by the moderators, a ban from a subreddit (the preflight of the
subreddits the bot posted to) or a suspended account puts that subreddit (or, for a suspension, all posting) on hold
in `live/holds.json`; 06 posts nothing there until a person clears it with 06's `clear_holds`. The report shows the
holds at the top.

The run report (`report.html`, with these outcomes) is rebuilt by `python -m helpers run` after its stages; after
running this notebook by hand, rebuild it with `!python -m helpers report --drive <your Drive root>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .. import drive as drv
from ..contract import Params
from ..live import holds, rules_panel
from ..live.lease import posting_lock
from ..reddit import preflight
from ..reddit.client import attach, describe
from ..stage import RedditRun, open_stage, push_outputs
from . import outcomes
from .conversations import conversation_line, conversation_summary

KEY = "07"


@dataclass
class TrackRun(RedditRun):
    table: pd.DataFrame = field(default_factory=pd.DataFrame)
    summary: dict[str, Any] = field(default_factory=dict)
    pf: Any = None  # the preflight of the subreddits the bot posted to


def start(p: Params) -> TrackRun:
    return TrackRun(p, open_stage(KEY, p))


def connect(run: TrackRun) -> None:
    """Reddit as the bot's account sees it (or the recorded threads offline); its user agent and account, no secret."""
    print("Reddit:", attach(run))
    with run.stopping_on_error():
        describe(run.client)


def check(run: TrackRun) -> pd.DataFrame:
    """Preflight of the account and the subreddits the bot posted to: a ban or a suspension puts posting on hold."""
    run.drive.pull(drv.POSTING_LEDGER)
    posted = outcomes.posted_replies(outcomes.read_ledger(run.drive.path(drv.POSTING_LEDGER)))
    subs = posted["subreddit"].astype(str).unique().tolist() if len(posted) else []
    with run.stopping_on_error():
        decided = rules_panel.decided(run.p, run.drive, "07")
        run.pf = preflight.preflight(run.client, subs, run.p.bot_allowed_subreddits, **decided)
    print(f"preflight (07): {run.pf.headline()}")
    if run.pf.unconfirmed:
        print(run.pf.rules_to_read())
    preflight.save(run.pf, run.drive.path(drv.PREFLIGHT.format(date=outcomes.now_iso()[:10])), "07")
    banned = run.pf.table.loc[run.pf.table["reason"] == "the account is banned here", "subreddit"]
    trouble, _ = holds.trouble_seen(pd.DataFrame(), bool(run.pf.account.get("suspended")), banned)
    _hold(run, trouble, [])
    with run.stopping_on_error():
        run.pf.stop_if_suspended()
    return rules_panel.shown(run.pf, decided["confirmations"], "07", run.drive)


def _hold(run: TrackRun, trouble: dict[str, str], removed_ids: list[str]) -> None:
    if trouble or removed_ids:
        before = holds.current(run.drive.path(drv.HOLDS), run.drive)  # as on Drive now: 06 may have cleared one
        # added to the holds on Drive now by compare-and-swap (a union), never a stale copy pushed over them
        held = holds.add_holds(run.drive.path(drv.HOLDS), trouble, removed_ids, drive=run.drive)
        for key, reason in trouble.items():
            print(("" if key in before else "NEW: ") + f"posting stopped for {key}: {reason} (hold in {drv.HOLDS}; "
                  "06's clear_holds lifts it)")
        print(f"holds now: {sorted(held)}")


def track(run: TrackRun) -> pd.DataFrame:
    """One new check of every posted reply, appended to the history under the posting lock (one writer at a time)."""
    # wait_s=0: 07 stops at once while 06 posts (its history can wait for the next check; 06's runs wait instead)
    with run.stopping_on_error(), posting_lock(run.drive, "07 track_outcomes", break_lease=run.p.break_lease,
                                               wait_s=0):
        run.drive.pull(drv.POSTING_LEDGER, drv.OUTCOME_HISTORY)  # as they are now, read under the lock
        run.table, run.summary = outcomes.track(run.client, run.drive.root, count_replies=run.p.count_replies,
                                                recorded=run.p.reddit == "recorded")
        run.drive.push(drv.OUTCOME_HISTORY)
    holds.current(run.drive.path(drv.HOLDS), run.drive)  # seen_removed as on Drive now
    trouble, removed = holds.trouble_seen(run.table, False, [], holds.seen_removed(run.drive.path(drv.HOLDS)))
    _hold(run, trouble, removed)
    s = run.summary
    print(f"{s['replies']} posted replies tracked over {s['checks']} check(s); "
          f"with at least one upvote ({s['upvote_definition']}): {s['upvoted']} "
          f"= {s['fraction_upvoted'] if s['fraction_upvoted'] is not None else 'n/a'}")
    print(conversation_line(conversation_summary(run.drive.root)))
    return run.table.drop(columns=["body"], errors="ignore").head(20)


def measures(run: TrackRun) -> tuple[dict[str, Any], Path, Path, Path]:
    """States, bin accuracy, calibration, per subreddit and week; the confusion, calibration and growth figures."""
    keys = ("states", "bin_accuracy", "brier_p_upvoted", "mean_predicted_p_upvoted", "per_subreddit", "per_week")
    figures = (run.drive.path(rel) for rel in (drv.OUTCOME_CONFUSION, drv.OUTCOME_CALIBRATION, drv.OUTCOME_GROWTH))
    return ({k: run.summary[k] for k in keys}, *figures)


def finish(run: TrackRun) -> None:
    """Push the outcome files to Drive and stop the offline loopback server."""
    try:
        push_outputs(KEY, run.p, run.drive)
    finally:
        run.stop_server()


STEPS = (connect, check, track, measures, finish)
