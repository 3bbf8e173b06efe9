"""Source ``sample``: a bundled corpus so the whole suite runs offline.

The text is original, written for this project: per-subreddit phrase banks (files/sample_banks.json) filled in with a
fixed seed. Every comment gets several replies of different quality, and reply scores follow that quality (stage 04
needs pairs of replies to one comment with different scores; stage 03 needs something a tiny model can learn).
A few dirty rows (HTML entities, [deleted], AutoModerator, link-only, overlong, empty, duplicate) make cleaning
visible. files/sample_pairs.csv is the committed output of ``build_sample()``; tests check the two agree.
"""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

import pandas as pd

from ..schema import RAW_COLUMNS

SAMPLE_SEED = 2020
TIER_SCORES = {"great": (5, 60), "good": (2, 4), "one": (1, 1), "low": (-8, 0)}


def data_path(name: str) -> Path:
    return Path(str(resources.files("helpers.offline") / "files" / name))


def load_banks() -> dict:
    return json.loads(data_path("sample_banks.json").read_text(encoding="utf-8"))


def _fill(rng: random.Random, template: str, bank: dict, topic: str) -> str:
    text = template.format(topic=topic, tip=rng.choice(bank["tips"]), feel=rng.choice(bank["feels"]),
                           thing=rng.choice(bank["things"]))
    return text[0].upper() + text[1:]


class _Ids:
    """Reddit-looking base36 ids, unique within the corpus."""

    def __init__(self, rng: random.Random):
        self.rng, self.seen = rng, set()

    def new(self) -> str:
        while True:
            i = "".join(self.rng.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(6))
            if i not in self.seen:
                self.seen.add(i)
                return i


def build_sample(seed: int = SAMPLE_SEED, threads_per_subreddit: int = 10, comments_per_thread: int = 2
                 ) -> pd.DataFrame:
    """Clean pairs from the phrase banks, then the dirty rows; columns RAW_COLUMNS."""
    rng = random.Random(seed)
    banks = load_banks()
    ids = _Ids(rng)
    rows = []
    for sub, bank in banks["subreddits"].items():
        for t in range(threads_per_subreddit):
            topic = bank["topics"][t % len(bank["topics"])]
            tid, s_author = ids.new(), rng.choice(banks["authors"])
            submission = _fill(rng, rng.choice(bank["submissions"]), bank, topic)
            s_score = rng.randint(1, 400)
            for template in rng.sample(bank["comments"], comments_per_thread):
                cid, c_author = ids.new(), rng.choice([a for a in banks["authors"] if a != s_author])
                comment = _fill(rng, template, bank, topic)
                c_score = rng.randint(-2, 90)
                tiers = ["great", "good", "one", "low"]
                rng.shuffle(tiers)
                extra = rng.random()
                tiers = tiers[:3] if extra < 0.2 else tiers + [rng.choice(["great", "good"])] if extra > 0.7 else tiers
                for tier in tiers:
                    r_author = rng.choice([a for a in banks["authors"] if a not in (s_author, c_author)])
                    reply = _fill(rng, rng.choice(bank["replies"][tier]), bank, topic)
                    lo, hi = TIER_SCORES[tier]
                    rows.append({"subreddit": sub, "submission": submission, "comment": comment, "reply": reply,
                                 "submission_score": s_score, "comment_score": c_score,
                                 "reply_score": rng.randint(lo, hi), "submission_author": s_author,
                                 "comment_author": c_author, "reply_author": r_author, "thread_id": tid,
                                 "comment_id": cid, "reply_id": ids.new()})
    clean = pd.DataFrame(rows, columns=RAW_COLUMNS)
    return pd.concat([clean, _dirty_rows(clean, rng, ids)], ignore_index=True)[RAW_COLUMNS]


def _dirty_rows(clean: pd.DataFrame, rng: random.Random, ids: _Ids) -> pd.DataFrame:
    """Rows that cleaning must fix or drop, each attached to a real comment of the corpus."""
    long_reply = " ".join(["I wrote a very long answer about this once, and I will write it again here."] * 24)
    edits = [
        {"comment": "&amp;#x200B;\n\n&gt; quoted line\n\nI agree with the quote &amp; want more detail."},
        {"reply": "Great thread &amp;amp; thanks\u200b for the tips!"},
        {"reply": "[deleted]"},
        {"comment": "[removed]"},
        {"reply": "Your post was removed because it lacks a flair.", "reply_author": "AutoModerator"},
        {"reply": "I will remind you in 3 days.", "reply_author": "RemindMeBot"},
        {"reply": "https://example.com/guide/part-2"},
        {"reply": "[the guide](https://example.org/how-to)"},
        {"reply": long_reply},
        {"reply": ""},
        {"reply": "   \n  "},
        {"reply_score": "n/a"},
        {"comment": "Line one of a comment,\nwith \"quotes\", commas and a second line."},
    ]
    base = clean.sample(n=len(edits), random_state=rng.randint(0, 2**31 - 1)).reset_index(drop=True)
    base = base.astype({"reply_score": object})
    for i, change in enumerate(edits):
        for k, v in change.items():
            base.at[i, k] = v
        if "comment" in change:  # a different comment text is a different comment
            base.at[i, "comment_id"] = ids.new()
    base["reply_id"] = [ids.new() for _ in range(len(base))]
    dup = clean.iloc[[3]]  # an exact duplicate row (same ids and text)
    return pd.concat([base, dup], ignore_index=True)


def write_sample(path: str | Path | None = None) -> Path:
    """Regenerate the committed sample CSV (run after editing the banks)."""
    from ..files import write_csv

    return write_csv(build_sample(), path or data_path("sample_pairs.csv"))
