"""Thread context from every source: replies to replies are paired with the post's title and their comment's
ancestors (oldest first) from the Reddit API (real PRAW against the loopback Reddit: the parent chain of the fetched
tree), Arctic Shift (loopback; parent_id within the pulled comments), Pushshift dump files (parent_id join in the
month), BigQuery (the self-joining SQL run on DuckDB) and the seed's CSVs (no context: the comment alone)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from contextcorpus import deep_rows, sample_pairs  # noqa: E402
from test_context_depth0 import run_source  # noqa: E402

from helpers import drive as drv  # noqa: E402
from helpers.context import decode_ancestors, format_document  # noqa: E402
from helpers.data.sources import load_raw  # noqa: E402
from helpers.files import read_csv  # noqa: E402

DEEP_SOURCES = ("pushshift", "arctic_shift", "reddit", "bigquery")


def expected() -> dict[str, tuple[str, list[str]]]:
    """reply id -> (the comment it answers, that comment's ancestors) for every pair of the deep corpus."""
    pairs = sample_pairs()
    out = {r.reply_id: (r.comment, []) for r in pairs.itertuples()}
    by_reply = {r.reply_id: r for r in pairs.itertuples()}
    bodies = {}
    for d in deep_rows(pairs):
        bodies[d["id"]] = d["body"]
        if d["parent"] in by_reply:
            top = by_reply[d["parent"]]
            out[d["id"]] = (top.reply, [top.comment])
        else:
            top = by_reply[d["parent"][:-2]]
            out[d["id"]] = (bodies[d["parent"]], [top.comment, top.reply])
    return out


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")
    monkeypatch.setattr("time.sleep", lambda s: None)


@pytest.mark.parametrize("source", DEEP_SOURCES)
def test_depth_2_pairs_replies_to_replies_with_their_ancestors(source, tmp_path, monkeypatch):
    captured = {}
    real_load = load_raw

    def spy(*a, **kw):
        captured["raw"], captured["stats"] = real_load(*a, **kw)
        return captured["raw"], captured["stats"]

    monkeypatch.setattr(sys.modules["test_context_depth0"], "load_raw", spy)
    root = run_source(source, tmp_path / "d2", context_depth=2)
    raw, want = captured["raw"], expected()
    assert len(raw) and set(raw["reply_id"]) <= set(want)
    for r in raw.itertuples():
        assert (r.comment, decode_ancestors(r.ancestors)) == want[r.reply_id], (source, r.reply_id)
    threads = set(raw["thread_id"])
    deep_ids = {k for k, (_, anc) in want.items() if anc}
    got_deep = set(raw["reply_id"]) & deep_ids
    # every deep pair of the threads this source keeps (BigQuery and Pushshift skip link posts, as the seed did)
    assert got_deep == {d["id"] for d in deep_rows(sample_pairs()) if d["thread_id"] in threads}
    assert raw["title"].str.startswith("Thread ").all() and raw["title"].str.contains(raw["thread_id"].iloc[0]).any()
    titles = raw.drop_duplicates("thread_id").set_index("thread_id")["title"]
    assert all(tid in t for tid, t in titles.items())
    # the documents carry it in the documented form; the other two files carry the same context column
    docs = read_csv(root / drv.GPT2_FINETUNE)
    real = read_csv(root / drv.BERT_GAN_REAL)
    row = real[real["reply_id"].isin([d for d in got_deep if d.endswith("d3")])].iloc[0]
    src = raw.set_index("reply_id").loc[row["reply_id"]]
    doc = format_document(src["title"], decode_ancestors(src["ancestors"]), row["comment"], row["reply"], 2)
    assert doc in set(docs["text"]) and doc.startswith(f"[TITLE] {src['title']} [PARENT] ")
    assert doc.count("[PARENT]") == 2 and row["context"] + row["comment"] == doc.split(" [SEP] ")[0]
    generate = read_csv(root / drv.GPT2_GENERATE)
    assert "context" in generate.columns and generate["context"].str.endswith("[COMMENT] ").all()
    summary = json.loads((root / drv.DATA_SUMMARY).read_text())
    assert summary["context_depth"] == 2 and set(summary["rows_per_comment_depth"]) == {"0", "1", "2"}


@pytest.mark.parametrize("source", DEEP_SOURCES)
def test_depth_1_keeps_only_one_ancestor_level(source, tmp_path, monkeypatch):
    captured = {}
    real_load = load_raw
    monkeypatch.setattr(sys.modules["test_context_depth0"], "load_raw",
                        lambda *a, **kw: captured.setdefault("r", real_load(*a, **kw)))
    run_source(source, tmp_path / "d1", context_depth=1)
    raw = captured["r"][0]
    depth = raw["ancestors"].map(lambda a: len(decode_ancestors(a)))
    assert set(depth) == {0, 1} and not raw["reply_id"].str.endswith("d3").any()
    assert raw["reply_id"].str.endswith("d2").any()


def test_seed_csvs_have_no_context_but_work_at_any_depth(tmp_path):
    root = run_source("csv", tmp_path / "csv", context_depth=2)
    docs = read_csv(root / drv.GPT2_FINETUNE)
    assert docs["text"].str.startswith("[COMMENT] ").all() and "[TITLE]" not in " ".join(docs["text"])
    sample = run_source("sample", tmp_path / "sample", context_depth=3)
    assert (read_csv(sample / drv.GPT2_GENERATE)["context"] == "[COMMENT] ").all()


def test_a_bad_ancestors_cell_names_its_file_and_row(tmp_path):
    from helpers.data.csv_source import read_seed_csv
    from helpers.errors import InputError

    df = sample_pairs().head(3).assign(title="t", ancestors=['["a"]', "not json", "[]"])
    path = tmp_path / "raw.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=r"raw\.csv.*row 2 column ancestors"):
        read_seed_csv(path)
    ok = pd.read_csv(path).assign(ancestors=['["a"]', "[]", ""])
    ok.to_csv(path, index=False)
    assert list(read_seed_csv(path)["ancestors"].fillna("")) == ['["a"]', "[]", ""]
