"""The rules a reply's text must pass, in one shape: selection's checks (select.reply_problem: blocklist, length,
links) plus, for the review panel, the text quality filters. 06's review panel and posting's re-check both take a
TextRules built by TextRules.from_params, so the blocklist, max_reply_chars and allow_links travel together and their
defaults are the stage contract's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..contract import default
from ..filters import FilterSettings
from .select import reply_problem

__all__ = ["TextRules", "quality_settings"]


@dataclass(frozen=True)
class TextRules:
    """The checks a reply text must pass before it may be approved or posted: selection's own (select.reply_problem)
    and the text quality filters (parrot, repetition, unfinished markers, too_short, mention, posted_before;
    toxicity needs its model and stays with selection). Posting re-checks reply_problem whatever the sheet says."""

    blocklist: tuple[str, ...] = tuple(default("blocklist", "06"))
    max_length: int = default("max_reply_chars", "06")
    allow_links: bool = default("allow_links", "06")
    quality: FilterSettings | None = None
    posted: tuple[str, ...] = ()  # the bot's recent replies (posted_before)

    @classmethod
    def from_params(cls, p: Any, *, quality: FilterSettings | None = None, posted: tuple[str, ...] = ()) -> TextRules:
        """From 06's parameters (blocklist, max_reply_chars, allow_links)."""
        return cls(blocklist=tuple(p.blocklist), max_length=int(p.max_reply_chars), allow_links=bool(p.allow_links),
                   quality=quality, posted=tuple(posted))

    def problem(self, text: str) -> str | None:
        """select.reply_problem under these rules: why selection (and posting) refuse this text, None if they don't."""
        return reply_problem(text, blocklist=self.blocklist, max_length=self.max_length, allow_links=self.allow_links)


def quality_settings(p: Any) -> FilterSettings:
    """06's text quality filters from its parameters (toxicity thresholds only with a toxicity model)."""
    return FilterSettings(
        parrot_threshold=p.parrot_threshold, max_repeated_trigrams=p.max_repeated_trigrams,
        max_word_run=p.max_word_run, min_words=p.min_reply_words, unfinished_min_words=p.unfinished_min_words,
        allow_mentions=p.allow_mentions, repeat_window_days=p.repeat_window_days,
        posted_before_threshold=p.posted_before_threshold,
        toxicity_thresholds=dict(p.toxicity_thresholds) if p.toxicity_model else {})
