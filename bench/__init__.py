"""Benchmarks: each bench/bench_<key>.py has run() -> dict; `make bench` writes bench/results.json, one key each."""
