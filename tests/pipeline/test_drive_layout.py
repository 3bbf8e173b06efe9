"""drive_layout.md agrees with the stage contract (helpers.contract): its per-stage table is generated from it
(tools/build_drive_layout.py) and must be current, and its file table has a row naming every stage as the reader or
writer of each file the contract says it reads or writes.

Why: the table is the contract people read; a stage missing from a row's "read by" is a file someone deletes or
replaces without knowing which notebook breaks.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import contract

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("build_drive_layout", ROOT / "tools" / "build_drive_layout.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

STAGES = contract.STAGES
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


def test_the_stage_table_is_generated_from_the_contract():
    """A changed contract row (or a hand edit of the table) fails until `make notebooks` regenerates it."""
    text = (ROOT / "drive_layout.md").read_text(encoding="utf-8")
    assert _builder().render(text) == text, "drive_layout.md's stage table is stale: run `make notebooks`"
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_drive_layout.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_stage_table_shows_every_contract_file(monkeypatch):
    builder = _builder()
    table = builder.table()
    for s in contract.STAGES.values():
        row = next(line for line in table.splitlines() if line.startswith(f"| {s.key} "))
        for f in s.reads + s.writes:
            assert f"`{f.shown().partition(' (')[0]}`" in row, (s.key, f)
    changed = contract.STAGES["03"].writes + (contract.File("metrics/new_file.json"),)
    monkeypatch.setitem(contract.STAGES, "03", dataclasses.replace(contract.STAGES["03"], writes=changed))
    text = (ROOT / "drive_layout.md").read_text(encoding="utf-8")
    assert "`metrics/new_file.json`" in builder.render(text) and builder.render(text) != text
    with pytest.raises(ValueError, match="markers"):
        builder.render("no markers here")


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
                    role = "reader" if column == 2 else "writer"
                    problems.append(f"{path}: its row does not list {stage} as {role}")
    assert not problems, problems
