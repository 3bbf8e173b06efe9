"""Stage 00 as ordinary Python (helpers/data/stage00.py), run step by step without papermill: on the gdrive backend
it pulls what the contract says it reads, sends each raw file as it is saved, and pushes every output; and the
helpers' own defaults are notebook 00's.

Why: a helper called from Python with other defaults than the notebook's (no BigQuery cap, no months) behaves
differently from the notebook a person ran; and on gdrive a file never pulled or pushed is silently missing in the
next runtime.
"""

from __future__ import annotations

import inspect

import fsspec
import pandas as pd
import pytest

from helpers import drive as drv
from helpers import files, stage
from helpers.contract import Params, all_params, default
from helpers.contract import stage as contract_stage
from helpers.data import arctic_shift_source, bigquery_source, prepare, reddit_source, sources, stage00
from helpers.schema import SEED_COLUMNS
from redditfixtures import COMMENTS, POSTS
from test_data_pushshift import write_zst

# (function, its parameter, notebook 00's parameter that sets it)
DEFAULTS = [
    (prepare.clean_pairs, "max_chars", "max_chars"),
    (prepare.assign_splits, "validation_fraction", "validation_fraction"),
    (prepare.assign_splits, "test_fraction", "test_fraction"),
    (prepare.assign_splits, "seed", "seed"),
    (prepare.prepare, "source", "source"),
    (prepare.prepare, "max_chars", "max_chars"),
    (prepare.prepare, "validation_fraction", "validation_fraction"),
    (prepare.prepare, "test_fraction", "test_fraction"),
    (prepare.prepare, "seed", "seed"),
    (sources.load_raw, "subreddits", "subreddits"),
    (sources.load_raw, "months", "months"),
    (sources.load_raw, "comments_table", "comments_table"),
    (sources.load_raw, "posts_table", "posts_table"),
    (sources.load_raw, "bq_project", "bq_project"),
    (sources.load_raw, "max_bytes_billed", "max_bytes_billed"),
    (sources.load_raw, "dump_glob", "dump_glob"),
    (sources.load_raw, "raw_glob", "raw_glob"),
    (bigquery_source.pull_months, "comments_template", "comments_table"),
    (bigquery_source.pull_months, "posts_template", "posts_table"),
    (bigquery_source.pull_months, "max_bytes_billed", "max_bytes_billed"),
    (bigquery_source.pull_month, "max_bytes_billed", "max_bytes_billed"),
    (reddit_source.pull, "listing", "reddit_listing"),
    (reddit_source.pull, "time_filter", "reddit_time_filter"),
    (reddit_source.pull, "posts_per_subreddit", "reddit_posts_per_subreddit"),
    (reddit_source.pull, "replace_more_limit", "reddit_replace_more_limit"),
    (arctic_shift_source.Client, "base_url", "arctic_shift_url"),
    (arctic_shift_source.Client, "interval_s", "arctic_shift_interval_s"),
    (arctic_shift_source.month_windows, "months", "months"),
    (arctic_shift_source.month_windows, "after", "after"),
    (arctic_shift_source.month_windows, "before", "before"),
]


@pytest.mark.parametrize("fn,arg,name", DEFAULTS, ids=[f"{f.__name__}.{a}" for f, a, _ in DEFAULTS])
def test_helper_defaults_are_notebook_00s(fn, arg, name):
    got = inspect.signature(fn).parameters[arg].default
    want = default(name, "00")
    assert (list(got) if isinstance(got, tuple) else got) == want


def test_bots_dropped_by_default_are_the_notebooks():
    want = set(prepare.DEFAULT_BOTS) | set(default("bot_authors", "00"))
    for fn in (prepare.is_bot, prepare.clean_pairs, prepare.prepare):
        assert set(inspect.signature(fn).parameters["bots"].default) == want


def params(**given) -> Params:
    return Params(**({p.name: p.default for p in all_params(contract_stage("00"))} | given))


@pytest.fixture()
def remote(monkeypatch, tmp_path):
    """An in-memory Google Drive: every Drive the stage opens with the gdrive backend talks to it."""
    fs = fsspec.filesystem("memory")
    fs.store.clear()
    real_open = drv.open_drive
    monkeypatch.setattr(stage, "open_drive", lambda root, backend, folder: real_open(root, backend, folder, fs=fs))
    return fs


def run_steps(run, seen_after_load=None) -> None:
    for step in stage00.STEPS:
        step(run)
        if step is stage00.load and seen_after_load is not None:
            seen_after_load.extend(run.drive.fs.find("/bot"))


OUTPUTS = [drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL, drv.DATA_SUMMARY]


def test_on_gdrive_seed_csvs_are_pulled_and_every_output_pushed(remote, tmp_path):
    rows = [["writing", f"post {i // 3}", f"comment number {i}", f"a reply that says {i}", 1, 2, i % 7, f"op{i // 3}",
             "alice", "bob"] for i in range(30)]
    elsewhere = drv.open_drive(tmp_path / "other_runtime", "gdrive", "/bot", fs=remote)
    (elsewhere.path("raw", "csv")).mkdir(parents=True)
    pd.DataFrame(rows, columns=SEED_COLUMNS).to_csv(elsewhere.path("raw", "csv", "2017_05.csv"))
    elsewhere.push("raw/csv/2017_05.csv")
    run = stage00.start(params(source="csv", drive_root=str(tmp_path / "cache"), drive_backend="gdrive",
                               gdrive_folder="/bot"))
    assert run.drive.path("raw", "csv", "2017_05.csv").exists()  # pulled from the contract's reads
    run_steps(run)
    assert run.summary["rows_out"] == 30
    assert {f"/bot/{name}" for name in OUTPUTS} <= set(remote.find("/bot"))
    fresh = drv.open_drive(tmp_path / "fresh_runtime", "gdrive", "/bot", fs=remote)
    fresh.pull(drv.BERT_GAN_REAL)
    assert len(files.read_csv(fresh.path(drv.BERT_GAN_REAL))) == 30


def test_on_gdrive_the_pushshift_pairs_are_sent_as_soon_as_they_are_saved(remote, tmp_path, capsys):
    (tmp_path / "dumps").mkdir()
    write_zst(tmp_path / "dumps" / "RS_2018-01.zst", POSTS)
    write_zst(tmp_path / "dumps" / "RC_2018-01.zst", COMMENTS)
    run = stage00.start(params(source="pushshift", subreddits=["writing", "cooking"],
                               dump_glob=str(tmp_path / "dumps" / "*.zst"), drive_root=str(tmp_path / "cache"),
                               drive_backend="gdrive", gdrive_folder="/bot"))
    after_load: list[str] = []
    run_steps(run, after_load)
    assert f"/bot/{drv.RAW_PUSHSHIFT}" in after_load  # before preparation, not only in the last step
    assert {f"/bot/{name}" for name in OUTPUTS} <= set(remote.find("/bot"))
    out = capsys.readouterr().out
    assert "2 raw comment/reply rows from pushshift" in out and "rows out: 2" in out
