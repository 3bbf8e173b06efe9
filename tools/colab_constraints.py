"""Regenerate constraints/colab.txt from a Google Colab pip freeze.

Colab moves; when Google publishes a new freeze (googlecolab/backend-info, pip-freeze.gpu.txt), run

    .venv/bin/python tools/colab_constraints.py path/to/pip-freeze.gpu.txt --source "backend-info@abc1234 2026-08-19"

It keeps the freeze's pins of every package this project pulls in (requirements.txt, the dev extra, and the packages
they require, found through the installed metadata of the Python that runs this script), plus google-colab's own
pins. `make test-colab` installs exactly these versions, then installs the project without constraints and fails if
pip changed any of them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The kernel stack Colab's own notebook server runs on: never to be replaced, so always pinned.
KERNEL_STACK = ["ipykernel", "ipython", "jupyter_client", "jupyter_core", "tornado", "traitlets", "pyzmq", "pip"]
REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    """PEP 503 name: pip treats tf_keras, tf-keras and TF.Keras as one package."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_names(lines: list[str]) -> list[str]:
    """Package names from requirement lines, skipping comments, blank lines and options."""
    out = []
    for line in lines:
        line = line.split("#", 1)[0].strip()
        m = REQ_NAME.match(line)
        if line and not line.startswith("-") and m:
            out.append(m.group(1))
    return out


def project_roots() -> list[str]:
    """requirements.txt, the dev extra and the kernel stack."""
    reqs = requirement_names((ROOT / "requirements.txt").read_text().splitlines())
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    return reqs + requirement_names(extras) + KERNEL_STACK


def closure(roots: list[str]) -> set[str]:
    """Canonical names of roots and everything they require (unconditionally or on this platform), as installed."""
    seen: set[str] = set()
    todo = [canonical(r) for r in roots]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            spec_name, _, marker = spec.partition(";")
            if "extra ==" in marker and "fsspec" not in marker:  # extras are not installed, except pydrive2[fsspec]
                continue
            m = REQ_NAME.match(spec_name)
            if m:
                todo.append(canonical(m.group(1)))
    return seen


def freeze_pins(lines: list[str]) -> dict[str, str]:
    """canonical name -> 'name==version' for the freeze's plain pins (URL installs are skipped)."""
    pins = {}
    for line in lines:
        line = line.strip()
        if "==" in line and not line.startswith("#") and " @ " not in line:
            pins[canonical(line.split("==", 1)[0])] = line
    return pins


def render(freeze: list[str], source: str, wanted: set[str], colab_pins: list[str]) -> str:
    pins = freeze_pins(freeze)
    pinned_by_colab = {canonical(n) for n in requirement_names(colab_pins)}
    keep = sorted((pins[n] for n in (wanted | pinned_by_colab) if n in pins), key=str.lower)
    header = [
        "# Google Colab's preinstalled versions of the packages this project uses (and of Colab's kernel stack).",
        f"# Source: {source}",
        f"# Generated {dt.date.today().isoformat()} by tools/colab_constraints.py; do not edit by hand.",
        "# Used by `make test-colab`: these are installed first, then the project without constraints, which must",
        "# change none of them.",
    ]
    return "\n".join(header + keep) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("freeze", type=Path, help="Colab's pip freeze (pip-freeze.gpu.txt)")
    ap.add_argument("--source", required=True, help="where the freeze comes from (repository, commit, date)")
    ap.add_argument("--colab-pins", type=Path, help="google-colab's install_requires pins, one per line")
    ap.add_argument("--out", type=Path, default=ROOT / "constraints" / "colab.txt")
    a = ap.parse_args(argv)
    if not a.freeze.is_file():
        print(f"error: freeze file {a.freeze} does not exist", file=sys.stderr)
        return 2
    colab_pins = a.colab_pins.read_text().splitlines() if a.colab_pins else []
    text = render(a.freeze.read_text().splitlines(), a.source, closure(project_roots()), colab_pins)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_suffix(".tmp")
    tmp.write_text(text)
    tmp.replace(a.out)
    print(f"wrote {a.out} ({text.count(chr(10)) - 5} pins)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
