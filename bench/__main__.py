"""Run the benchmarks (all, or those named) and merge their results into bench/results.json.

    python -m bench [NAME ...]                          # the real runs: bench/results.json
    python -m bench --smoke --results /tmp/r.json       # every benchmark at tiny sizes (tests/test_bench.py)

With no name or several, each benchmark runs in its own process: gpt-2-simple turns TensorFlow's eager execution off
for the whole process at import, after which the Keras (BERT) benchmarks cannot run. ``--smoke`` calls each module's
run(smoke=True): the same code at sizes that take seconds, so a benchmark that no longer runs fails `make test`; its
numbers mean nothing, so they never go to bench/results.json (without --results they are only printed).
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"


def names_all() -> list[str]:
    return sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="*", help=f"benchmarks to run (default: all: {', '.join(names_all())})")
    ap.add_argument("--smoke", action="store_true", help="tiny sizes: checks every benchmark still runs")
    ap.add_argument("--results", type=Path, default=None,
                    help="results file (default: bench/results.json; with --smoke: none, printed only)")
    args = ap.parse_args(argv)
    unknown = sorted(set(args.names) - set(names_all()))
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; there are: {', '.join(names_all())}")
    results_path = args.results or (None if args.smoke else RESULTS)
    if len(args.names) != 1:  # each in its own process (see above)
        flags = (["--smoke"] if args.smoke else []) + (["--results", str(results_path)] if results_path else [])
        failed = [n for n in args.names or names_all()
                  if subprocess.run([sys.executable, "-m", "bench", n, *flags], cwd=HERE.parent).returncode]
        if failed:
            print(f"benchmarks failed: {', '.join(failed)}", file=sys.stderr)
        return 1 if failed else 0
    for name in args.names:
        mod = importlib.import_module(f"bench.bench_{name}")
        t0 = time.time()
        print(f"== bench {name}{' (smoke)' if args.smoke else ''}", flush=True)
        out = mod.run(smoke=True) if args.smoke else mod.run()
        out.setdefault("measured_at", time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        out.setdefault("bench_wall_s", round(time.time() - t0, 2))
        print(json.dumps({name: out}, indent=2), flush=True)
        if results_path:
            from helpers.files import write_json

            # read again before each write: the other entries stay as they are (keys sorted, as write_json always
            # writes them, so a refreshed entry changes only its own lines)
            results = json.loads(results_path.read_text()) if results_path.exists() else {}
            results[name] = out
            write_json(results, results_path)  # after each benchmark, so a failure later keeps the earlier numbers
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
