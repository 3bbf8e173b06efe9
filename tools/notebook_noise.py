"""Count what an executed notebook prints where a person reads it, and list the lines nobody needed there.

    python tools/notebook_noise.py DRIVE/executed/*.ipynb      # one row per notebook, then every noise line
    python tools/notebook_noise.py --check DRIVE/executed/*.ipynb  # exit 1 if any noise line is found

Counts per notebook: stderr lines and stream lines as saved (each output's text split at newlines and carriage
returns, as str.splitlines does: what a plain-text viewer shows, one line per progress-bar refresh), and the longest
cell as Jupyter renders it (a carriage return overwrites its line: what a person scrolls through).
tests/pipeline/test_notebook_noise.py reuses NOISE and noise_lines.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

# What a person did not need in a cell: TensorFlow's C++ start-up lines (absl's glog-style prefix "I0000 00:00:…
# file.cc:12]"), checkpoint-loading INFO lines, gpt-2-simple's advice for TF 1, deprecation chatter.
NOISE: dict[str, re.Pattern] = {name: re.compile(rx) for name, rx in {
    "absl pre-init": r"All log messages before absl::InitializeLog\(\)",
    "C++ log line": r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ [\w.]+:\d+\]",
    "oneDNN": r"oneDNN custom operations",
    "CUDA probe": r"cuInit|UNKNOWN ERROR \(303\)|Could not find cuda drivers|Unable to register cu(DNN|FFT|BLAS)",
    "CPU build advice": r"rebuild TensorFlow with the appropriate compiler flags|TF-TRT Warning",
    "tensorflow INFO": r"INFO:tensorflow:",
    "gpt-2-simple advice": r"use_memory_saving_gradients|recommended finetune\(\) parameters",
    "deprecation": r"is deprecated|Instructions for updating|DeprecationWarning",
}.items()}

SCREEN = 40  # lines: a cell's output longer than this does not fit a laptop screen


def outputs(nb: dict):
    """(cell index, output) for every output of every code cell."""
    for i, cell in enumerate(nb.get("cells", [])):
        for out in cell.get("outputs", []):
            yield i, out


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def saved_lines(text: str) -> list[str]:
    """The lines a plain-text viewer shows: split at \\n and \\r, blank fragments left out."""
    return [ln for ln in re.split(r"[\r\n]", text) if ln.strip()]


def rendered_lines(text: str) -> list[str]:
    """The lines Jupyter shows: a carriage return starts its line over."""
    return [ln.rsplit("\r", 1)[-1] for ln in text.split("\n") if ln.rsplit("\r", 1)[-1].strip()]


def cell_texts(nb: dict) -> dict[int, str]:
    """Each cell's text output as Jupyter joins it: streams of one name concatenated, plus displays (an HTML table as
    one line per row, else text/plain; images and widgets' own views left out)."""
    per: dict[int, list[str]] = {}
    for i, out in outputs(nb):
        if out.get("output_type") == "stream":
            per.setdefault(i, []).append(_text(out.get("text")))
        elif "text/html" in out.get("data", {}):
            per.setdefault(i, []).append("row\n" * max(1, _text(out["data"]["text/html"]).count("<tr")))
        elif "data" in out and not any(k.startswith("image/") for k in out["data"]):
            per.setdefault(i, []).append(_text(out["data"].get("text/plain")) + "\n")
        elif out.get("output_type") == "error":
            per.setdefault(i, []).append("\n".join(out.get("traceback", [])) + "\n")
    return {i: "".join(parts) for i, parts in per.items()}


def counts(nb: dict) -> dict[str, int]:
    """stderr and stream lines as saved, and the longest cell's rendered lines."""
    stderr = stream = 0
    for _, out in outputs(nb):
        if out.get("output_type") == "stream":
            n = len(_text(out.get("text")).splitlines())
            stream += n
            stderr += n if out.get("name") == "stderr" else 0
    longest = max((len(rendered_lines(t)) for t in cell_texts(nb).values()), default=0)
    return {"stderr": stderr, "stream": stream, "longest_cell": longest}


def noise_lines(nb: dict) -> list[tuple[int, str, str]]:
    """(cell index, pattern name, line) for every saved output line that matches a NOISE pattern."""
    found = []
    for i, out in outputs(nb):
        if out.get("output_type") == "stream":
            text = _text(out.get("text"))
        elif "data" in out:
            text = _text(out["data"].get("text/plain"))
        else:
            continue
        for line in saved_lines(text):
            name = next((n for n, rx in NOISE.items() if rx.search(line)), None)
            if name:
                found.append((i, name, line))
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"]
    if not paths:
        print(__doc__)
        return 2
    print(f"{'notebook':34} {'stderr':>6} {'stream':>6} {'longest cell':>12} {'noise':>5}")
    noisy = {}
    for path in paths:
        nb = json.loads(path.read_text(encoding="utf-8"))
        c, found = counts(nb), noise_lines(nb)
        print(f"{path.name:34} {c['stderr']:6} {c['stream']:6} {c['longest_cell']:12} {len(found):5}")
        if found:
            noisy[path.name] = found
    for name, found in noisy.items():
        print(f"\n{name}:")
        for (cell, kind, line), n in Counter(found).items():
            print(f"  cell {cell:2} {kind:20} x{n:<3} {line[:110]}")
    return 1 if check and noisy else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
