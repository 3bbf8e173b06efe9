"""Stage 07 of the contract: how the posted replies fare."""

from __future__ import annotations

from .. import drive as drv
from .live import REDDIT
from .spec import File, P, Stage

STAGE_07 = Stage(
    key="07", name="track_outcomes", part="outcomes", title="Track what happened to the posted replies", runtime="CPU",
    talks_to_reddit=True,
    reads=(File(drv.POSTING_LEDGER), File(drv.REPLY_SCORES), File(drv.REVIEW_SHEET), File(drv.OUTCOME_HISTORY),
           File(drv.HOLDS), File(drv.RULES_CONFIRMED, "rules a person confirmed"),
           File(drv.INBOX_LOG, "conversation turns: its conversations line"), File(drv.OPTOUTS)),
    writes=(File(drv.OUTCOME_HISTORY, "pushed under the posting lock", synced=False), File(drv.OUTCOMES),
            File(drv.HOLDS, "where trouble was seen; compare-and-swap", synced=False), File(drv.PREFLIGHT),
            File(drv.RULES_CONFIRMED, "when confirm_rules confirms a subreddit's rules; compare-and-swap",
                 synced=False),
            File(drv.OUTCOME_METRICS), File(drv.OUTCOME_CONFUSION), File(drv.OUTCOME_CALIBRATION),
            File(drv.OUTCOME_GROWTH), File(drv.POSTING_LEASE, "while writing", synced=False)),
    reads_also="Reddit (the bot's replies)",
    params=(
    *REDDIT,
    P("praw_ini", "", 'live: a praw.ini file to read praw_site from ("": the praw.ini files PRAW itself finds)'),
    P("count_replies", True,
      "also count each reply's replies (one request per reply; scores alone are batched by 100)"),
    P("break_lease", False,
      "True: take over a posting lease another run left on Drive (only when that run is surely gone)"),
    ),
)
