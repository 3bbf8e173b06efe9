"""What every stage does at its start and end, derived from the contract: open the Drive root and pull the files the
stage reads; push the files it wrote; show a step's results in the notebook.

Why here and not in each stage: the lists of files come from one table (helpers.contract), so a stage cannot forget
to pull or push one of its files on the gdrive backend (02 once never pushed its signature file).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .contract import Params, stage
from .drive import Drive, open_drive
from .quiet import quiet_kernel


@dataclass
class StageRun:
    """What every stage run holds: its checked parameters and its Drive root (each stage adds its own results)."""

    p: Params
    drive: Drive


@dataclass
class RedditRun(StageRun):
    """A run that talks to Reddit (05, 06, 07): the PRAW client and, offline, the loopback server behind it."""

    client: Any = None
    server: Any = None  # the loopback server of reddit="recorded"

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    @contextlib.contextmanager
    def stopping_on_error(self) -> Iterator[None]:
        """A step that fails stops the loopback server: a failed notebook leaves no server thread behind."""
        try:
            yield
        except BaseException:
            self.stop_server()
            raise


def globs(files, p: Params, **names: str) -> list[str]:
    """The Drive-relative globs of contract files for these parameter values (absolute paths and empty ones left
    out)."""
    out, values = [], p.values() | names
    for f in files:
        if not f.synced:
            continue
        g = f.glob(values)
        if g and not Path(g).is_absolute() and g not in out:
            out.append(g)
    return out


def open_stage(key: str, p: Params) -> Drive:
    """The stage's Drive root, with every file the contract says it reads pulled (a no-op unless gdrive)."""
    quiet_kernel()  # before any step imports TensorFlow: its start-up lines go to the kernel log, not the cells
    drive = open_drive(p.drive_root, p.drive_backend, p.gdrive_folder)
    drive.pull(*globs(stage(key).reads, p))
    return drive


def push_outputs(key: str, p: Params, drive: Drive, **names: str) -> list[str]:
    """Push every file the contract says the stage writes (a no-op unless gdrive); files already pushed as they were
    written (02's chunks, 08's rounds) are simply sent again. `names` fill placeholders (date="2026-01-02": only
    that day's dated files, never another day's sheet a person may be editing on Drive)."""
    return drive.push(*globs(stage(key).writes, p, **names))


def show(*items: Any) -> None:
    """Display a step's results in the notebook: PNG paths as images, everything else as Jupyter shows it."""
    from IPython.display import Image, display

    for item in items:
        if isinstance(item, tuple):  # a step returning several results
            show(*item)
            continue
        if item is None:
            continue
        if isinstance(item, Path) and item.suffix == ".png":
            display(Image(filename=str(item)))
        else:
            display(item)
