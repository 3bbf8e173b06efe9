"""Command line: ``python -m helpers run STAGE... --drive DIR [-p name=value ...]``, ``python -m helpers demo``,
``python -m helpers evaluate`` (offline quality evaluation: helpers/pipeline/evaluate.py) and ``python -m helpers
preflight`` (the account and subreddits checked before live work: helpers/pipeline/preflight_cli.py)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .errors import BotError, ConfigError

# What `--help` says: the module docstring is for the source's readers (markup, file names).
DESCRIPTION = ("Run the bot's notebooks in order (run, demo), rebuild the run report (report), measure reply quality "
               "offline (evaluate), check the account and subreddits before live work (preflight), or list the stages "
               "(stages).")


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="python -m helpers", description=DESCRIPTION)
    sub = ap.add_subparsers(dest="cmd", required=True)

    run = sub.add_parser("run", help="run notebooks with papermill, in order, each in its own kernel")
    run.add_argument("stages", nargs="+", help="stage numbers (00) or notebook names (00_pull_reddit_data)")
    run.add_argument("--drive", default="drive", help="the Drive root folder (default ./drive)")
    run.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                     help="a notebook parameter; passed to every stage that declares it")
    run.add_argument("--preset", default="", metavar="NAME",
                     help="a named set of parameter values (demo, smoke, online_124M, online_355M); -p values "
                          "win over it")
    run.add_argument("--force", action="store_true", help="run stages even when their manifest says up to date")
    run.add_argument("--log-output", action="store_true", help="stream the notebooks' output")

    demo = sub.add_parser("demo", help="run every stage offline: bundled sample, tiny models, dry-run posting")
    demo.add_argument("--drive", default="drive")
    demo.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE")
    demo.add_argument("--preset", default="demo", metavar="NAME", help="default: demo")
    demo.add_argument("--force", action="store_true")
    demo.add_argument("--log-output", action="store_true")

    rep = sub.add_parser("report", help="(re)write report.html on the Drive root and print the run summary")
    rep.add_argument("--drive", default="drive", help="the Drive root folder a run wrote (default ./drive)")

    sub.add_parser("evaluate", add_help=False, help="offline: generate, select and measure quality on the test split "
                   "(python -m helpers evaluate --help)")
    sub.add_parser("stages", help="list the stages: number, title, notebook")
    from .pipeline import preflight_cli

    preflight_cli.add_parser(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    from . import procgroup
    from .pipeline import runner
    from .pipeline.presets import load_preset
    from .report import report
    from .report.run_summary import summary_text

    command_line = argv is None  # the command line itself, not a test calling main()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["evaluate"]:  # its own options: helpers/pipeline/evaluate.py
        return _evaluate(argv[1:])
    args = build_parser().parse_args(argv)
    if command_line:  # SIGTERM ends the stage like Ctrl-C
        procgroup.sigterm_interrupts()
    try:
        if args.cmd == "stages":
            from .contract import STAGES

            for num, path in runner.list_stages().items():
                title = STAGES[num].title if num in STAGES else ""
                print(f"{num}  {title}  ({path.name})" if title else f"{num}  ({path.name})")
            return 0
        if args.cmd == "preflight":
            from .pipeline import preflight_cli

            return preflight_cli.run(args)
        if args.cmd == "report":
            if not Path(args.drive).is_dir():  # a typo would get a new folder and an all-"not run" report
                raise ConfigError(f"no Drive root at {args.drive}: give --drive the folder a run wrote "
                                  f"(`python -m helpers run ... --drive DIR`)")
            print(f"wrote {report.build_report(args.drive)}")
            print(summary_text(args.drive))
            return 0
        params = dict(runner.parse_param(p) for p in args.param)
        preset = load_preset(args.preset) if args.preset else {}
        if preset:
            print(f"preset {args.preset}: " + ", ".join(f"{k}={v}" for k, v in preset.items() if k not in params),
                  file=sys.stderr, flush=True)
        names = args.stages if args.cmd == "run" else list(runner.list_stages())
        outs = runner.run_stages(names, args.drive, params, force=args.force, log_output=args.log_output,
                                 preset=preset)
        for stage, status, path in outs:
            print(f"{stage} {status}: {path}")
        try:  # the stages are done: a report that cannot be written is a warning, not a failed run
            report.build_report(args.drive)
        except OSError as e:
            print(f"warning: report not written: {e}", file=sys.stderr)
        if args.cmd == "demo":
            print(summary_text(args.drive))
        else:
            print(f"report: {Path(args.drive, 'report.html')}")
        return 0
    except BotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # nbclient's abandoned execute task would report, at exit, the death of the kernel we just ended on purpose
        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print("error: interrupted; the running stage and every process it started were stopped. Run the same command "
              "again to resume (finished stages are skipped; finished work inside a stage is kept).", file=sys.stderr)
        return 130


def _evaluate(argv: list[str]) -> int:
    from .pipeline.evaluate import main as evaluate_main

    try:
        return evaluate_main(argv)
    except BotError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
