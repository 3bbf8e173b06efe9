"""Does a GPT-2 base fit the GPU for fine-tuning, and with which settings? (Colab's free T4 has 15 GB.)

The numbers are bench/bench_t4_memory.py's (bench/results.json, "t4_memory"): peak memory of one fine-tuning step at
01's settings (batch 1, 1024-token windows, Adam, no gradient accumulation) beyond TensorFlow's own, measured on CPU
with random weights of each shape. gpt-2-simple's memory-saving gradients do not run on TensorFlow 2, so the one lever
left is training only the transformer layers (the 50257 x n_embd token embedding is frozen: no gradient, no Adam
slots for it).
"""

from __future__ import annotations

from dataclasses import dataclass

from .colab import Gpu, gpus

# GB beyond TensorFlow's baseline, per base: (all layers trained, transformer layers only). bench t4_memory, CPU.
TRAIN_GB = {"124M": (5.85, None), "355M": (None, None)}
GPU_OVERHEAD_GB = 1.0  # CUDA context, cuBLAS/cuDNN workspaces and allocator slack, on top of the model's tensors


@dataclass(frozen=True)
class Fit:
    only_train_transformer_layers: bool
    message: str


def choose(base_model: str, gpu: Gpu | None) -> Fit:
    """01's settings for ``base_model`` on ``gpu``: the defaults when they fit, else transformer layers only."""
    if gpu is None or base_model not in TRAIN_GB:
        return Fit(False, "")
    full, transformer_only = TRAIN_GB[base_model]
    if full is None or full + GPU_OVERHEAD_GB <= gpu.total_gb:
        need = "" if full is None else f" (~{full + GPU_OVERHEAD_GB:.0f} GB measured)"
        return Fit(False, f"{base_model} fits {gpu.name} ({gpu.total_gb:.0f} GB) with all layers trained{need}")
    if transformer_only is not None and transformer_only + GPU_OVERHEAD_GB <= gpu.total_gb:
        return Fit(True, f"{base_model} with all layers trained needs ~{full + GPU_OVERHEAD_GB:.0f} GB, more than "
                         f"{gpu.name}'s {gpu.total_gb:.0f} GB: training only the transformer layers (token "
                         f"embeddings frozen), ~{transformer_only + GPU_OVERHEAD_GB:.0f} GB")
    return Fit(False, f"WARNING: {base_model} needs ~{full + GPU_OVERHEAD_GB:.0f} GB to fine-tune, more than "
                      f"{gpu.name}'s {gpu.total_gb:.0f} GB, even with frozen embeddings; expect an out-of-memory "
                      "error: use base_model='124M' or a larger GPU")


def for_this_machine(base_model: str) -> Fit:
    """choose() for the first GPU nvidia-smi reports (none: the defaults)."""
    found = gpus()
    return choose(base_model, found[0] if found else None)
