"""06's posting settings as one typed object: what post_replies may do (dry run, approval, caps, pacing, footer,
text rules), every default the stage contract's, built from 06's parameters by PostSettings.from_params. The
runtime hooks (sleep, heartbeat, confirm, the blocked subreddits) stay post_replies' own arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..contract import default
from .text_rules import TextRules

__all__ = ["PostSettings"]


@dataclass(frozen=True)
class PostSettings:
    """How 06 posts. ``footer`` is the disclosure appended to every reply; ``text_rules`` is what a person's text
    must pass again right before posting; ``seed`` fixes the random pauses (None: a fresh draw)."""

    dry_run: bool = default("dry_run", "06")
    auto_approve: bool = default("auto_approve", "06")
    max_posts_per_run: int = default("max_posts_per_run", "06")
    max_posts_per_subreddit_per_day: int = default("max_posts_per_subreddit_per_day", "06")
    delay_min_s: float = default("delay_min_s", "06")
    delay_max_s: float = default("delay_max_s", "06")
    footer: str = default("disclosure_footer", "06")
    seed: int | None = default("seed", "06")
    max_rate_limit_wait_s: float = default("max_rate_limit_wait_s", "06")
    max_turns_per_thread: int = default("max_bot_turns_per_thread", "06")
    text_rules: TextRules = field(default_factory=TextRules)

    @classmethod
    def from_params(cls, p: Any, *, dry_run: bool | None = None) -> PostSettings:
        """From 06's parameters; ``dry_run`` overrides p.dry_run (06 also posts dry when Reddit is offline)."""
        return cls(dry_run=bool(p.dry_run if dry_run is None else dry_run), auto_approve=bool(p.auto_approve),
                   max_posts_per_run=int(p.max_posts_per_run),
                   max_posts_per_subreddit_per_day=int(p.max_posts_per_subreddit_per_day),
                   delay_min_s=p.delay_min_s, delay_max_s=p.delay_max_s, footer=str(p.disclosure_footer),
                   seed=p.seed, max_rate_limit_wait_s=p.max_rate_limit_wait_s,
                   max_turns_per_thread=int(p.max_bot_turns_per_thread), text_rules=TextRules.from_params(p))
