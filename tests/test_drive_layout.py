"""drive_layout.md's file table agrees with what each notebook declares it reads and writes (tools/nbspecs
READS/WRITES).

Why: the table is the contract people read; a stage missing from a row's "read by" is a file someone deletes or
replaces without knowing which notebook breaks.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPECS = sorted((ROOT / "tools" / "nbspecs").glob("[0-9][0-9]_*.py"))


def _declared(spec: Path) -> dict[str, list[str]]:
    out = {}
    for node in ast.parse(spec.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("READS", "WRITES"):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


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


@pytest.mark.parametrize("spec", SPECS, ids=[s.stem[:2] for s in SPECS])
def test_every_declared_file_has_a_row_naming_the_stage(spec):
    stage, table, problems = spec.name[:2], _table(), []
    for kind, column in (("READS", 2), ("WRITES", 1)):
        for entry in _declared(spec).get(kind, []):
            for path in _drive_paths(entry):
                rows = _rows_for(path, table)
                if not rows:
                    problems.append(f"{path}: no row in drive_layout.md")
                elif not any(re.search(rf"\b{stage}\b", row[column]) for row in rows):
                    problems.append(f"{path}: its row does not list {stage} as {'reader' if column == 2 else 'writer'}")
    assert not problems, problems
