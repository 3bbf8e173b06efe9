"""Will it fit a free Colab T4 (15 GB)? Peak memory of one gpt-2-simple fine-tuning step and of one generation batch.

Models shaped like GPT-2 124M and 355M (vocabulary padded to 50257) are built locally with random weights (nothing is
downloaded). Each measurement runs in its own process and reports that process's peak RSS, and its RSS once TensorFlow
is imported (the runtime's own share): peak minus that is what the model needs, which on a GPU sits in GPU memory.
Fine-tuning goes through helpers.generator.gpt2_finetune.finetune with notebook 01's settings (batch 1, 1024-token
windows,
Adam, no gradient accumulation, all layers trained; then the settings 01 falls back to: transformer layers only, SGD)
for BENCH_T4_STEPS steps (default 1); the peak covers the whole call (loss evaluation, steps, saving); generation
through helpers.generator.generation.GenerationEngine at the notebooks' batch (64 rows: several comments' 10
candidates) for
100 tokens. BENCH_T4_SHAPES picks shapes (default "124M,355M"). On a GPU, TensorFlow's own peak GPU memory is
recorded too.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {"124M": {"n_ctx": 1024, "n_embd": 768, "n_head": 12, "n_layer": 12},
          "355M": {"n_ctx": 1024, "n_embd": 1024, "n_head": 16, "n_layer": 24},
          "smoke": {"n_ctx": 1024, "n_embd": 32, "n_head": 2, "n_layer": 1}}  # run(smoke=True): checks the code only
WORDS = ("the a cat dog said reddit comment reply this is not funny lol yes no why because i think you are right "
         "wrong game board garden plant science fiction book read").split()
GEN_COMMENTS, GEN_CANDIDATES, GEN_LENGTH, PROMPT_WORDS = 6, 10, 100, 80  # 60 rows: one run of the 64-row batch


def _corpus(n: int, words: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)) + " [SEP] " + " ".join(rng.choices(WORDS, k=12))
            for _ in range(n)]


def _rss_gb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 1e9


def _peak_gb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9  # Linux: KiB


def _gpu_peak_gb() -> float | None:
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        return None
    return tf.config.experimental.get_memory_info("GPU:0")["peak"] / 1e9


def child(kind: str, work: str, shape: str) -> dict:
    """One measurement, in this process: 'train' (fine-tuning steps) or 'generate' (one batch)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf  # noqa: F401  (its own memory is the baseline)

    work_dir = Path(work)
    base_rss = _rss_gb()
    t0 = time.perf_counter()
    if kind == "train":
        from helpers.generator.gpt2_finetune import finetune

        steps = int(os.environ.get("BENCH_T4_STEPS", "1"))
        transformer_only = os.environ.get("BENCH_T4_TRANSFORMER_ONLY") == "1"
        optimizer = os.environ.get("BENCH_T4_OPTIMIZER", "adam")
        docs = {"train": _corpus(400, 60), "validation": []}
        finetune(docs, work_dir / "checkpoint", work_dir / "models", model_name=shape,
                 run_name=f"bench_{shape}_{'transformer_only' if transformer_only else 'all_layers'}_{optimizer}",
                 steps=steps, learning_rate=1e-4, batch_size=1, save_every=0, sample_every=0, seed=1,
                 eval_windows=1, only_train_transformer_layers=transformer_only, optimizer=optimizer)
        extra = {"steps": steps, "only_train_transformer_layers": transformer_only, "optimizer": optimizer}
    else:
        from helpers.generator.generation import GenerationEngine

        eng = GenerationEngine(work_dir / "models", shape, seed=1, model_dir=work_dir / "models" / shape)
        comments = [c.split(" [SEP] ")[0] for c in _corpus(GEN_COMMENTS, PROMPT_WORDS, seed=5)]
        df = eng.generate(comments, n=GEN_CANDIDATES, temperature=0.7, top_k=40, length=GEN_LENGTH)
        extra = {"rows": GEN_COMMENTS * GEN_CANDIDATES, "new_tokens": GEN_LENGTH, "kept": len(df),
                 "prompt_tokens": len(eng.enc.encode(comments[0])), "runs": eng.last_stats.get("runs")}
        eng.close()
    return {"peak_rss_gb": round(_peak_gb(), 2), "tf_baseline_rss_gb": round(base_rss, 2),
            "model_gb": round(_peak_gb() - base_rss, 2), "gpu_peak_gb": _gpu_peak_gb(),
            "seconds": round(time.perf_counter() - t0, 1), **extra}


def _in_child(kind: str, work: Path, shape: str, transformer_only: bool = False, optimizer: str = "adam") -> dict:
    code = ("import json, sys; from bench.bench_t4_memory import child; "
            f"print('RESULT ' + json.dumps(child({kind!r}, {str(work)!r}, {shape!r})))")
    env = {**os.environ, "BENCH_T4_TRANSFORMER_ONLY": "1" if transformer_only else "0", "BENCH_T4_OPTIMIZER": optimizer}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       cwd=Path(__file__).resolve().parent.parent, timeout=3 * 3600)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("RESULT ")]
    if r.returncode != 0 or not lines:
        return {"error": f"exit {r.returncode}: {(r.stderr or r.stdout)[-500:]}"}
    return json.loads(lines[-1][len("RESULT "):])


def run(smoke: bool = False) -> dict:
    """smoke: a 1-layer, 32-wide model, one fine-tuning call and one generation batch."""
    from helpers.colab import gpus
    from helpers.offline.gpt2_tiny import write_tiny_model

    found = gpus()
    shapes = ["smoke"] if smoke else [s.strip() for s in os.environ.get("BENCH_T4_SHAPES", "124M,355M").split(",")
                                      if s.strip()]
    out: dict = {"settings": "batch 1, 1024-token windows, Adam lr 1e-4, accumulate_gradients 1, all layers (01's)",
                 "generation": f"{GEN_COMMENTS} comments x {GEN_CANDIDATES} candidates in one batch, "
                               f"{GEN_LENGTH} new tokens, ~{PROMPT_WORDS}-word prompts",
                 "device": found[0].name if found else "CPU", "cpu_cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for shape in shapes:
            folder = work / "models" / shape
            write_tiny_model(folder, _corpus(200, 40), seed=1, hparams=SHAPES[shape], pad_vocab_to=50257)
            out[shape] = {"train_step": _in_child("train", work, shape)}
            if not smoke:
                out[shape].update(train_step_transformer_only=_in_child("train", work, shape, transformer_only=True),
                                  train_step_sgd=_in_child("train", work, shape, optimizer="sgd"))
            out[shape]["generate"] = _in_child("generate", work, shape)
            failed = [k for k, v in out[shape].items() if "error" in v]
            if smoke and failed:
                raise RuntimeError(f"{shape}: {', '.join(failed)} failed: {out[shape][failed[0]]['error']}")
            print(shape, json.dumps(out[shape]), flush=True)
    return out
