"""drive_layout.md's file table agrees with what the stage contract (helpers/contract) says each stage reads and
writes.

Why: the table is the contract people read; a stage missing from a row's "read by" is a file someone deletes or
replaces without knowing which notebook breaks.
"""

from __future__ import annotations

import fnmatch
import re
from pathlib import Path

import pytest

from helpers.contract import STAGES

ROOT = Path(__file__).resolve().parents[1]
KEYS = list(STAGES)


def _table() -> list[tuple[list[str], str, str]]:
    """(file names of a row, "written by" cell, "read by" cell) for each row of the file table."""
    rows = []
    for line in (ROOT / "drive_layout.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append((re.findall(r"`([^`]+)`", cells[0]), cells[1], cells[2]))
    return rows


def _pattern(name: str) -> str:
    return re.sub(r"<[^>]*>", "*", name).replace("NNNN", "*").replace("...", "*").rstrip("/")


def _drive_paths(entry: str) -> list[str]:
    """'raw/x.csv or raw/y.csv (note)' -> both paths; '<raw_glob> (source csv)' or 'Reddit ...' -> none."""
    entry = re.sub(r"\s*\(.*\)$", "", entry)
    return [p.strip("` ") for p in re.split(r"\s+or\s+", entry) if re.match(r"^[A-Za-z0-9_]+[/.]", p.strip("` "))]


def _rows_for(path: str, table) -> list:
    want = _pattern(path)
    return [row for row in table if any(fnmatch.fnmatch(want, _pattern(f)) or fnmatch.fnmatch(_pattern(f), want)
                                        for f in row[0])]


@pytest.mark.parametrize("stage", KEYS)
def test_every_declared_file_has_a_row_naming_the_stage(stage):
    table, problems = _table(), []
    for files, column in ((STAGES[stage].reads, 2), (STAGES[stage].writes, 1)):
        for entry in (f.shown() for f in files):
            for path in _drive_paths(entry):
                rows = _rows_for(path, table)
                if not rows:
                    problems.append(f"{path}: no row in drive_layout.md")
                elif not any(re.search(rf"\b{stage}\b", row[column]) for row in rows):
                    problems.append(f"{path}: its row does not list {stage} as {'reader' if column == 2 else 'writer'}")
    assert not problems, problems
