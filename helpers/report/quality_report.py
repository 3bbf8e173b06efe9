"""The report's "Quality" section and the run summary's quality line, from the metrics files 02, 06 and
``python -m helpers evaluate`` write (helpers.quality), plus why 06's filters rejected candidates."""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pandas as pd

from .. import drive as drv
from ..discriminators.metrics import figure
from ..drive import latest
from ..quality import GROUPS, quality_table, summary_line
from .html_parts import details, df_table, esc, figures, json_or_none, not_run, read_table, section
from .measure import signed

# all on 0..1; distinct-n at the matched size, since the raw one flatters a small set
PLOTTED = ["distinct_1_matched", "distinct_2_matched", "repeated_trigram_rate", "parrot_rate", "prob_real"]


def plot_png(summary: dict) -> bytes | None:
    """Grouped bars of the 0..1 metrics, one bar per group (candidates, selected, real)."""
    groups = summary.get("groups", {})
    groups = {g: groups[g] for g in sorted(groups, key=lambda g: (GROUPS + [g]).index(g))}
    if not groups:
        return None
    fig, ax = figure((7, 2.8))  # pyplot-free: no global backend switch, nothing shown twice
    width = 0.8 / len(groups)
    for i, (name, m) in enumerate(groups.items()):
        vals = [m.get(k) if m.get(k) is not None else 0.0 for k in PLOTTED]
        ax.bar([x + i * width for x in range(len(PLOTTED))], vals, width, label=f"{name} (n={m.get('n', 0)})")
    ax.set_xticks([x + width * (len(groups) - 1) / 2 for x in range(len(PLOTTED))],
                  [k.replace("_matched", f" (at n={summary.get('matched_size', '?')})") for k in PLOTTED], fontsize=7)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    return buf.getvalue()


def rejections(root: Path) -> pd.DataFrame | None:
    """The newest predictions file's rejected candidates: reply and reason."""
    path = latest(root, drv.REPLY_SCORES)
    if path is None:
        return None
    df = read_table(path)  # unreadable: InputError naming the file, a warning in the report
    if df is None or "rejected" not in df.columns:
        return None
    reply = "proposed_reply" if "proposed_reply" in df.columns else "reply"
    df["rejected"] = df["rejected"].fillna("").astype(str)
    return df.loc[df["rejected"] != "", ["comment_id", reply, "rejected"]].rename(columns={reply: "candidate"})


def one_file(root: Path, rel: str | None, sid: str, title: str, what: str = "candidates", line: bool = True) -> str:
    """One quality file: its summary line in words (left out where figures above say it: line=False), its plot, its
    full table folded away."""
    m = json_or_none(Path(root, rel)) if rel else None
    if not m:
        return ""
    table = quality_table(m).reset_index()
    png = plot_png(m)
    img = (f'<img alt="{title} quality" data-file="{sid}.png" src="data:image/png;base64,'
           f'{base64.b64encode(png).decode("ascii")}">' if png else "")
    said = f"<p>{esc(summary_line(m, what))}</p>" if line else ""
    return (f"<h3>{title} <span class=\"muted\">({Path(rel).name})</span></h3>{said}" + img
            + details(f"Every metric, per group ({Path(rel).name})", df_table(table, f"{sid}-table")))


def lift_figures(root: Path) -> str:
    """What selection buys, in named numbers: the chosen replies minus all candidates (06's newest run)."""
    run = latest(root, drv.QUALITY_METRICS)
    m = json_or_none(run) if run else None
    lf = ((m or {}).get("lift") or {}).get("selected_vs_candidates")
    if not lf:
        return ""
    return figures([
        ("realism lift", signed(lf.get("prob_real")), "mean prob_real, chosen minus all candidates"),
        ("expected score lift", signed(lf.get("expected_score")), "mean predicted score, chosen minus all"),
        ("distinct-2 lift", signed(lf.get("distinct_2_matched")), "variety, at the same set size: < 0 = blander"),
        ("parrot rate lift", signed(lf.get("parrot_rate")), "share repeating their comment: < 0 = better"),
    ], "quality-figures")


def report_section(root: str | Path) -> str:
    """Quality of candidates, selected and real replies (06, evaluate) and 06's rejections (02's fakes are in 02's
    part of the report)."""
    root = Path(root)
    run = latest(root, drv.QUALITY_METRICS)
    ev = latest(root, drv.EVALUATE_QUALITY)
    body = lift_figures(root)
    body += one_file(root, run and str(run.relative_to(root)), "quality-06", "Stage 06", line=not body)
    body += one_file(root, ev and str(ev.relative_to(root)), "quality-evaluate", "Offline evaluation")
    rej = rejections(root)
    if rej is not None:
        counts = rej["rejected"].str.replace(r"^not scored: .*", "not scored", regex=True).value_counts()
        body += "<h3>Rejected candidates (06)</h3>" + df_table(
            counts.rename_axis("reason").reset_index(name="candidates"), "quality-rejections")
        body += details("The rejected candidates", df_table(rej, "quality-rejected-candidates", max_rows=30))
    return section("quality", "06 · Quality: chosen replies vs all candidates vs real ones",
                   body or not_run("Quality measurement (02, 06 or evaluate)"))


def summary_lines(root: str | Path) -> list[str]:
    """The run summary's quality line(s): the selection lift and the rejection counts."""
    run = latest(Path(root), drv.QUALITY_METRICS)
    m = json_or_none(run) if run else None
    if not m:
        return ["Quality: not measured (stage 06 has not run)"]
    rejected = ", ".join(f"{k} {v}" for k, v in (m.get("rejected") or {}).items()) or "none"
    return [f"Quality: {summary_line(m)}", f"  rejected: {rejected}"]
