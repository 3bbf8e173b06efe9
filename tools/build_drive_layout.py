"""Write drive_layout.md's per-stage "reads / writes" table from the stage contract (helpers.contract), between marker
comments; the rest of the page (the file table's notes, every file's columns) stays hand-written.

Why generated: what each stage reads and writes is declared once, in the contract; a table typed by hand drifted from
it (08 was missing as the reader of five files). `make notebooks` rewrites the table; `--check` (run by
tests/pipeline/test_drive_layout.py and `build_notebooks.py --check`) fails on any difference.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "drive_layout.md"
BEGIN = "<!-- stage files: generated from helpers/contract by tools/build_drive_layout.py; do not edit -->"
END = "<!-- end of stage files -->"


def cell(entries: list[str]) -> str:
    """One table cell: each entry's path in backticks, its note after it, one per line."""
    out = []
    for entry in entries:
        path, _, note = entry.partition(" (")
        out.append(f"`{path}`" + (f" ({note}" if note else ""))
    return "<br>".join(out) or "nothing"


def table() -> str:
    """The per-stage table: notebook, runtime, what it reads and writes on the Drive root (File.shown())."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers.contract import STAGES

    lines = ["| stage | runtime | reads | writes |", "| --- | --- | --- | --- |"]
    for s in STAGES.values():
        reads = [f.shown() for f in s.reads]
        also = f"<br>{s.reads_also}" if s.reads_also else ""
        lines.append(f"| {s.key} `{s.notebook}` | {s.runtime} | {cell(reads)}{also} | "
                     f"{cell([f.shown() for f in s.writes])} |")
    return "\n".join(lines)


def render(text: str) -> str:
    """The page with the generated table between the markers; ValueError when the markers are missing."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{LAYOUT.name}: the markers {BEGIN!r} and {END!r} are missing")
    return text[:start] + BEGIN + "\n" + table() + "\n" + text[end:]


def main(argv: list[str]) -> int:
    text = LAYOUT.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{LAYOUT.name}'s stage table differs from helpers/contract (run `make notebooks`)")
            return 1
        return 0
    LAYOUT.write_text(new, encoding="utf-8")
    print(f"wrote {LAYOUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
