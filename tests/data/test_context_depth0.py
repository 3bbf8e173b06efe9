"""context_depth = 0 is today's seed format, byte for byte: every source's three training files (and the summary's
counts) equal what the code before thread context wrote for the same inputs (digests in context_depth0_golden.json,
captured from that code by running this file: `python tests/data/test_context_depth0.py --write-golden`). The inputs
hold replies to replies, which the seed's pairing ignores and depth 0 must ignore too."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from contextcorpus import SUBS, deep_rows, records, reddit_threads, sample_pairs  # noqa: E402

from helpers import drive as drv  # noqa: E402
from helpers.data.csv_source import load_sample  # noqa: E402
from helpers.data.prepare import prepare  # noqa: E402
from helpers.data.sources import load_raw  # noqa: E402

GOLDEN = HERE / "context_depth0_golden.json"
FILES = (drv.GPT2_FINETUNE, drv.GPT2_GENERATE, drv.BERT_GAN_REAL)
SOURCES = ("sample", "csv", "pushshift", "arctic_shift", "reddit", "bigquery")


def _zst(path: Path, recs: list[dict]) -> Path:
    import zstandard

    path.write_bytes(zstandard.ZstdCompressor().compress("".join(json.dumps(r) + "\n" for r in recs).encode()))
    return path


def _bigquery_client(posts: list[dict], comments: list[dict]):
    import duckdb
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    from redditfixtures import COMMENT_COLUMNS, POST_COLUMNS
    from test_data_bigquery import DuckBackedQuery, make_month

    fill = {"num_comments": 1, "url": "", "is_self": True, "controversiality": 0, "gilded": 0}
    posts = [{**fill, **p, "created_utc": int(p["created_utc"]), "selftext": p["selftext"] or None}
             for p in posts]
    comments = [{**fill, **c, "created_utc": int(c["created_utc"])} for c in comments]
    con = duckdb.connect()
    make_month(con, "2024_01", [{k: p[k] for k in POST_COLUMNS} for p in posts],
               [{k: c[k] for k in COMMENT_COLUMNS} for c in comments])
    client = bigquery.Client(project="test-project", credentials=AnonymousCredentials())
    client.query = DuckBackedQuery(con)
    return client


def run_source(source: str, root: Path, monkeypatch=None, **context) -> Path:
    """Run 00's load + prepare for ``source`` over the deep corpus into ``root``; ``context`` (e.g. context_depth)
    goes to both calls when given (the code before thread context takes none)."""
    pairs = sample_pairs()
    deep = deep_rows(pairs)
    drive = drv.open_drive(str(root), "local")
    kw: dict = {}
    if source == "csv":
        seed = load_sample().drop(columns=["thread_id", "comment_id", "reply_id"])
        (root / "raw" / "csv").mkdir(parents=True)
        seed.to_csv(root / "raw" / "csv" / "seed.csv")  # the seed's format: index column included
    elif source == "pushshift":
        posts, comments = records(pairs, deep)
        (root / "dumps").mkdir(parents=True)
        _zst(root / "dumps" / "RS_2024-01.zst", posts), _zst(root / "dumps" / "RC_2024-01.zst", comments)
        kw = {"subreddits": SUBS, "dump_glob": "dumps/R*.zst"}
    elif source == "arctic_shift":
        from helpers.data import arctic_shift_source as asrc
        from helpers.offline import fake_arctic_shift as fas

        posts, comments = records(pairs, deep)
        server = fas.serve(posts, comments).__enter__()
        kw = {"subreddits": SUBS, "months": ["2024_01"],
              "client": asrc.Client(base_url=server.url, interval_s=0, sleep=lambda s: None)}
    elif source == "reddit":
        from helpers.offline import fake_reddit

        server = fake_reddit.serve(reddit_threads(pairs, deep)).__enter__()
        ini = root.parent / f"{root.name}.ini"
        ini.write_text(f"[bot]\nclient_id=loopback-client\nclient_secret=loopback-secret\noauth_url={server.url}\n"
                       f"reddit_url={server.url}\ncheck_for_updates=False\n", encoding="utf-8")
        kw = {"subreddits": SUBS, "reddit": {"praw_site": "bot", "praw_ini": str(ini), "time_filter": "all"}}
    elif source == "bigquery":
        posts, comments = records(pairs, deep)
        kw = {"subreddits": SUBS, "months": ["2024_01"], "client": _bigquery_client(posts, comments)}
    try:
        raw, stats = load_raw(source, drive, **kw, **context)
    finally:
        if source in ("arctic_shift", "reddit"):
            server.__exit__(None, None, None)
    prepare(raw, drive, source=source, source_stats=stats, verbose=False, **context)
    return root


def digests(root: Path) -> dict:
    out = {name: hashlib.sha256((root / name).read_bytes()).hexdigest() for name in FILES}
    summary = json.loads((root / drv.DATA_SUMMARY).read_text(encoding="utf-8"))
    out["summary"] = {k: v for k, v in summary.items() if k != "source_stats"}
    return out


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    monkeypatch.setenv("PRAW_ALLOW_ENDPOINT_OVERRIDE", "1")
    monkeypatch.setattr("time.sleep", lambda s: None)


@pytest.mark.parametrize("source", SOURCES)
def test_depth_0_writes_the_seed_format_byte_for_byte(source, tmp_path):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))[source]
    assert digests(run_source(source, tmp_path / "explicit", context_depth=0)) == golden
    assert digests(run_source(source, tmp_path / "default")) == golden  # the default must not matter here


if __name__ == "__main__" and "--write-golden" in sys.argv:
    import os
    import tempfile

    os.environ["PRAW_ALLOW_ENDPOINT_OVERRIDE"] = "1"
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for s in SOURCES:
            got[s] = digests(run_source(s, Path(tmp) / s))
            print(s, got[s]["summary"]["rows_out"])
    GOLDEN.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _ = SimpleNamespace
