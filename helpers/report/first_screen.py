"""The report's first screen, which answers at a glance: did every stage run (the stage strip), what needs a person now
(replies to review, approved, posted, warnings), and how good the models are next to the seed's figures."""

from __future__ import annotations

from pathlib import Path

from .. import drive as drv
from .attention import ReviewCounts, review_counts
from .html_parts import esc
from .scorecard import scorecard_html
from .stage_status import FAILED, NOT_RUN, OK, UNFINISHED, StageStatus, duration, stage_statuses

MARK = {OK: "✓", FAILED: "✗", NOT_RUN: "–"}


def status_line(s: StageStatus) -> str:
    """'ok · 2026-12-04 18:45 UTC · 42 s': the status and, when known, when it ended and how long it took."""
    return " · ".join(x for x in (s.status, s.when, duration(s.seconds)) if x)


def strip_html(statuses: list[StageStatus]) -> str:
    """One card per stage, coloured by status, with its outcome line; a summary sentence above."""
    counts = {k: sum(s.status == k for s in statuses) for k in (FAILED, UNFINISHED, OK, NOT_RUN)}
    counts = {k: n for k, n in counts.items() if n}
    verdict = ("every stage ran" if counts.get(OK) == len(statuses)
               else ", ".join(f"{n} {k}" for k, n in counts.items()))
    cards = "".join(
        f'<li class="stage {s.status.replace(" ", "-")}" data-stage="{esc(s.key)}" data-status="{esc(s.status)}">'
        f'<div class="head"><span class="mark">{MARK.get(s.status, "…")}</span> <a href="#stage-{esc(s.key)}">'
        f'{esc(s.key)}</a> {esc(s.title)}</div><div class="when">{esc(status_line(s))}</div>'
        f'<div class="outcome" title="{esc(s.outcome)}">{esc(s.outcome)}</div></li>' for s in statuses)
    return (f'<section id="stages"><h2>Did every stage run? <span class="verdict">{esc(verdict)}</span></h2>'
            f'<ol class="strip">{cards}</ol></section>')


def attention_html(c: ReviewCounts, warnings: list[str]) -> str:
    """The review counts as big numbers, then every warning, then how to review."""
    def big(cid: str, n: int, name: str, hot: bool = False) -> str:
        return (f'<div class="count{" hot" if hot and n else ""}" id="{cid}"><div class="value">{n}</div>'
                f'<div class="name">{esc(name)}</div></div>')

    all_warnings = c.warnings + warnings
    counts = (big("count-awaiting", c.awaiting, "awaiting review", hot=True)
              + big("count-approved", c.approved, "approved, to post")
              + big("count-posted", c.posted, "posted")
              + (big("count-rejected", c.rejected, "rejected by you") if c.rejected else "")
              + big("count-warnings", len(all_warnings), "warnings", hot=True))
    where = (f'<p>Review sheet: <code>{esc(c.sheet)}</code> (<a href="#candidates">{c.rows} '
             f'repl{"y" if c.rows == 1 else "ies"}</a>); '
             f'{c.posted_total} posted in all runs (<code>{drv.POSTING_LEDGER}</code>).</p>' if c.sheet
             else '<p class="muted">No review sheet yet: stage 06 has not run on this Drive root.</p>')
    todo = ('<p class="todo">To review: in notebook 06, approve replies in its review step or list their comment ids '
            f'in <code>approve_ids</code>; or set <code>approved</code> to <code>yes</code> in <code>{esc(c.sheet)}'
            '</code>. Posting is a separate, explicit run of 06.</p>' if c.awaiting else "")
    items = "".join(f"<li>{esc(w)}</li>" for w in all_warnings)
    listed = f'<ul class="warnings">{items}</ul>' if items else ""
    return (f'<section id="attention"><h2>Needs you now</h2><div class="counts">{counts}</div>{where}{todo}'
            f"{listed}</section>")


def first_screen(root: str | Path, warnings: list[str], notices: list[str],
                 statuses: list[StageStatus] | None = None) -> str:
    """Notices (each a ready HTML block, e.g. live trouble from 07), the stage strip, then what needs a person and the
    models next to the seed, side by side."""
    root = Path(root)
    statuses = statuses if statuses is not None else stage_statuses(root)
    failed = [f"stage {s.key} failed: {s.outcome}" for s in statuses if s.status == FAILED]
    top = "".join(n for n in notices if n)
    return (f'<div id="notices">{top}</div>' + strip_html(statuses)
            + '<div class="columns">' + attention_html(review_counts(root), failed + warnings)
            + '<section id="scorecard"><h2>Models next to the seed</h2>' + scorecard_html(root, statuses)
            + "</section></div>")
