"""``python -m helpers preflight``: the account and the target subreddits checked before any live work, without
running a stage (05, 06 and 07 run the same check themselves).

``--rules-from arctic_shift`` reads the rules from Arctic Shift's archive and does not touch Reddit at all: the check
a new user can run while Reddit has not approved the app yet (the account and the subreddits' state are then not
checked). The table is printed and saved as ``live/preflight_<date>.json`` on the Drive root.
"""

from __future__ import annotations

import argparse
import functools
from datetime import datetime, timezone

from .. import drive as drv
from ..contract import notebook_params
from ..errors import ConfigError
from .runner import parse_param

NAMES = ("reddit", "praw_site", "subreddits", "bot_allowed_subreddits")  # stage 05's, parsed as 05 parses them


def add_parser(sub) -> None:
    pf = sub.add_parser("preflight", help="check the bot account and each subreddit (state, bans, rules on bots) "
                                          "before live work")
    pf.add_argument("--drive", default="drive", help="the Drive root the table is saved to (default ./drive)")
    pf.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                    help="reddit, praw_site, subreddits, bot_allowed_subreddits (as in 05)")
    pf.add_argument("--rules-from", choices=("reddit", "arctic_shift"), default="reddit",
                    help="arctic_shift: the archive's copy of the rules, no Reddit access needed")


def run(args: argparse.Namespace) -> int:
    from ..data import arctic_shift_source as asrc
    from ..reddit import client as reddit_client
    from ..reddit import preflight

    given = dict(parse_param(p) for p in args.param)
    unknown = sorted(set(given) - set(NAMES))
    if unknown:
        raise ConfigError(f"preflight takes {', '.join(NAMES)}; not {', '.join(unknown)}")
    p = notebook_params("05", given)
    reddit = server = rules_for = None
    try:
        if args.rules_from == "arctic_shift":
            archive = asrc.Client()
            rules_for = functools.partial(asrc.subreddit_rules, archive)
        else:
            reddit, source, server = reddit_client.connect(p.reddit, p.praw_site)
            print("Reddit:", source)
        day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        path = drv.open_drive(args.drive, "local").path(drv.PREFLIGHT.format(date=day))
        pf = preflight.checked(reddit, p.subreddits, p.bot_allowed_subreddits, path, "cli", rules_for)
        print(pf.text())  # no notebook here to show the table
        print(f"saved: {path}")
        return 0 if pf.usable() else 1
    finally:
        if server is not None:
            server.stop()
