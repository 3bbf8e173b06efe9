"""The thread-context depth (helpers/context.py) a generator was trained with, kept with its data and its checkpoint.

Why: 00's `context_depth` shapes the documents 01 trains on, 05's shapes the live prompts. A mismatch is allowed (the
user's choice, e.g. to try a depth-1 generator on deeper chains), but it changes what the model sees, so the stages
that prompt it say so. 00 records the depth in data_summary.json (absent: 0, the seed's lines); 01 copies it into the
checkpoint (`context_depth.json`, copied with the checkpoint into 09's rounds), so a later 00 at another depth cannot
hide what an existing checkpoint learned.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import drive as drv
from ..errors import InputError
from ..files import write_json

DEPTH_FILE = "context_depth.json"  # inside checkpoint/<run_name>/


def _depth_in(path: Path) -> int | None:
    if not path.exists():
        return None
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"not readable JSON ({e})", file=path) from None
    if not isinstance(value, dict):
        raise InputError("not a JSON object", file=path)
    depth = value.get("context_depth", 0)
    if not isinstance(depth, int) or depth < 0:
        raise InputError(f"context_depth is not a whole number >= 0: {depth!r}", file=path)
    return depth


def data_depth(root: str | Path) -> int | None:
    """The depth 00 wrote the training files with (data_summary.json; 0 when it records none), None before 00 ran."""
    return _depth_in(Path(root, drv.DATA_SUMMARY))


def record_depth(root: str | Path, run_name: str) -> int | None:
    """01: keep the data's depth with the checkpoint it trained (nothing when 00's summary is absent)."""
    depth = data_depth(root)
    if depth is not None:
        write_json({"context_depth": depth}, Path(root, drv.CHECKPOINT_DIR, run_name, DEPTH_FILE))
    return depth


def trained_depth(root: str | Path, run_name: str) -> tuple[int | None, str]:
    """The depth checkpoint ``run_name`` learned and where that was read: its own record, else 00's data summary
    (checkpoints trained before the record existed), else (None, "")."""
    own = _depth_in(Path(root, drv.CHECKPOINT_DIR, run_name, DEPTH_FILE))
    if own is not None:
        return own, f"{drv.CHECKPOINT_DIR}/{run_name}/{DEPTH_FILE}"
    data = data_depth(root)
    return (data, drv.DATA_SUMMARY) if data is not None else (None, "")


def depth_warning(asked: int, trained: int | None, where: str, who: str, asked_what: str = "context_depth") -> str:
    """A WARNING naming both depths when they differ ("" when they agree or the trained depth is unknown)."""
    if trained is None or int(asked) == int(trained):
        return ""
    return (f"WARNING: {who} prompts with thread context depth {int(asked)} ({asked_what}), but the generator was "
            f"trained with depth {int(trained)} ({where}); its replies may suffer. Allowed, as you chose; to match, "
            f"set context_depth = {int(trained)} here, or re-run 00 and 01 with context_depth = {int(asked)}.")
