"""Stage 07, outcome tracking: what happened to the replies the bot posted, next to what the models predicted.

The seed judged its bot by hand ("80 replies, 24 received at least one upvote"). Here every reply in the posting
ledger is checked through Reddit's /api/info (PRAW batches 100 fullnames a request): its score, whether it was removed
or deleted, and (one request each, optional) how many replies it got. Each check appends one row per reply to
live/outcome_history.csv, so the growth over time stays visible; the latest row per reply is joined with the upvote
classifier's prediction for the very text that was posted.

"At least one upvote" means score >= 2: Reddit starts a comment at 1 (its author's own vote). The seed's upvote bins
(0: score < 1, 1: == 1, 2: 2..4, 3: >= 5) make P(score >= 2) = p2 + p3 exactly, which is what the calibration checks.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

from .. import drive as drv
from ..contract import default
from ..data.prepare import rating_bin
from ..drive import day_of
from ..files import read_csv, write_csv
from ..live.ledger import LEDGER_COLUMNS
from ..live.sheets import read_sheet
from ..reddit import fields as rf
from ..schema import NUM_RATING_BINS
from ..text import DELETED

log = logging.getLogger(__name__)

HISTORY_COLUMNS = ["checked_at", "reply_id", "comment_id", "post_id", "subreddit", "posted_at", "hours_since_post",
                   "score", "num_replies", "state", "upvoted", "actual_bin"]
PREDICTION_COLUMNS = ["prediction_source", "prediction_date", "prob_real", "p0", "p1", "p2", "p3", "expected_score",
                      "p_upvoted", "predicted_bin"]


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def score_bin(score: float) -> float:
    """The seed's upvote bins on a reply's score: 0 if < 1, 1 if == 1, 2 if < 5, else 3 (NaN stays NaN)."""
    return np.nan if pd.isna(score) else rating_bin(score)


# ---- the ledger's posted replies ----------------------------------------------------------------------------------
def posted_replies(ledger: pd.DataFrame) -> pd.DataFrame:
    """One row per reply the bot posted: the last ledger event per comment, status "posted", with a reply id."""
    missing = [c for c in LEDGER_COLUMNS if c not in ledger.columns]
    if missing:
        from ..errors import InputError

        raise InputError(f"posting ledger lacks column(s) {missing}", file=drv.POSTING_LEDGER)
    df = ledger.astype({c: str for c in ("comment_id", "post_id", "subreddit", "status")}).copy()
    df["reply_id"] = df["reply_id"].fillna("").astype(str).str.strip()
    last = df.groupby("comment_id", sort=False).tail(1)
    posted = last[(last["status"] == "posted") & (last["reply_id"] != "")]
    no_id = int(((last["status"] == "posted") & (last["reply_id"] == "")).sum())
    if no_id:
        log.warning("ledger: %d posted row(s) without a reply_id cannot be tracked", no_id)
    out = posted.rename(columns={"event_at": "posted_at"})
    out["body"] = out["body"].fillna("").astype(str)
    return out[["reply_id", "comment_id", "post_id", "subreddit", "posted_at", "body"]].reset_index(drop=True)


def read_ledger(path: str | Path) -> pd.DataFrame:
    """The posting ledger, or an empty one when 06 has never posted (a dry run writes no ledger)."""
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=LEDGER_COLUMNS)
    return read_csv(path, required=LEDGER_COLUMNS, hint="posting ledger written by 06")


# ---- one check against Reddit -------------------------------------------------------------------------------------
def _state(thing) -> str:
    body = rf.text(thing, "body").strip()
    if body == "[removed]" or rf.flag(thing, "removed") or rf.field(thing, "banned_by"):
        return "removed"
    if rf.author(thing) is None or body in DELETED:
        return "deleted"
    return "live"


def _count_replies(thing) -> float:
    """Direct replies, including those behind a "load more" (counted, not fetched); NaN when Reddit will not say."""
    import prawcore
    from praw.exceptions import ClientException

    try:
        thing.refresh()
        more = thing.replies.replace_more(limit=0)
    except (prawcore.PrawcoreException, ClientException) as e:  # e.g. the thread itself is gone: keep the score
        log.warning("could not count the replies of %s: %s", getattr(thing, "id", "?"), e)
        return np.nan
    return len(thing.replies) + sum(int(getattr(m, "count", 0) or 0) for m in more)


def check_outcomes(reddit, posted: pd.DataFrame, count_replies: bool = default("count_replies", "07"),
                   checked_at: str = "") -> pd.DataFrame:
    """One history row per posted reply: score, reply count and state now. A reply /api/info does not return at all
    is recorded as state "missing" (score NaN), never dropped."""
    checked_at = checked_at or now_iso()
    ids = posted["reply_id"].astype(str).tolist()
    found = {t.id: t for t in reddit.info(fullnames=[f"t1_{i}" for i in ids])}  # PRAW: 100 per /api/info call
    now = pd.Timestamp(checked_at)
    rows = []
    for r in posted.to_dict("records"):
        thing = found.get(str(r["reply_id"]))
        state = "missing" if thing is None else _state(thing)
        score = (rf.number(thing, "score") if thing is not None else None)
        score = np.nan if score is None else score
        replies = np.nan
        if thing is not None and count_replies and state != "missing":
            replies = _count_replies(thing)
        posted_at = pd.to_datetime(str(r["posted_at"]), utc=True, format="ISO8601", errors="coerce")
        hours = round((now - posted_at).total_seconds() / 3600, 3) if pd.notna(posted_at) else np.nan
        rows.append({"checked_at": checked_at, "reply_id": str(r["reply_id"]), "comment_id": str(r["comment_id"]),
                     "post_id": str(r["post_id"]), "subreddit": str(r["subreddit"]), "posted_at": r["posted_at"],
                     "hours_since_post": hours, "score": score, "num_replies": replies, "state": state,
                     "upvoted": bool(score >= 2) if not np.isnan(score) else False, "actual_bin": score_bin(score)})
    return pd.DataFrame(rows, columns=HISTORY_COLUMNS)


def append_history(path: str | Path, rows: pd.DataFrame) -> pd.DataFrame:
    """Add one check's rows to the history (rewritten atomically, so a killed check adds nothing)."""
    path = Path(path)
    old = read_csv(path, required=HISTORY_COLUMNS, hint="outcome history") if path.exists() else None
    history = rows if old is None or old.empty else pd.concat([old, rows], ignore_index=True)
    history = history.astype({c: str for c in ("reply_id", "comment_id", "post_id")})
    write_csv(history, path)
    return history


def latest_per_reply(history: pd.DataFrame) -> pd.DataFrame:
    h = history.astype({"reply_id": str}).sort_values("checked_at", kind="stable")
    return h.groupby("reply_id", sort=False).tail(1).reset_index(drop=True)


# ---- what the models predicted ------------------------------------------------------------------------------------
def _dated_frames(live_dir: Path, dated: str) -> pd.DataFrame:
    """Every day's file of a dated name (helpers.drive), with its day; review_<date>.bak.csv and the like never
    count."""
    frames = []
    for p in sorted(Path(live_dir).glob(Path(dated).name.replace("{date}", "*"))):
        try:
            day = day_of(p, dated)
        except ValueError:  # e.g. review_<date>.bak.csv, the copy 06 keeps before rewriting a sheet
            continue
        df = read_sheet(p)  # people-facing CSVs: formula escapes removed, so bodies compare as posted
        if "comment_id" not in df.columns or df.empty:
            continue
        frames.append(df.assign(prediction_date=day, comment_id=df["comment_id"].astype(str)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def join_predictions(posted: pd.DataFrame, live_dir: str | Path) -> pd.DataFrame:
    """posted + the scores of the very text that was posted (reply_score_predictions_<date>.csv: the body starts
    with the candidate; a footer may follow). A reply a person edited before approving has no exact candidate: it
    takes the review sheet's scores of the reply it replaced (prediction_source "review")."""
    preds = _dated_frames(Path(live_dir), drv.REPLY_SCORES)
    review = _dated_frames(Path(live_dir), drv.REVIEW_SHEET)
    rows = []
    for r in posted.to_dict("records"):
        rows.append({**r, **_prediction_for(str(r["comment_id"]), str(r.get("body", "")).strip(), preds, review)})
    out = pd.DataFrame(rows, columns=list(posted.columns) + PREDICTION_COLUMNS)
    for c in PREDICTION_COLUMNS[2:]:
        out[c] = pd.to_numeric(out[c], errors="coerce")
    return out


def _prediction_for(cid: str, body: str, preds: pd.DataFrame, review: pd.DataFrame) -> dict:
    empty = {c: np.nan for c in PREDICTION_COLUMNS} | {"prediction_source": "none", "prediction_date": ""}
    if not preds.empty and "proposed_reply" in preds.columns:
        cand = preds[preds["comment_id"] == cid]
        text = cand["proposed_reply"].fillna("").astype(str).str.strip()
        hit = cand[(text != "") & text.map(lambda t: body.startswith(t))]
        if not hit.empty:
            best = hit.assign(_len=text[hit.index].str.len()).sort_values(["prediction_date", "_len"]).iloc[-1]
            p = [float(best.get(f"p{k}", np.nan)) for k in range(NUM_RATING_BINS)]
            return empty | {"prediction_source": "predictions", "prediction_date": best["prediction_date"],
                            "prob_real": best.get("prob_real", np.nan),
                            **{f"p{k}": p[k] for k in range(NUM_RATING_BINS)},
                            "expected_score": best.get("expected_score", np.nan), "p_upvoted": p[2] + p[3],
                            "predicted_bin": float(np.argmax(p)) if not np.isnan(p).any() else np.nan}
    if not review.empty and "expected_score" in review.columns:
        rows = review[review["comment_id"] == cid]
        if not rows.empty:
            best = rows.sort_values("prediction_date").iloc[-1]
            exp = pd.to_numeric(pd.Series([best.get("expected_score")]), errors="coerce").iloc[0]
            return empty | {"prediction_source": "review", "prediction_date": best["prediction_date"],
                            "prob_real": best.get("prob_real", np.nan), "expected_score": exp,
                            "predicted_bin": (float(np.clip(np.rint(exp), 0, NUM_RATING_BINS - 1))
                                              if pd.notna(exp) else np.nan)}
    return empty


def track(reddit, root: str | Path, count_replies: bool = default("count_replies", "07"), checked_at: str = "",
          recorded: bool = False) -> tuple[pd.DataFrame, dict]:
    """The whole check: ledger -> Reddit -> history (appended) -> latest joined with predictions -> outputs.
    ``recorded``: the client talks to the offline recorded threads, where no real reply can be found."""
    import prawcore

    from ..errors import ConfigError, StageError

    root = Path(root)
    posted = posted_replies(read_ledger(root / drv.POSTING_LEDGER))
    history_path = root / drv.OUTCOME_HISTORY
    if recorded and not posted.empty:
        raise ConfigError(f"the ledger lists {len(posted)} replies posted on Reddit; the recorded threads cannot "
                          "know them (each would be recorded as missing): run with reddit = 'live'")
    if posted.empty:
        history = read_csv(history_path) if history_path.exists() else pd.DataFrame(columns=HISTORY_COLUMNS)
    else:
        try:
            rows = check_outcomes(reddit, posted, count_replies, checked_at)
        except prawcore.PrawcoreException as e:
            raise StageError(f"checking the posted replies on Reddit failed ({type(e).__name__}: {e}); nothing "
                             "was added to the history, run 07 again later") from e
        history = append_history(history_path, rows)
    latest = latest_per_reply(history) if len(history) else pd.DataFrame(columns=HISTORY_COLUMNS)
    base = latest.merge(posted[["reply_id", "body"]], on="reply_id", how="left") if len(latest) else \
        latest.assign(body=pd.Series(dtype=object))
    outcomes = join_predictions(base, root / drv.LIVE_DIR)
    from .outcome_metrics import write_outputs

    return outcomes, write_outputs(root, history, outcomes)
