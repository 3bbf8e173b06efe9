"""Candidates per second: our GenerationEngine against the seed's way, on the same tiny checkpoint, in one run.

The seed, per comment: tf.reset_default_graph, a new session, gpt2.load_gpt2 (build the model, restore the checkpoint)
and gpt2.generate (build the sampling graph, run it). Ours: load once, one sampling graph, one run per comment.
Both: 20 comments x 10 candidates, temperature 0.7, top_k 40, at most 100 new tokens. ``ours_cps`` counts the engine's
one-off load too; ``ours_steady_cps`` leaves it out. The checkpoint is trained until it ends its replies with
<|endoftext|>, so the engine's early stop counts, as it does with a real fine-tuned model. Where a GPU is visible
(or BENCH_124M=1), the 124M shape with random weights is timed as well.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

N_COMMENTS, N_CANDIDATES, LENGTH = 20, 10, 100
TRAIN_STEPS = 150
WORDS = ("the a cat dog said reddit comment reply this is not funny lol yes no why because i think you are right "
         "wrong game board garden plant science fiction book read").split()
GPT2_124M = {"n_ctx": 1024, "n_embd": 768, "n_head": 12, "n_layer": 12}


def _corpus(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    say = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))  # noqa: E731
    return [f"{say(rng.randint(8, 40))} [SEP] {say(rng.randint(4, 20))}" for _ in range(n)]


def _ours(ckpt_dir: Path, comments: list[str], model_dir: Path | None = None, n: int = N_CANDIDATES,
          length: int = LENGTH) -> dict:
    from helpers.generator.generation import GenerationEngine

    t0 = time.perf_counter()
    eng = GenerationEngine(ckpt_dir, "run1", seed=1, model_dir=model_dir)
    t1 = time.perf_counter()
    df = eng.generate(comments, n=n, temperature=0.7, top_k=40, length=length)
    t2 = time.perf_counter()
    eng.close()
    total = len(comments) * n
    return {"cps": total / (t2 - t0), "steady_cps": total / (t2 - t1), "load_s": t1 - t0, "kept": len(df),
            "runs": eng.last_stats["runs"], "mean_steps": eng.last_stats["sampling_steps"] / eng.last_stats["runs"]}


def _seed_style(ckpt_dir: Path, comments: list[str], n: int = N_CANDIDATES, length: int = LENGTH) -> dict:
    import tensorflow as tf
    from gpt_2_simple import gpt_2 as gpt2

    from helpers.text import END_TOKEN, SEP, START_TOKEN

    t0 = time.perf_counter()
    kept = 0
    for comment in comments:
        tf.compat.v1.reset_default_graph()
        sess = gpt2.start_tf_sess()
        gpt2.load_gpt2(sess, run_name="run1", checkpoint_dir=str(ckpt_dir))
        out = gpt2.generate(sess, run_name="run1", checkpoint_dir=str(ckpt_dir), prefix=f"{START_TOKEN}{comment} {SEP}",
                            nsamples=n, batch_size=n, length=length, temperature=0.7, top_k=40,
                            truncate=END_TOKEN, include_prefix=False, return_as_list=True)
        kept += len(out)
        sess.close()
    return {"cps": len(comments) * n / (time.perf_counter() - t0), "kept": kept}


def _time_124m(work: Path, comments: list[str]) -> dict:
    """The 124M shape with random weights (vocab padded to 50257), for GPU timings."""
    import tensorflow as tf

    from helpers.offline.gpt2_tiny import write_tiny_model

    folder = write_tiny_model(work / "models" / "124M_shape", _corpus(200), seed=1, hparams=GPT2_124M,
                              pad_vocab_to=50257)
    r = _ours(work, comments, model_dir=folder)
    return {"device": "GPU" if tf.config.list_physical_devices("GPU") else "CPU",
            "ours_cps": round(r["cps"], 2), "ours_steady_cps": round(r["steady_cps"], 2),
            "load_s": round(r["load_s"], 2)}


def run(smoke: bool = False) -> dict:
    """smoke: 5 training steps, 2 comments x 2 candidates of at most 10 tokens."""
    steps, n_comments, n, length = (5, 2, 2, 10) if smoke else (TRAIN_STEPS, N_COMMENTS, N_CANDIDATES, LENGTH)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf

    from helpers.generator.gpt2_finetune import finetune

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        docs = {"train": _corpus(300), "validation": []}
        # Trained until it writes <|endoftext|> after a reply, as a real fine-tuned model does: the seed's generate
        # always runs `length` steps, the engine stops a batch once every row has ended.
        finetune(docs, work / "checkpoint", work / "models", steps=steps, learning_rate=2e-3, save_every=0,
                 sample_every=0, seed=1, eval_windows=1)
        comments = [d.split(" [SEP] ")[0] for d in _corpus(n_comments, seed=9)]
        ours = _ours(work / "checkpoint", comments, n=n, length=length)
        seed = _seed_style(work / "checkpoint", comments, n=n, length=length)
        out = {
            "ours_cps": round(ours["cps"], 2),
            "seed_style_cps": round(seed["cps"], 2),
            "ratio": round(ours["cps"] / seed["cps"], 2),
            "ours_steady_cps": round(ours["steady_cps"], 2),
            "ours_load_s": round(ours["load_s"], 2),
            "ours_runs": ours["runs"],  # sess.run calls: 64 rows (several comments) share one
            "ours_mean_sampling_steps_per_run": round(ours["mean_steps"], 1),  # stops once every row has ended
            "seed_style_runs": n_comments,
            "seed_style_sampling_steps_per_run": length,
            "comments": n_comments, "candidates_per_comment": n, "max_new_tokens": length,
            "model": f"tiny (2 layers, 128 wide, n_ctx 1024), fine-tuned {steps} steps",
            "device": "GPU" if tf.config.list_physical_devices("GPU") else f"CPU ({os.cpu_count()} cores)",
        }
        if not smoke and (tf.config.list_physical_devices("GPU") or os.environ.get("BENCH_124M") == "1"):
            out["gpt2_124M_shape"] = _time_124m(work, comments)
        else:
            out["gpt2_124M_shape"] = "not timed: no GPU in this run"
    return out
