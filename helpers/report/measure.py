"""One row of the first screen's scorecard: a measure of this run next to the seed's figure. Each stage's view says
its rows (view03, view04, view06, view07); scorecard.py lays them out."""

from __future__ import annotations

from dataclasses import dataclass

from .html_parts import fmt


@dataclass
class Measure:
    name: str
    value: str  # this run's figure, formatted ("–" when its stage has not run)
    seed: str  # the seed's figure, or why there is none
    means: str  # what it says, in a phrase
    note: str = ""  # e.g. that the figure is an earlier run's

    @property
    def stage(self) -> str:
        """The stage that measured it: the name ends with "(NN)"."""
        return self.name.rsplit("(", 1)[-1].rstrip(")")


def num(x, pct: bool = False) -> str:
    if x is None or not isinstance(x, (int, float)):
        return "–"
    return f"{x:.0%}" if pct else fmt(float(x))


def signed(x) -> str:
    return f"{x:+.3g}" if isinstance(x, (int, float)) else "–"
