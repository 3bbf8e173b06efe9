"""For every comment of `gpt2_generate.csv` in `fake_splits` (default all three: the realism classifier is then tested
on fakes from threads it never trained on), the fine-tuned GPT-2 from `checkpoint/<run_name>` writes
`n_candidates` replies. They are saved in the seed's shape (comment, reply, real=0) as chunked files
`bert_gan_fake_NNNN.csv`, which 03 reads as the "fake" class. The checkpoint is loaded once and one sampling graph
serves every comment. Resumable: chunks already on the Drive root are kept, and a re-run writes only the missing ones
(keep `fake_chunk_size`, `fake_splits` and `fake_max_comments` as they were). If 01 has trained further since, or the
sampling settings changed, the old chunks are regenerated rather than mixed with new ones.

The fakes' quality (distinct-1/2, repeated-trigram rate, parrot rate, length) on the test split, beside the real
test-split replies of `bert_gan_real.csv`, goes to `metrics/fakes_quality.json` and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import drive as drv
from .. import quality
from ..contract import Params
from ..files import read_csv, read_csvs, write_json
from ..stage import StageRun, open_stage, push_outputs
from ..words import counts
from .fakes import generate_fakes, select_comments
from .generation import GenerationEngine

KEY = "02"


@dataclass
class FakesRun(StageRun):
    comments: pd.DataFrame = field(default_factory=pd.DataFrame)
    fakes: pd.DataFrame = field(default_factory=pd.DataFrame)
    stats: dict[str, Any] = field(default_factory=dict)


def start(p: Params) -> FakesRun:
    return FakesRun(p, open_stage(KEY, p))


def comments(run: FakesRun) -> None:
    """The comments of `fake_splits` (the splits taking turns up to `fake_max_comments`)."""
    path = run.drive.path(drv.GPT2_GENERATE)
    run.comments = select_comments(read_csv(path, required=["comment"]), split=run.p.fake_splits,
                                   max_comments=run.p.fake_max_comments, file=str(path))
    print(len(run.comments), "comments:", counts(run.comments["split"].value_counts().to_dict()))


def generate(run: FakesRun) -> dict[str, Any]:
    """`n_candidates` fakes per comment in chunks; each chunk is pushed the moment it is written (gdrive), chunks of
    an older checkpoint or other settings are deleted here and remotely."""
    p = run.p
    with GenerationEngine(run.drive.path(drv.CHECKPOINT_DIR), p.run_name, seed=p.seed) as engine:
        run.stats = generate_fakes(engine, run.comments, run.drive.path(), chunk_size=p.fake_chunk_size,
                                   n=p.n_candidates, temperature=p.temperature, top_k=p.top_k, top_p=p.top_p,
                                   length=p.max_reply_tokens, on_write=run.drive.push_path,
                                   on_remove=run.drive.remove)
    return run.stats


def fakes(run: FakesRun) -> pd.DataFrame:
    """Every chunk read back; the first fakes."""
    chunks = run.drive.glob(drv.BERT_GAN_FAKE_GLOB)
    run.fakes = read_csvs(chunks, required=["comment", "reply", "real"])
    print(len(run.fakes), "fakes in", len(chunks), "chunk(s)")
    return run.fakes.head(10)


def fakes_quality(run: FakesRun) -> pd.DataFrame:
    """The fakes' quality beside the real test-split replies (metrics/fakes_quality.json)."""
    real_path = run.drive.path(drv.BERT_GAN_REAL)
    real = read_csv(real_path, required=["reply", "split"]) if real_path.exists() else None
    summary = quality.fakes_quality(run.fakes, real)
    write_json(summary, run.drive.path(drv.FAKES_QUALITY))
    return quality.quality_table(summary)


def push(run: FakesRun) -> None:
    """Send the chunks, their signature and the quality file to Drive (gdrive backend)."""
    push_outputs(KEY, run.p, run.drive)


STEPS = (comments, generate, fakes, fakes_quality, push)
