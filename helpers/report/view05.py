"""Stage 05 in the report: its section (live comments and candidate replies) and its card's line; its preflight
table is live_trouble's."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from ..drive import FETCH_SUMMARY, latest
from ..words import counts
from .html_parts import details, figures, json_object, json_or_none, kv_table, not_run, read_table
from .html_parts import section as html_section


def section(root: Path) -> str:
    """05: the live comments fetched and the candidate replies GPT-2 wrote for them."""
    path = latest(Path(root), FETCH_SUMMARY)
    s = json_or_none(path) if path else None
    title = "05 · Live comments and candidate replies"
    if not s:
        return html_section("generate", title, not_run("Stage 05"))
    dropped = s.get("dropped") or {}
    proposals = read_table(latest(Path(root), drv.PROPOSED_REPLIES))
    body = figures([
        ("posts seen", s.get("posts_seen"), "rising posts read in the configured subreddits"),
        ("comments kept", s.get("comments_kept"), "worth a reply: recent, scored, not the bot's own"),
        ("dropped", sum(v for v in dropped.values() if isinstance(v, (int, float))), "comments passed over"),
        ("candidates", s.get("candidates", None if proposals is None else len(proposals)),
         "GPT-2 replies written, for 06 to score and choose from"),
    ], "generate-figures")
    body += details(f"Raw summary ({path.name})", kv_table(s, "generate-summary"))
    return html_section("generate", title, body)


def outcome(root: Path) -> str | None:
    s = json_object(latest(root, FETCH_SUMMARY))
    if s is None:
        return None
    return (f"{s.get('posts_seen')} posts seen, {s.get('comments_kept')} comments kept, dropped "
            f"{counts(s.get('dropped'))}; {s.get('candidates', '?')} candidate replies")
