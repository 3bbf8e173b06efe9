"""Stage 00 speed and memory: Pushshift dumps streamed (memory stays flat as the file grows) and preparation rows/s.

Generates synthetic dumps under bench/_work (no Reddit content): submissions in 20 subreddits, of which 2 are wanted,
and a comment file of ~N lines with a 2^31 zstd window like the real dumps.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

WORK = Path(__file__).resolve().parent / "_work" / "data"
N_COMMENTS = 300_000
SUBS = [f"sub{i:02d}" for i in range(20)]


_READER = """
import json, re, sys, time
from helpers.data.pushshift_source import read_dumps
def rss():  # this process's peak resident memory (VmHWM; ru_maxrss would include the parent's before exec)
    return round(int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024, 1)
before = rss()
t0 = time.perf_counter()
pairs, stats = read_dumps(sys.argv[1:], ["sub00", "sub01"])
print(json.dumps({"stats": stats, "read_s": time.perf_counter() - t0, "rss_before_mb": before, "rss_after_mb": rss()}))
"""


def _write_dumps(n_comments: int, work: Path) -> tuple[Path, Path, int]:
    import zstandard

    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    n_posts = n_comments // 50
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=31, enable_ldm=True)
    rs, rc = work / "RS_2018-01.zst", work / "RC_2018-01.zst"
    raw_bytes = 0
    with open(rs, "wb") as f, zstandard.ZstdCompressor(compression_params=params).stream_writer(f) as w:
        for i in range(n_posts):
            line = json.dumps({"id": f"p{i}", "subreddit": SUBS[i % 20], "author": f"u{rng.randrange(5000)}",
                               "selftext": f"post body {i} " * 5, "score": rng.randrange(100)}) + "\n"
            w.write(line.encode())
    with open(rc, "wb") as f, zstandard.ZstdCompressor(compression_params=params).stream_writer(f) as w:
        tops: list[tuple[int, str]] = []
        for i in range(n_comments):
            post = rng.randrange(n_posts)
            if tops and rng.random() < 0.6:
                post, parent = rng.choice(tops[-2000:])
                parent_id = f"t1_{parent}"
            else:
                parent_id = f"t3_p{post}"
                tops.append((post, f"c{i}"))
            line = json.dumps({"id": f"c{i}", "subreddit": SUBS[post % 20], "author": f"u{rng.randrange(5000)}",
                               "body": f"comment text number {i} with a few words " * 3, "score": rng.randrange(-5, 50),
                               "parent_id": parent_id, "link_id": f"t3_p{post}"}) + "\n"
            raw_bytes += len(line)
            w.write(line.encode())
    return rs, rc, raw_bytes


def run(smoke: bool = False) -> dict:
    """smoke: 2,000 comment lines and the sample once (seconds), in a temporary folder."""
    if smoke:
        with tempfile.TemporaryDirectory(prefix="bench_data_") as tmp:
            return _measure(2_000, 1, Path(tmp))
    return _measure(N_COMMENTS, 30, WORK)


def _measure(n_comments: int, copies: int, work: Path) -> dict:
    from helpers import drive as drv
    from helpers.data.csv_source import load_sample
    from helpers.data.prepare import prepare

    rs, rc, raw_bytes = _write_dumps(n_comments, work)
    # read in a fresh process, so its peak memory is not the compressor's (which holds a 2 GiB window)
    out = subprocess.run([sys.executable, "-c", _READER, str(rs), str(rc)], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parent.parent)
    read = json.loads(out.stdout.strip().splitlines()[-1])
    stats, read_s = read["stats"], read["read_s"]

    sample = load_sample()
    big = pd.concat([sample.assign(thread_id=sample["thread_id"] + f"_{k}", comment_id=sample["comment_id"] + f"_{k}",
                                   reply_id=sample["reply_id"] + f"_{k}", reply=sample["reply"] + f" ({k})")
                     for k in range(copies)], ignore_index=True)
    drive = drv.open_drive(work / "drive", "local")
    t0 = time.perf_counter()
    summary = prepare(big, drive, source="bench", verbose=False)
    prep_s = time.perf_counter() - t0
    return {
        "pushshift_comment_lines": n_comments,
        "pushshift_uncompressed_mb": round(raw_bytes / 2**20, 1),
        "pushshift_compressed_mb": round(rc.stat().st_size / 2**20, 2),
        "pushshift_read_s": round(read_s, 2),
        "pushshift_lines_per_s": int((stats["comments_read"] + stats["submissions_read"]) / read_s),
        "pushshift_pairs": int(stats["pairs"]),
        "pushshift_rss_before_mb": read["rss_before_mb"],
        "pushshift_peak_rss_mb": read["rss_after_mb"],
        "prepare_rows_in": int(len(big)),
        "prepare_s": round(prep_s, 2),
        "prepare_rows_per_s": int(len(big) / prep_s),
        "prepare_rows_out": int(summary["rows_out"]),
    }
