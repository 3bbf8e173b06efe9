"""Stage 09's gold judges by name (gr_gold_judges): each makes the comment x comment pair matrix of one arm.

Why several of different kinds: a round that only learned to dodge one judge's view (character n-grams) fools no
one else; with several, it must beat base and placebo on every one (helpers.rounds.guards.verdict_all).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError
from .bert_judge import matrix_maker
from .fresh_judge import gold_matrix

JUDGES = ("tfidf", "bert")


def check_judges(names: Sequence[str]) -> None:
    """A ConfigError naming gr_gold_judges unless it lists one or more known judges."""
    if not names or any(n not in JUDGES for n in names):
        raise ConfigError(f"gr_gold_judges {list(names)}: name one or more of {list(JUDGES)}")


def judges(names: Sequence[str], bert_base: str, bases_dir: str | Path) -> dict:
    """The gold judges' pair-matrix makers by name (gr_gold_judges), in order; a ConfigError for an unknown one."""
    check_judges(names)
    return {n: gold_matrix if n == "tfidf" else matrix_maker(bert_base, bases_dir) for n in dict.fromkeys(names)}
