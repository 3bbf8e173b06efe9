"""Does a GPT-2 base fit the GPU for fine-tuning, and with which settings? (Colab's free T4 has 15 GB.)

The numbers are bench/bench_t4_memory.py's (bench/results.json, "t4_memory"): peak memory of 01's fine-tuning call
(batch 1, 1024-token windows, no gradient accumulation) beyond TensorFlow's own, measured on CPU with random weights of
each shape. gpt-2-simple's memory-saving gradients do not run on TensorFlow 2 and its windows are always 1024 tokens,
so the levers left are freezing the token embeddings (transformer layers only) and plain SGD (no Adam moment slots).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..colab import Gpu, gpus

# GB beyond TensorFlow's baseline, in the order 01 tries the settings; None: not measured (not offered).
SETTINGS = [("adam", False), ("adam", True), ("sgd", False)]  # (optimizer, only_train_transformer_layers)
TRAIN_GB = {"124M": [5.85, 5.65, None], "355M": [14.19, 13.97, 12.75]}
GPU_OVERHEAD_GB = 1.0  # CUDA context, cuBLAS/cuDNN workspaces and allocator slack, on top of the model's tensors


@dataclass(frozen=True)
class Fit:
    optimizer: str = "adam"
    only_train_transformer_layers: bool = False
    message: str = ""


def _describe(optimizer: str, transformer_only: bool) -> str:
    layers = "transformer layers only (token embeddings frozen)" if transformer_only else "all layers"
    return f"{optimizer.upper() if optimizer == 'sgd' else 'Adam'}, {layers}"


def choose(base_model: str, gpu: Gpu | None) -> Fit:
    """01's settings for ``base_model`` on ``gpu``: the first measured setting that fits its free memory."""
    if gpu is None or base_model not in TRAIN_GB:
        return Fit()
    needs = [(s, gb + GPU_OVERHEAD_GB) for s, gb in zip(SETTINGS, TRAIN_GB[base_model]) if gb is not None]
    (default, default_gb), fitting = needs[0], [(s, gb) for s, gb in needs if gb <= gpu.free_gb]
    if fitting and fitting[0][0] == default:
        return Fit(message=f"{base_model} fits {gpu.name} ({gpu.free_gb:.1f} GB free) with 01's defaults "
                           f"(~{default_gb:.1f} GB measured)")
    if fitting:
        (opt, frozen), gb = fitting[0]
        note = (" Plain SGD learns more slowly per step than Adam: watch the validation loss, or use "
                "base_model='124M'." if opt == "sgd" else "")
        return Fit(opt, frozen, f"{base_model} with {_describe(*default)} needs ~{default_gb:.1f} GB, more than "
                                f"{gpu.name}'s {gpu.free_gb:.1f} GB free: training with {_describe(opt, frozen)} "
                                f"instead (~{gb:.1f} GB measured).{note}")
    return Fit(message=f"WARNING: {base_model} needs ~{min(gb for _, gb in needs):.1f} GB to fine-tune in every "
                       f"setting measured, more than {gpu.name}'s {gpu.free_gb:.1f} GB free; expect an "
                       "out-of-memory error: use base_model='124M' or a larger GPU")


def for_this_machine(base_model: str) -> Fit:
    """choose() for the first GPU nvidia-smi reports (none: the defaults)."""
    found = gpus()
    return choose(base_model, found[0] if found else None)
