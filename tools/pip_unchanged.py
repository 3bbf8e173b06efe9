"""Fail when an install changed or removed a package that was already there (make test-colab's check).

    python tools/pip_unchanged.py before.txt after.txt [--added-out added.txt]

before/after are `pip freeze --all` outputs taken around the install. Added packages are listed (and, with
--added-out, written as pins so the caller can measure their download size); a changed version or a removed package
is an error: on Colab it would replace the runtime's own stack.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_freeze(path: Path) -> dict[str, str]:
    """canonical name -> version (or the URL of a direct/editable install)."""
    out = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-e "):
            continue  # an editable checkout: the project itself
        if " @ " in line:
            name, _, where = line.partition(" @ ")
            out[canonical(name)] = where.strip()
        elif "==" in line:
            name, _, version = line.partition("==")
            out[canonical(name)] = version.strip()
        else:
            raise SystemExit(f"error: {path}: cannot read freeze line {line!r}")
    return out


def compare(before: dict[str, str], after: dict[str, str], ignore: set[str]) -> tuple[list, list]:
    """(added [(name, version)], changed [(name, old, new or 'removed')]), the project itself left out."""
    added = [(n, v) for n, v in sorted(after.items()) if n not in before and n not in ignore]
    changed = [(n, v, after.get(n, "removed")) for n, v in sorted(before.items())
               if after.get(n) != v and n not in ignore]
    return added, changed


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    ap.add_argument("--added-out", type=Path, help="write the added packages here as name==version lines")
    ap.add_argument("--project", default="reddit-gpt2-bert-bot")
    a = ap.parse_args(argv)
    added, changed = compare(read_freeze(a.before), read_freeze(a.after), {canonical(a.project)})
    print(f"pip added {len(added)} packages: " + ", ".join(f"{n} {v}" for n, v in added))
    if a.added_out:
        a.added_out.write_text("".join(f"{n}=={v}\n" for n, v in added if "/" not in v))
    if changed:
        print(f"ERROR: the install changed {len(changed)} package(s) that were already installed:", file=sys.stderr)
        for n, old, new in changed:
            print(f"  {n}: {old} -> {new}", file=sys.stderr)
        return 1
    print(f"changed: none of the {len(read_freeze(a.before))} packages that were already installed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
