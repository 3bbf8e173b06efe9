"""A remote Google Drive in memory (fsspec's memory filesystem, as pydrive2's is an fsspec one) for stage tests on the
gdrive backend: every "runtime" of a test opens the same remote, so a fresh runtime sees what an earlier one pushed."""

from __future__ import annotations

from functools import partial

import fsspec

from helpers import drive as drv
from helpers import stage
from helpers.contract import Params, all_params
from helpers.contract import stage as contract_stage


def memory_remote(monkeypatch, folder: str):
    """The in-memory remote, emptied at `folder`; helpers.stage opens it for every stage of the test."""
    fs = fsspec.filesystem("memory")
    if fs.exists(folder):
        fs.rm(folder, recursive=True)
    monkeypatch.setattr(stage, "open_drive", partial(drv.open_drive, fs=fs))
    return fs


def gdrive_params(key: str, root, folder: str, **values) -> Params:
    """Stage `key`'s contract defaults on the gdrive backend at `folder`, with `values` on top."""
    given = {"drive_root": str(root), "drive_backend": "gdrive", "gdrive_folder": folder} | values
    return Params(**({p.name: p.default for p in all_params(contract_stage(key))} | given))
