"""Every benchmark in bench/ still runs: `python -m bench --smoke` runs each one at tiny sizes, in its own process, into
a temporary results file. Why: `make bench` once failed for weeks (a helper it imported had moved) and no test saw it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHES = sorted(p.stem[len("bench_"):] for p in (ROOT / "bench").glob("bench_*.py"))


@pytest.mark.slow
def test_every_benchmark_runs_at_smoke_sizes(tmp_path):
    committed = (ROOT / "bench" / "results.json").read_bytes()
    out = tmp_path / "results.json"
    r = subprocess.run([sys.executable, "-m", "bench", "--smoke", "--results", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    results = json.loads(out.read_text())
    assert sorted(results) == BENCHES
    for name, entry in results.items():
        assert entry["bench_wall_s"] > 0, name
    assert (ROOT / "bench" / "results.json").read_bytes() == committed, "a smoke run wrote bench/results.json"


def test_an_unknown_benchmark_is_named():
    r = subprocess.run([sys.executable, "-m", "bench", "--smoke", "nosuch"], cwd=ROOT, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 2 and "unknown benchmark(s) nosuch" in r.stderr


def test_a_refreshed_entry_keeps_the_order_of_every_key(tmp_path):
    sys.path.insert(0, str(ROOT))
    from bench.__main__ import write_entry

    path = tmp_path / "results.json"
    path.write_text(json.dumps({"data": {"z": 1, "a": {"y": 1, "b": 2}}, "t4": {"355M": 1, "124M": 2}}, indent=2))
    write_entry(path, "data", {"a": {"b": 3, "y": 4, "new": 5}, "z": 6})
    write_entry(path, "rounds", {"k": 1})
    text = path.read_text()
    assert json.loads(text) == {"data": {"z": 6, "a": {"y": 4, "b": 3, "new": 5}}, "rounds": {"k": 1},
                                "t4": {"355M": 1, "124M": 2}}
    assert text.index('"z"') < text.index('"a"') < text.index('"y"') < text.index('"b"') < text.index('"new"')
    assert text.index('"data"') < text.index('"rounds"') < text.index('"t4"') and text.index('"355M"') < text.index(
        '"124M"')
