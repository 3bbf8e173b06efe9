"""Stage 02: GPT-2 fakes for the realism classifier, in the seed's shape (comment, reply, real=0), chunk by chunk.

The comments of gpt2_generate.csv in the chosen splits (default: all three, so the realism classifier can be tested
on fakes from threads it never saw) are cut into fixed chunks in file order; chunk k is written whole to
bert_gan_fake_<k:04d>.csv (atomically). A re-run skips the chunks already on disk, so a killed run loses at most the
chunk it was working on.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any, Callable

import pandas as pd

from ..context import conditioned
from ..contract import default
from ..drive import BERT_GAN_FAKE, BERT_GAN_FAKE_SIGNATURE
from ..errors import ConfigError, InputError
from ..files import read_json, write_csv, write_json

log = logging.getLogger(__name__)

FAKE_COLUMNS = ["comment", "reply", "real", "comment_id", "thread_id", "subreddit", "split", "generation_ended"]
_FAKE_RE = re.compile(r"^bert_gan_fake_(\d{4,})\.csv$")


def select_comments(df: pd.DataFrame, split: str | list[str] = "train",
                    max_comments: int = default("fake_max_comments", "02"),
                    file: str = "gpt2_generate.csv") -> pd.DataFrame:
    """The comments to write fakes for; empty input, or no usable comment, is a clear InputError.

    ``split`` is one split name or a list; with several and ``max_comments``, the splits take turns so a capped run
    still has fakes in each."""
    if df.empty:
        raise InputError("has no rows: nothing to generate fakes for (did stage 00 run?)", file=file)
    if "comment" not in df.columns:
        raise InputError(f"missing column 'comment'; found {list(df.columns)}", file=file)
    out = df.copy()
    for col in ("comment_id", "thread_id", "subreddit", "split"):
        if col not in out.columns:
            out[col] = ""
    out["comment"] = out["comment"].astype("string").str.strip()
    if out["comment"].isna().all() or (out["comment"].fillna("") == "").all():
        raise InputError("every comment is empty or NaN: nothing to generate fakes for", file=file)
    splits = [split] if isinstance(split, str) else list(split or [])
    if splits:
        out = out[out["split"].astype("string").fillna("").isin(splits)]
        if out.empty:
            raise InputError(f"no rows with split in {splits}", file=file)
    empty = out["comment"].fillna("") == ""
    if empty.any():
        log.warning("%s: skipped %d empty comment(s)", file, int(empty.sum()))
    out = out[~empty].reset_index(drop=True)
    if not len(out):
        raise InputError(f"no non-empty comments with split in {splits}", file=file)
    if max_comments and max_comments > 0:
        turn = out.groupby("split", sort=False).cumcount()
        out = out.assign(_turn=turn).sort_values("_turn", kind="stable").head(max_comments)
        out = out.sort_index().drop(columns="_turn").reset_index(drop=True)
    return out


def chunk_path(out_dir: Path, k: int) -> Path:
    return Path(out_dir) / BERT_GAN_FAKE.format(k)


def existing_chunks(out_dir: Path) -> dict[int, Path]:
    return {int(m.group(1)): p for p in sorted(Path(out_dir).glob("bert_gan_fake_*.csv"))
            if (m := _FAKE_RE.match(p.name))}


def fakes_frame(chunk: pd.DataFrame, gen: pd.DataFrame) -> pd.DataFrame:
    """Join the generated replies back to their comments' ids, in the contract's column order (generation_ended
    left empty when the engine did not say: the unfinished filter then falls back to its text heuristic)."""
    meta = chunk.reset_index(drop=True)
    out = meta.iloc[gen["comment_idx"].to_numpy()].reset_index(drop=True)
    ended = gen["generation_ended"].to_numpy() if "generation_ended" in gen.columns else None
    out = out.assign(reply=gen["reply"].to_numpy(), real=0, generation_ended=ended)
    context = ["context"] if "context" in out.columns else []  # thread context (00's context_depth >= 1)
    return out[FAKE_COLUMNS + context].astype({"real": int})


def _nothing(path: Path) -> None:
    """The local backend: a written file is already where it belongs."""


def signature(engine, n: int, gen_kwargs: dict) -> dict:
    """What the fakes depend on besides the comments: the checkpoint save that wrote them and the sampling settings."""
    ckpt = Path(str(getattr(engine, "checkpoint", "") or ""))
    return {"checkpoint": ckpt.name, "checkpoint_run": ckpt.parent.name, "seed": getattr(engine, "seed", None),
            "n": int(n), **{k: gen_kwargs[k] for k in sorted(gen_kwargs)}}


def start_over_if_stale(out_dir: Path, sig: dict, on_write: Callable[[Path], Any] = _nothing,
                        on_remove: Callable[[Path], Any] = Path.unlink) -> int:
    """Resuming is only right for the same checkpoint and settings: after 01 trained further (or sampling changed),
    chunks from before would mix two generators' fakes, so they are removed. Returns how many were removed."""
    path = Path(out_dir) / BERT_GAN_FAKE_SIGNATURE
    have = existing_chunks(out_dir)
    old = read_json(path) if path.exists() else None
    if have and old is not None and old != sig:
        changed = sorted(k for k in set(old) | set(sig) if old.get(k) != sig.get(k))
        log.warning("fakes were written with other %s: removing %d chunk(s) and starting over", changed, len(have))
        print(f"02: {', '.join(changed)} changed since the existing fakes were written; regenerating all chunks")
        for p in have.values():
            on_remove(p)
        removed = len(have)
    else:
        removed = 0
    write_json(sig, path)
    on_write(path)
    return removed


def generate_fakes(engine, comments: pd.DataFrame, out_dir: Path,
                   chunk_size: int = default("fake_chunk_size", "02"), n: int = default("n_candidates", "02"),
                   progress: bool = True, on_write: Callable[[Path], Any] = _nothing,
                   on_remove: Callable[[Path], Any] = Path.unlink, **gen_kwargs) -> dict:
    """Write every missing chunk; returns counts (chunks written/skipped, fakes, dropped candidates, rate).

    on_write(path) runs after each chunk and the signature are written, on_remove(path) removes a stale chunk: with
    the gdrive backend they upload and delete remotely (Drive.push_path, Drive.remove), so a disconnect loses no
    finished chunk and no stale chunk comes back on the next pull."""
    from ..quiet import bar as progress_bar

    if chunk_size < 1:
        raise ConfigError(f"fake_chunk_size must be >= 1, not {chunk_size}")
    out_dir = Path(out_dir)
    stale_removed = start_over_if_stale(out_dir, signature(engine, n, gen_kwargs), on_write, on_remove)
    chunks = [comments.iloc[i:i + chunk_size] for i in range(0, len(comments), chunk_size)]
    have = existing_chunks(out_dir)
    stray = sorted(k for k in have if k >= len(chunks))
    if stray:
        raise ConfigError(f"{out_dir}: chunk(s) {stray} do not fit {len(chunks)} chunks of {chunk_size} comments; "
                          "keep fake_chunk_size/fake_max_comments as in the first run, or delete bert_gan_fake_*.csv")
    todo = [k for k in range(len(chunks)) if k not in have]
    for k in have:
        _check_chunk(have[k], chunks[k])
    stats = {"chunks": len(chunks), "chunks_skipped": len(have), "chunks_written": 0, "fakes_written": 0,
             "dropped_empty": 0, "comments": len(comments), "stale_chunks_removed": stale_removed}
    bar = progress_bar(total=sum(len(chunks[k]) for k in todo) * n, unit="cand", desc="fakes", disable=not progress,
                       smoothing=0.1)
    seconds = 0.0
    try:
        for k in todo:
            gen = engine.generate(conditioned(chunks[k]), n=n, on_comment=lambda _: bar.update(n),
                                  **gen_kwargs)
            seconds += engine.last_stats.get("seconds", 0.0)
            stats["dropped_empty"] += engine.last_stats.get("dropped_empty", 0)
            on_write(write_csv(fakes_frame(chunks[k], gen), chunk_path(out_dir, k)))
            stats["chunks_written"] += 1
            stats["fakes_written"] += len(gen)
    finally:
        bar.close()
    if seconds > 0:
        stats["candidates_per_s"] = round(bar.n / seconds, 2)
    if stats["dropped_empty"]:
        log.warning("dropped %d empty candidate(s)", stats["dropped_empty"])
    return stats


def _check_chunk(path: Path, expected: pd.DataFrame) -> None:
    """A chunk on disk must hold the same comments this run would put there; otherwise resuming would mix runs."""
    from ..files import read_csv

    got = read_csv(path, required=["comment", "reply", "real"])
    if "comment_id" in got.columns and "comment_id" in expected.columns:
        extra = set(got["comment_id"].astype("string").dropna()) - set(expected["comment_id"].astype("string"))
        if extra:
            raise ConfigError(f"{path} holds comments ({sorted(extra)[:3]}...) that are not in this run's chunk; "
                              "the input or fake_chunk_size changed — delete bert_gan_fake_*.csv to start over")
