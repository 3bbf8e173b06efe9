"""Run the benchmarks (all, or those named) and merge their results into bench/results.json.

    python -m bench [NAME ...]                          # the real runs: bench/results.json
    python -m bench --smoke --results /tmp/r.json       # every benchmark at tiny sizes (tests/pipeline/test_bench.py)

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
            write_entry(results_path, name, out)  # after each benchmark, so a failure later keeps the earlier numbers
    return 0


def in_order(new, old):
    """``new`` with its keys in ``old``'s order (new keys last), nested dicts too: a refreshed entry's diff shows the
    numbers that changed, not a reshuffle."""
    if not (isinstance(new, dict) and isinstance(old, dict)):
        return new
    keys = [k for k in old if k in new] + [k for k in new if k not in old]
    return {k: in_order(new[k], old.get(k)) for k in keys}


def write_entry(path: Path, name: str, entry: dict) -> None:
    """Replace one benchmark's entry in the results file, read again just before (a benchmark run alongside keeps
    its entry); the other entries and the order of every key stay as they were."""
    from helpers.files import atomic_write

    results = json.loads(path.read_text()) if path.exists() else {}
    results[name] = in_order(entry, results.get(name))
    if list(results) != sorted(results):  # a new benchmark takes its place in the sorted top level
        results = {k: results[k] for k in sorted(results)}
    with atomic_write(path) as f:
        f.write(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
