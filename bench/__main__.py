"""Run the benchmarks (all, or those named) and merge their results into bench/results.json."""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for name in names:
        mod = importlib.import_module(f"bench.bench_{name}")
        t0 = time.time()
        print(f"== bench {name}", flush=True)
        out = mod.run()
        out.setdefault("measured_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        out.setdefault("bench_wall_s", round(time.time() - t0, 2))
        results[name] = out
        print(json.dumps({name: out}, indent=2), flush=True)
        from helpers.drive import write_json

        write_json(results, RESULTS)  # after each benchmark, so a failure later keeps the earlier numbers
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
