"""Run the benchmarks (all, or those named) and merge their results into bench/results.json.

With no name, each benchmark runs in its own process: gpt-2-simple turns TensorFlow's eager execution off for the whole
process at import, after which the Keras (BERT) benchmarks cannot run.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def main(argv: list[str]) -> int:
    if not argv:
        names = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
        failed = [n for n in names if subprocess.run([sys.executable, "-m", "bench", n], cwd=HERE.parent).returncode]
        if failed:
            print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0
    names = argv
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
        from helpers.files import write_json

        write_json(results, RESULTS)  # after each benchmark, so a failure later keeps the earlier numbers
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
