"""The shapes of the stage contract: a parameter, a Drive file a stage reads or writes, a stage.

Why a table: what a stage reads and writes, and its parameters with their defaults, used to be written by hand in
four places that drifted (notebook header, manifest globs, Drive pull/push, drive_layout.md). Now they are declared
once here and everything else is derived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..params import Rule


def to_glob(entry: str, values: dict[str, Any] | None = None) -> str:
    """A glob of the files a contract entry names ('checkpoint/<run_name>/ (to resume)' -> 'checkpoint/run1/**'): a
    `<param>` takes the parameter's value when it has one, every other placeholder (<date>, {date}, NNNN) matches
    anything, a folder matches everything below it; '' when it names nothing (an empty `<dump_glob>`)."""
    values = values or {}

    def fill(m: re.Match) -> str:
        value = values.get(m.group(1))
        return str(value) if isinstance(value, (str, int)) and str(value) else "*"

    path = entry.strip().split()[0].strip("`")
    path = re.sub(r"<([^>]*)>", fill, path)
    path = re.sub(r"\{(\w*)[^}]*\}", fill, path).replace("NNNN", "*")  # {date} takes values["date"] too
    if path.strip("*/") == "":
        return ""
    return path.rstrip("/") + "/**" if path.endswith("/") else path


@dataclass(frozen=True)
class Param:
    """One notebook parameter: its type is its default's type; `rule` bounds its value."""

    name: str
    default: Any
    help: str
    rule: Rule | None = None


def P(name: str, default: Any, help: str, **rule: Any) -> Param:  # noqa: N802 (reads like a table row)
    """A table row: P("max_posts_per_run", 5, "at most this many replies per run", low=0)."""
    return Param(name, default, help, Rule(**rule) if rule else None)


@dataclass(frozen=True)
class File:
    """A Drive path (a helpers.drive name; `<param>` takes a parameter's value, {date}/{:04d} match any) and a note."""

    path: str
    note: str = ""
    # False: the stage's own code moves it under the posting lock (the ledger, the outcome history, the lease); the
    # generic pull/push of helpers.stage leaves it alone, so a late push can never overwrite another run's newer copy.
    synced: bool = True

    def shown(self) -> str:
        """As a person reads it: live/proposed_replies_<date>.csv, bert_gan_fake_NNNN.csv."""
        path = self.path.replace("{date}", "<date>").replace("{:04d}", "NNNN").replace("{:02d}", "<NN>")
        return path + (f" ({self.note})" if self.note else "")

    def glob(self, values: dict[str, Any]) -> str:
        return to_glob(self.path, values)


@dataclass(frozen=True)
class Stage:
    """One notebook: what it does, where it runs, what it reads and writes on Drive, and its parameters."""

    key: str  # "03"
    name: str  # "train_realism_bert": the notebook is notebooks/03_train_realism_bert.ipynb
    part: str  # the helpers subpackage holding its code: helpers/<part>/stage03.py
    title: str
    runtime: str  # "GPU" or "CPU"
    reads: tuple[File, ...]
    writes: tuple[File, ...]
    params: tuple[Param, ...]
    talks_to_reddit: bool = False  # such a stage always runs: its input is the live site, not files
    reads_also: str = ""  # what it reads that is not a Drive file (Reddit): shown, never fingerprinted

    @property
    def notebook(self) -> str:
        return f"{self.key}_{self.name}"

    @property
    def module(self) -> str:
        return f"helpers.{self.part}.stage{self.key}"

    def param(self, name: str) -> Param:
        return next(p for p in self.params if p.name == name)
