"""generation_ended: the engine's record of whether a sample reached its end marker travels with the candidate (05's
proposals, 02's fakes) and the unfinished filter believes it before its text heuristic; old files keep the heuristic."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import filters as f
from helpers.errors import InputError
from helpers.files import read_csv, write_csv
from helpers.generator.fakes import FAKE_COLUMNS, fakes_frame
from helpers.live import proposals

SHORT_DONE = "Try compost, it helps."  # the heuristic passes it: short, ends a sentence
LONG_OPEN = " ".join(f"word{i}" for i in range(45))  # the heuristic fails it: 45 words, no sentence end


def frame(replies, ended=None) -> pd.DataFrame:
    df = pd.DataFrame({"post_id": "p", "comment": "What helps yellow leaves?", "proposed_reply": replies})
    return df if ended is None else df.assign(generation_ended=ended)


def test_a_sample_cut_at_the_length_limit_is_unfinished_by_the_column_even_when_the_text_looks_done():
    out = f.apply_filters(frame([SHORT_DONE, LONG_OPEN], ended=[False, True]))
    assert list(out["rejected"]) == ["unfinished", ""]  # the column decides, both ways


def test_without_the_column_or_with_an_empty_cell_the_text_heuristic_decides():
    assert list(f.apply_filters(frame([SHORT_DONE, LONG_OPEN]))["rejected"]) == ["", "unfinished"]
    out = f.apply_filters(frame([SHORT_DONE, LONG_OPEN], ended=[None, float("nan")]))
    assert list(out["rejected"]) == ["", "unfinished"]


def test_a_marker_left_in_the_text_is_unfinished_whatever_the_column_says():
    assert f.apply_filters(frame(["fair point <|endof"], ended=[True]))["rejected"].tolist() == ["unfinished"]


def test_csv_spellings_of_the_flag_and_a_bad_value_named():
    assert [f.ended_flag(v) for v in (True, "True", "false", "0", 1, "", None, float("nan"))] == \
        [True, True, False, False, True, None, None, None]
    out = f.apply_filters(frame([SHORT_DONE, LONG_OPEN], ended=["False", "True"]))  # strings: not bool("False")
    assert list(out["rejected"]) == ["unfinished", ""]
    with pytest.raises(InputError, match="generation_ended of row 1 .*'maybe'"):
        f.apply_filters(frame([SHORT_DONE, LONG_OPEN], ended=["True", "maybe"]))


class EndedEngine:
    """GenerationEngine's contract: candidate 0 stopped at its end marker, candidate 1 ran to the length limit
    (though its text reads as finished)."""

    def generate(self, comments, n=2, **kw):
        rows = [(i, k, c, [SHORT_DONE, "Water less, it helps."][k % 2], k == 0)
                for i, c in enumerate(comments) for k in range(n)]
        return pd.DataFrame(rows, columns=["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"])


def comments(n: int = 2) -> pd.DataFrame:
    return pd.DataFrame([{"subreddit": "gardening", "post_id": f"p{i}", "title": "Leaves", "post_score": 5,
                          "comment_id": f"c{i}", "comment_score": 9, "comment": f"What helps yellow leaves {i}?",
                          "comment_permalink": f"/r/gardening/comments/p{i}/_/c{i}/", "comment_created_utc": 1}
                         for i in range(n)], columns=proposals.COMMENT_COLUMNS)


def test_05s_proposals_keep_the_column_through_a_csv_round_trip(tmp_path):
    out = proposals.propose_replies(comments(), EndedEngine(), n=2)
    assert out["generation_ended"].tolist() == [True, False, True, False]
    path = write_csv(out, tmp_path / proposals.proposed_path("2026-01-02"))
    back = read_csv(path)
    assert [f.ended_flag(v) for v in back["generation_ended"]] == [True, False, True, False]
    assert f.apply_filters(back)["rejected"].tolist() == ["", "unfinished", "", "unfinished"]


def test_an_old_proposals_file_without_the_column_still_filters_by_the_text(tmp_path):
    old = proposals.propose_replies(comments(), EndedEngine(), n=2).drop(columns="generation_ended")
    back = read_csv(write_csv(old, tmp_path / "old.csv"))
    assert f.apply_filters(back)["rejected"].tolist() == ["", "", "", ""]


def test_02s_fakes_carry_the_column_and_an_engine_without_it_leaves_it_empty(tmp_path):
    chunk = comments(2).assign(thread_id="t", split="train")
    fakes = fakes_frame(chunk, EndedEngine().generate(chunk["comment"].tolist(), n=2))
    assert list(fakes.columns) == FAKE_COLUMNS and fakes["generation_ended"].tolist() == [True, False, True, False]
    back = read_csv(write_csv(fakes, tmp_path / "bert_gan_fake_0000.csv"))
    assert [f.ended_flag(v) for v in back["generation_ended"]] == [True, False, True, False]
    plain = EndedEngine().generate(chunk["comment"].tolist(), n=2).drop(columns="generation_ended")
    assert fakes_frame(chunk, plain)["generation_ended"].isna().all()
