"""05 builds live prompts in the form 00 trained on: the fetched thread's title and the comments above each comment
(its parent_id chain in the tree PRAW fetched from the loopback Reddit), tagged by helpers/context.py; at depth 0 the
prompt is the comment alone and the files keep their columns."""

import pandas as pd

from helpers.context import context_text, format_prompt
from helpers.live import proposals as live
from helpers.text import SEP, START_TOKEN

TITLE = "Which book made you fall in love with hard science fiction?"


class RecordingEngine:
    """Stands in for the GPT-2 engine: keeps the texts it was asked to continue, builds the prompt strings the real
    engine's tokens spell (<|startoftext|> + text + " [SEP]")."""

    def __init__(self):
        self.prompts = []

    def generate(self, comments, n=1, on_comment=None, **kw):
        self.prompts += [f"{START_TOKEN}{c.strip()} {SEP}" for c in comments]
        rows = [(i, k, c, f"reply {k}", True) for i, c in enumerate(comments) for k in range(n)]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"])


def body(server, cid):
    return server.state.comments[cid]["body"]


def test_live_prompts_carry_the_title_and_the_comments_above(reddit, server):
    deep = server.state.add_reply("c001", "Which one was it, the ship or the station?")
    server.state.set_score(deep, 20)
    df, _ = live.fetch_comments(reddit, ["sciencefiction"], posts_per_subreddit=5, min_comment_score=3,
                                context_depth=2)
    rows = df.set_index("comment_id")
    assert list(df.columns) == live.COMMENT_COLUMNS + ["context"]
    assert rows.loc["c005", "context"] == context_text(TITLE, [], 2) == f"[TITLE] {TITLE} [COMMENT] "
    assert rows.loc["c001", "context"] == context_text(TITLE, [body(server, "c005")], 2)
    assert rows.loc[deep, "context"] == context_text(TITLE, [body(server, "c005"), body(server, "c001")], 2)
    engine = RecordingEngine()
    out = live.propose_replies(df, engine, n=2)
    i = df.index[df["comment_id"] == deep][0]
    assert engine.prompts[i] == format_prompt(TITLE, [body(server, "c005"), body(server, "c001")],
                                              rows.loc[deep, "comment"], 2)
    assert "context" in out.columns and (out["context"] != "").all()  # 06 scores with it (Scorer.score)


def test_depth_1_keeps_the_parent_only_and_depth_0_is_the_comment_alone(reddit, server):
    deep = server.state.add_reply("c001", "Which one was it?")
    server.state.set_score(deep, 20)
    df, _ = live.fetch_comments(reddit, ["sciencefiction"], posts_per_subreddit=5, min_comment_score=3,
                                context_depth=1)
    assert df.set_index("comment_id").loc[deep, "context"] == context_text(TITLE, [body(server, "c001")], 1)
    flat, _ = live.fetch_comments(reddit, ["sciencefiction"], posts_per_subreddit=5, min_comment_score=3)
    assert list(flat.columns) == live.COMMENT_COLUMNS
    engine = RecordingEngine()
    out = live.propose_replies(flat, engine, n=1)
    assert engine.prompts == [f"{START_TOKEN}{c} {SEP}" for c in flat["comment"]]
    assert list(out.columns) == live.PROPOSED_COLUMNS
