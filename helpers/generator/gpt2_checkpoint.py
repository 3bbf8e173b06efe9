"""gpt-2-simple's checkpoint folders, made trustworthy before anything reads them (01 trains, 02/05/08 generate).

gpt-2-simple writes its step counter and TF's checkpoint index non-atomically and with absolute paths;
``repair_checkpoint`` makes both agree with the files actually on disk, so a moved Drive folder or a half-written
counter never sends a run back to the base weights. Generation imports this module, never the training code.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path

from ..errors import InputError, StageError
from ..files import atomic_dir, write_text

_CKPT_NAME = re.compile(r"^model-(\d+)\.index$")


def repair_checkpoint(run_dir: Path) -> int | None:
    """Point checkpoint/<run> at its newest COMPLETE save (relative path) and make `counter` agree; returns its step."""
    run_dir = Path(run_dir)
    steps = sorted(int(m.group(1)) for p in run_dir.glob("model-*.index") if (m := _CKPT_NAME.match(p.name))
                   and (run_dir / f"model-{m.group(1)}.data-00000-of-00001").exists())
    if not steps:
        with contextlib.suppress(FileNotFoundError):
            (run_dir / "counter").unlink()  # a counter without weights would skip steps on resume
        with contextlib.suppress(FileNotFoundError):
            (run_dir / "checkpoint").unlink()
        return None
    step = steps[-1]
    state = f'model_checkpoint_path: "model-{step}"\nall_model_checkpoint_paths: "model-{step}"\n'
    if _read(run_dir / "checkpoint") != state:
        write_text(state, run_dir / "checkpoint")
    if _read(run_dir / "counter").strip() != str(step):
        write_text(f"{step}\n", run_dir / "counter")
    return step


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except (FileNotFoundError, UnicodeDecodeError):
        return ""


def checkpoint_prefix(folder: Path) -> str:
    """The newest checkpoint prefix in a run or base folder (after repair for run folders)."""
    import tensorflow as tf

    folder = Path(folder)
    if list(folder.glob("model-*.index")):  # a run folder written by gpt-2-simple
        repair_checkpoint(folder)
    ckpt = tf.train.latest_checkpoint(str(folder))
    if ckpt is None:
        raise InputError("no checkpoint here; run 01_finetune_gpt2 first", file=folder)
    return ckpt


def start_from(checkpoint_dir: Path, base: str, new: str) -> Path:
    """checkpoint/<new> as a copy of checkpoint/<base>, published whole (09's round checkpoint before training it
    further); an existing one (a resumed round) is kept."""
    src, dst = Path(checkpoint_dir, base), Path(checkpoint_dir, new)
    if (dst / "hparams.json").exists():
        return dst
    if not (src / "hparams.json").exists():
        raise StageError(f"no checkpoint {src} to start round {new} from")
    with atomic_dir(dst) as tmp:
        for f in src.iterdir():
            if f.is_file() and f.name != "loss_history.json" and not f.name.startswith("events.out.tfevents"):
                shutil.copy2(f, tmp / f.name)
    return dst
