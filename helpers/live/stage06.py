"""Scores every candidate from 05 with both BERT classifiers, picks at most one reply per post, asks a person to
approve, and posts the approved replies with PRAW (the seed's steps 6 and 7).

- **Score:** `prob_real` (realism classifier: 03's, or 08's refreshed one once a refresh round has run — parameter
  `realism_model`) and `expected_score` = Σ k·p_k over the upvote bins (04).
- **Select** (the seed's rule, every threshold a parameter): `prob_real > min_prob_real`, fewer than
  `max_reply_chars` characters, no word or phrase of `blocklist`, no link unless `allow_links`, then the highest
  `expected_score`, one per post.
- **Quality filters** (each a parameter; the reason is named in the predictions file's `rejected` column, in the
  review sheet's `rejected_for_post` and in the report): `parrot` (at least `parrot_threshold` similar to its comment
  or the post title), `repetition` (loops on a phrase or a word), `unfinished` (marker fragments, or cut at the length
  limit), `too_short` (fewer than `min_reply_words` words), `mention` (u/… or r/… unless `allow_mentions`),
  `posted_before` (what the bot already posted within `repeat_window_days`, from the ledger; `repeat_in_run`: one
  text chosen for two posts of this run keeps only the better-scored one) and, optionally,
  `toxicity:<label>` (`toxicity_model`, per-label `toxicity_thresholds`).
- **Quality measured:** distinct-1/2, repeated-trigram rate, parrot rate, length, `prob_real` and `expected_score`
  of all candidates, of the selected replies and of real test-split replies, and the selection lift, written to
  `metrics/quality_<date>.json` and shown in the report.
- **Review:** `live/review_<date>.csv` holds the chosen reply, runner-ups, scores and an `approved` column. In Colab
  or Jupyter the review step shows one card per reply: edit it, use a runner-up, Approve or Reject; each click saves
  the sheet at once (an edit must pass the checks below first; a sheet changed meanwhile is reloaded, not
  overwritten). Run by papermill, the step says how to review instead: write `True` (or yes / y / 1 / x / ✓ /
  approved, any case) in the sheet on Drive, or list comment ids in `approve_ids` here, and run this notebook again.
  Only approved rows are posted, unless `auto_approve = True` is set explicitly; a row a person rejected never is. An
  approved cell that says something else (`maybe`) is named in a warning and counts as not approved.
  The sheet may be saved by Excel or Google Sheets (comma, semicolon or tab; any header case); cells that a
  spreadsheet would run as formulas are written with a `'` prefix, removed again on reading. Before the sheet is
  rewritten the previous one is kept as `live/review_<date>.bak.csv`.
- **Post:** `dry_run = True` (default) sends nothing and writes what would be posted to `live/would_post_<date>.csv`.
  A real run re-checks each comment just before posting (still there, thread open, no reply from the bot yet), waits a
  random `delay_min_s`..`delay_max_s` between posts, stops at `max_posts_per_run` and
  `max_posts_per_subreddit_per_day`, and can add a `disclosure_footer`. The posting ledger records every attempt
  before and after the API call, so a run killed at any point and run again never posts a reply twice and never drops
  an approved one; Reddit errors (rate limit: waits as told up to `max_rate_limit_wait_s`; 5xx; deleted comment;
  locked thread; banned) are recorded per row and the batch goes on. An outcome Reddit's answer does not tell (5xx,
  timeout, a non-JSON answer, a 401 that persists) is "unknown" and re-checked on Reddit first by the next run.
- **Safety:** posting holds the Drive root's posting lock (a second run waits up to `lease_wait_s`, saying for
  whom; `break_lease` takes over a lease a dead run left on Drive). Drive decides: every step reads the review sheet,
  the holds and the ledger as they are on Drive at that moment and writes them by compare-and-swap (a person's marks
  made on Drive meanwhile, or 07's new hold, are merged, never written over); each row is re-read from the sheet on
  Drive right before it is posted and posted only if still approved with the same text. Where a reply goes comes
  from Reddit, not from the sheet: only comments 05 proposed are posted, one per post and the caps use Reddit's post
  and subreddit, and an edited reply passes the same blocklist, link and length checks as selection.

- **Preflight and holds:** before posting, the account and each subreddit of the sheet are checked again (as in 05):
  a suspended account stops the run; a subreddit whose rules forbid bots or AI text (unless listed in
  `bot_allowed_subreddits`), or that is private, quarantined, restricted, archived or bans the account, has every
  row `refused` with the reason, approved or not. So has a subreddit 07 put on hold (`live/holds.json`: a reply
  removed by the moderators, a ban; the whole account after a suspension) until `clear_holds` names it. NSFW
  subreddits are skipped unless listed in `nsfw_allowed_subreddits`.
- **A person reads the rules:** nothing is posted to a subreddit until a person has confirmed its current rules once
  (`live/rules_confirmed.json`, with the rules' hash; a change of the rules voids it). The check step prints the full
  rules of each unconfirmed subreddit; in Colab or Jupyter it shows a card with a confirm button (a click lets this
  run's post step use that subreddit), run by papermill it says to pass `confirm_rules` (after a change:
  `name@<hash>` as printed). Approved rows there are `refused` until then, whatever `auto_approve` says.
- **Disclosure:** `disclosure_footer` (on by default: the reply was written by a bot and approved by a person) ends
  every reply, dry runs included; an empty footer is allowed only when set, and a live run then prints a warning.

`reddit = "recorded"` (the offline demo) re-checks against the bundled recorded threads and is always a dry run.
Please post responsibly: tell the subreddit's moderators, respect each subreddit's rules on bots, and keep a footer.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any, Callable

import pandas as pd

from .. import drive as drv
from .. import filters, quality
from ..contract import Params
from ..discriminators.scoring import Scorer, realism_model_dir
from ..files import read_csv, write_json
from ..reddit import preflight
from ..reddit.client import attach, describe
from ..stage import RedditRun, open_stage, push_outputs
from ..words import counts
from . import (
    conversation,
    holds,
    posting,
    proposals,
    review_panel,
    review_sheet,
    rules_panel,
    select,
    sheet_sync,
    sheets,
)
from .lease import posting_lock
from .posting_settings import PostSettings
from .review import ReviewSheet
from .text_rules import TextRules, quality_settings
from .toxicity import load_toxicity_scorer

KEY = "06"


@dataclass
class PostRun(RedditRun):
    date: str = ""  # the day of the proposals: run_date, else the newest day 05 wrote (not "today": see start)
    dry: bool = True  # nothing is sent: dry_run, or the offline recorded threads
    scorer: Any = None
    proposed: pd.DataFrame = field(default_factory=pd.DataFrame)
    scored: pd.DataFrame = field(default_factory=pd.DataFrame)
    filtered: pd.DataFrame = field(default_factory=pd.DataFrame)
    review: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection: dict[str, Any] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)  # subreddit -> why nothing is posted there (preflight, holds)

    def path(self, dated: str):
        return self.drive.path(dated.format(date=self.date))


def start(p: Params) -> PostRun:
    """Opens the Drive root; the day is run_date or the newest proposals 05 wrote (05 may have run before midnight)."""
    drive = open_stage(KEY, p)
    date = proposals.latest_proposals_date(drive.root, p.run_date)
    return PostRun(p, drive, date=date, dry=bool(p.dry_run) or p.reddit == "recorded")


def score(run: PostRun) -> pd.DataFrame:
    """Every candidate's prob_real (realism classifier) and expected_score (upvote bins)."""
    run.proposed = read_csv(run.path(drv.PROPOSED_REPLIES), required=["post_id", "comment_id", "comment",
                                                                       "proposed_reply"],
                            hint="run 05_generate_replies for this run_date")
    realism_dir = realism_model_dir(run.drive.root, run.p.realism_model)
    print("realism classifier:", run.drive.rel(realism_dir))
    run.scorer = Scorer.load(realism_dir, run.drive.path(drv.BERT_UPVOTE))
    run.scored = run.scorer.score(run.proposed, comment_col="comment", reply_col="proposed_reply")
    return run.scored[["comment", "proposed_reply", "prob_real", "expected_score"]].head(10)


def choose(run: PostRun) -> pd.DataFrame:
    """The quality filters and the selection rule; the review sheet with a person's earlier marks kept."""
    p = run.p
    settings = quality_settings(p)
    run.drive.pull(drv.POSTING_LEDGER)  # what the bot posted since this run started counts too
    posted_recently = filters.recent_posts(run.drive.path(drv.POSTING_LEDGER), p.repeat_window_days)
    run.filtered, review, run.selection = select.select_candidates(
        run.scored, min_prob_real=p.min_prob_real, max_length=p.max_reply_chars, blocklist=p.blocklist,
        n_runner_ups=p.n_runner_ups, quality=settings, posted=posted_recently,
        toxicity=load_toxicity_scorer(p.toxicity_model), allow_links=p.allow_links)
    sheets.write_sheet(run.filtered, run.path(drv.REPLY_SCORES))  # every candidate, its scores, `rejected` reason
    sheet = run.path(drv.REVIEW_SHEET)
    # merged with the sheet as it is on Drive now (a person may have marked rows while 06 scored), written by
    # compare-and-swap; a sheet that cannot be read stops here (an error naming the file), never rebuilt over
    def rebuild(now: pd.DataFrame | None) -> pd.DataFrame:
        out = review_sheet.approve(review_sheet.merge_approvals(review, now), p.approve_ids)
        # a person's sheet that lost its decision column stays without one (a blank one would hide that rejections
        # were lost) until a person adds it back, and auto_approve takes nothing from it meanwhile
        refused = now is not None and review_sheet.auto_approve_refusal(now, sheet)
        return out.drop(columns="decision") if refused else out

    run.review, previous = sheet_sync.write_review(run.drive, sheet, rebuild)
    if "decision" not in run.review.columns:
        print("WARNING " + review_sheet.auto_approve_refusal(run.review, sheet) + "; add a decision column back to "
              "allow it")
    sheet_sync.keep_backup(run.drive, sheet, previous)  # the sheet as the person left it: review_<date>.bak.csv
    s = run.selection
    print(f"{s['candidates']} candidates, {s['allowed']} pass the filters, {s['posts_chosen']} chosen (one per post); "
          f"rejected: {counts(s['rejected'])}")
    approved = int(review_sheet.approved_mask(run.review).sum()) if len(run.review) else 0
    rejected = sum(review_sheet.decision_of(r) == "rejected" for r in run.review.to_dict("records"))
    print(f"review sheet: {drv.REVIEW_SHEET.format(date=run.date)} ({approved} approved, {rejected} rejected)")
    return run.review.head(10)


def measure_quality(run: PostRun) -> pd.DataFrame:
    """Quality of all candidates, of the selected replies and of real replies, and the selection lift."""
    p = run.p
    real = None
    if p.quality_real_max and run.drive.path(drv.BERT_GAN_REAL).exists():
        real = quality.real_replies(read_csv(run.drive.path(drv.BERT_GAN_REAL), required=["comment", "reply",
                                                                                          "split"]),
                                    max_rows=p.quality_real_max, seed=p.seed)
    summary = quality.selection_quality(
        run.filtered, run.review, real, lambda df: run.scorer.score(df, comment_col="comment", reply_col="reply"),
        p.parrot_threshold, date=run.date, rejected=run.selection["rejected"])
    write_json(summary, run.drive.path(quality.quality_path(run.date)))
    print(quality.summary_line(summary))
    return quality.quality_table(summary)


def review(run: PostRun) -> Any:
    """The review panel (Colab, Jupyter): one card per chosen reply, to edit, swap for a runner-up, approve or reject;
    each click writes the review sheet on Drive at once. Run by papermill, where nobody can click, it says how to
    review instead. Nothing is posted here: the post step below posts what the sheet then approves."""
    sheet = run.path(drv.REVIEW_SHEET)  # choose wrote it on Drive; each click is checked against Drive's copy
    run.drive.pull(drv.POSTING_LEDGER)
    if not review_panel.can_click():
        print(review_panel.how_to_review(run.drive.rel(sheet), run.review, run.p.auto_approve))
        return None
    if run.review.empty:
        print("nothing to review: no reply passed selection")
        return None
    p = run.p
    rules = TextRules.from_params(p, quality=quality_settings(p), posted=tuple(
        filters.recent_posts(run.drive.path(drv.POSTING_LEDGER), p.repeat_window_days)))
    return review_panel.ReviewPanel(ReviewSheet.open(sheet, rules, run.drive), p.min_prob_real).widget


def connect(run: PostRun) -> None:
    """Reddit as the bot's account sees it (or the recorded threads offline); dry run or for real, said loudly."""
    print("Reddit:", attach(run), "| dry run" if run.dry else "| POSTING FOR REAL")
    with run.stopping_on_error():
        describe(run.client)


def check(run: PostRun) -> pd.DataFrame:
    """Preflight of the sheet's subreddits and 07's holds (after clear_holds): what may not be posted, and why."""
    p = run.p
    fresh = sheet_sync.fresh_review(run.drive, run.path(drv.REVIEW_SHEET))  # the sheet on Drive now
    run.review = run.review if fresh is None else fresh
    # the sheet's subreddits and those 05 proposed from (Reddit's): a sheet edited to name a confirmed subreddit
    # cannot hide the one its comment is really in, which post() learns from Reddit and looks up in run.blocked
    named = [df["subreddit"] for df in (run.review, run.proposed) if len(df) and "subreddit" in df.columns]
    subs = pd.concat(named).astype(str).unique().tolist() if named else []
    decided = rules_panel.decided(p, run.drive, "06")
    with run.stopping_on_error():
        pf = preflight.checked(run.client, subs, p.bot_allowed_subreddits,
                               run.drive.path(drv.PREFLIGHT.format(date=run.date)), "06", **decided)
    held = holds.clear_holds(run.drive.path(drv.HOLDS), p.clear_holds, drive=run.drive)  # the holds on Drive now
    run.blocked = {**pf.blocked(), **holds.blocked(held)}
    for sub, why in run.blocked.items():
        print(f"not posting to {'any subreddit' if sub == holds.EVERYWHERE else 'r/' + sub}: {why}")
    if not p.disclosure_footer.strip() and p.reddit == "live":
        print("WARNING: disclosure_footer is empty: replies will not say they were written by a bot. Reddit and "
              "most communities expect bots to say so.")

    def confirmed_now(name: str) -> None:  # a person clicked confirm: the post step below may use the subreddit
        if preflight.waits_for_person(run.blocked.get(name.lower(), "")):
            del run.blocked[name.lower()]

    return rules_panel.shown(pf, decided["confirmations"], "06", run.drive, confirmed_now)


def settled_blocks(blocked: dict[str, str]) -> dict[str, str]:
    """The blocks that decide a conversation turn (refused, skipped, held): rules that only wait for a person's
    confirmation leave the turn unread for a later run."""
    return {sub: why for sub, why in blocked.items() if not preflight.waits_for_person(why)}


def still_approved(run: PostRun) -> Callable[[dict, str], str]:
    """Asked right before each post: does the sheet on Drive, read now, still approve exactly this text, and has no
    hold stopped posting there since? "" if so, else why not."""

    def confirm(row: dict, text: str) -> str:
        now = sheet_sync.row_now(run.drive, run.path(drv.REVIEW_SHEET), row["comment_id"])
        why = sheet_sync.withdrawn(now, text, run.p.auto_approve)
        if why:
            return why
        held = holds.blocked(holds.current(run.drive.path(drv.HOLDS), run.drive))
        return held.get(holds.EVERYWHERE) or held.get(str(row["subreddit"]).lower(), "")

    return confirm


def post(run: PostRun) -> pd.DataFrame:
    """Approved replies only, under the posting lock (a second run waits up to lease_wait_s, naming the holder):
    the sheet, the holds and the ledger as they are on Drive now; each row re-read from the sheet on Drive right
    before it is posted (still approved, not rejected, the same text), re-checked on Reddit, capped, paced, recorded
    in the ledger before and after the API call."""
    p = run.p
    lock = contextlib.nullcontext() if run.dry else posting_lock(run.drive, "06 score_and_post",
                                                                  break_lease=p.break_lease, wait_s=p.lease_wait_s)
    with run.stopping_on_error(), lock as lease:
        fresh = sheet_sync.fresh_review(run.drive, run.path(drv.REVIEW_SHEET), warn=True)  # as a person left it
        run.review = run.review if fresh is None else fresh
        run.blocked = {**run.blocked, **holds.blocked(holds.current(run.drive.path(drv.HOLDS), run.drive))}
        ledger = posting.Ledger(run.drive.path(drv.POSTING_LEDGER), drive=run.drive,  # read and appended on Drive
                                on_write=None if run.dry else lease.heartbeat)
        turns = conversation.turns_of(run.proposed)  # from 05's proposals, not the sheet a person can edit
        results = posting.post_replies(
            run.client, run.review, ledger, PostSettings.from_params(p, dry_run=run.dry),
            bot_username=str(run.client.user.me()), proposed_ids=set(run.proposed["comment_id"].astype(str)),
            heartbeat=None if run.dry else lease.heartbeat, blocked=run.blocked, confirm=still_approved(run),
            conversations=turns)
        if not run.dry:  # conversation turns decided are logged, then marked read (a dry run decides nothing)
            print("inbox:", counts(conversation.record_decisions(
                run.client, results, turns,
                conversation.InboxLog(run.path(drv.INBOX_LOG), run.drive), settled_blocks(run.blocked))))
    sheets.write_sheet(results, run.path(drv.WOULD_POST))
    print("post:", counts(results["status"].value_counts().to_dict(), none="nothing to post"))
    return results


def finish(run: PostRun) -> None:
    """Push the day's files to Drive and stop the loopback server. The review sheet, its backup, the holds and the
    ledger are not among them: they were written on Drive by compare-and-swap as they changed, and a copy pushed now
    would write over what a person or 07 changed since."""
    try:
        push_outputs(KEY, run.p, run.drive, date=run.date)
    finally:
        run.stop_server()


STEPS = (score, choose, measure_quality, review, connect, check, post, finish)
