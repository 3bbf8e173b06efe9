"""The run report: one self-contained HTML file on the Drive root (images inlined, no network), the run's face.

Its first screen answers at a glance: did every stage run (the stage strip), what needs a person now, and how good the
models are next to the seed's figures (helpers.report.first_screen). Below it, one part per stage: its status bar,
its section(s) with plots and a few named numbers, its parameters folded away. Each notebook's last cell shows its
stage's part (stage_report).

Sections plug in: SECTIONS is a list of (stage key, builder), NOTICES a list of builders shown above everything. A
builder takes the Drive root and returns HTML ("" for nothing to say). The report reads only what the stages left on
Drive, so it can be rebuilt any time (`python -m helpers report --drive DIR`); a file a builder cannot read is a
warning (in the report and on stderr) instead of failing the report: it runs at the end of every `run`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from .. import drive as drv
from .. import files
from ..contract import STAGES
from ..errors import BotError, InputError
from . import live_trouble
from .first_screen import MARK, first_screen, status_line
from .html_parts import details, esc, first_line, kv_table
from .stage_status import StageStatus, manifest_params, stage_statuses
from .views import VIEWS, Builder

# What a malformed file on Drive can raise while a section reads or draws it (pandas' ParserError, UnicodeDecodeError
# and JSONDecodeError are ValueErrors; a missing column is a KeyError).
READ_ERRORS = (BotError, OSError, ValueError, KeyError, TypeError, IndexError, AttributeError)

# One entry per section, in the report's order: (the stage it belongs to, its builder), from each stage's view
# (helpers/report/views.py: a new section is one more entry there, and then also shows in that stage's notebook).
SECTIONS: list[tuple[str, Builder]] = [(v.key, fn) for v in VIEWS for fn in v.sections]

# Shown above the stage strip, most urgent first (e.g. live trouble found by 07: holds after removals, bans); each
# builder returns "" when there is nothing to say, else a block such as '<div class="notice">...</div>'.
NOTICES: list[Builder] = [live_trouble.holds_notice]

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:1em auto;max-width:1180px;color:#222;
line-height:1.35;padding:0 1em}h1{border-bottom:2px solid #ff4500;margin:.2em 0;font-size:1.6em}
h2{margin:1.4em 0 .4em;border-bottom:1px solid #ddd;font-size:1.25em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:3px 8px;
vertical-align:top;text-align:left}th{background:#f6f6f6}tr.chosen{background:#e8f6e8;font-weight:600}
.muted{color:#888}.comment{background:#f9f9f9;border-left:3px solid #ff4500;padding:.4em .8em;margin:1em 0 .3em}
img{max-width:100%;border:1px solid #eee}.badge{display:inline-block;padding:0 .5em;border-radius:3px;
background:#eee;font-size:.85em}.badge.ok{background:#c8ecc8}.badge.no{background:#f3d0d0}
#stages h2,#attention h2,#scorecard h2{margin-top:.6em}.verdict{font-weight:400;font-size:.8em;color:#555}
ol.strip{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(215px,1fr));
gap:6px}ol.strip li{border:1px solid #ddd;border-top:5px solid #bbb;border-radius:4px;padding:4px 7px;font-size:.8em;
background:#fafafa}ol.strip li.ok{border-top-color:#2e9d44}ol.strip li.failed{border-top-color:#d33;
background:#fdeeee}ol.strip li.unfinished{border-top-color:#e3a21a}ol.strip li.not-run{color:#888}
ol.strip .head{font-weight:600}ol.strip .head a{color:inherit}ol.strip .when{color:#555}
ol.strip .outcome{color:#333;margin-top:2px;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;
overflow:hidden}.mark{display:inline-block;width:1.1em}
.columns{display:grid;grid-template-columns:minmax(0,5fr) minmax(0,6fr);gap:1.2em}
.counts{display:flex;gap:6px;flex-wrap:wrap}.count{border:1px solid #ddd;border-radius:4px;padding:2px 8px;
min-width:4.5em;text-align:center}.count .value{font-size:1.8em;font-weight:700}.count .name{font-size:.8em}
.count.hot{background:#fff4e5;border-color:#e3a21a}ul.warnings{color:#8a4b00;font-size:.9em;padding-left:1.2em}
.todo{background:#fff4e5;padding:.3em .6em;font-size:.9em}#scorecard-table{font-size:.85em}
td.num{font-variant-numeric:tabular-nums}#generator-rounds-table{display:block;overflow-x:auto;max-width:100%}
td.means{color:#555}.stale{color:#b00;font-size:.85em}
.figures{display:flex;flex-wrap:wrap;gap:8px;margin:.4em 0}.figure{border:1px solid #e3e3e3;border-radius:4px;
padding:4px 10px;max-width:15em}.figure .value{font-size:1.4em;font-weight:700}.figure .name{font-weight:600;
font-size:.85em}.figure .means{font-size:.8em;color:#555}details{margin:.5em 0}summary{cursor:pointer;color:#555}
.stage-bar{margin-top:2em;padding:3px 8px;border-left:5px solid #bbb;background:#f6f6f6;font-size:.85em}
.stage-bar.ok{border-left-color:#2e9d44}.stage-bar.failed{border-left-color:#d33;background:#fdeeee}
.stage-bar.unfinished{border-left-color:#e3a21a}.stage-bar + section h2{margin-top:.3em}
#notices:empty{display:none}.notice{background:#fdeeee;border:1px solid #d33;border-radius:4px;padding:.4em .8em;
margin:.5em 0}
"""


def scoped_css(css: str, scope: str) -> str:
    """The report's style limited to one element (a notebook's output), so it restyles nothing else on the page:
    every selector prefixed with `scope`, `body` replaced by it."""
    rules = []
    for rule in css.replace("\n", "").split("}"):
        if "{" not in rule:
            continue
        selectors, decls = rule.split("{", 1)
        scoped = [scope if sel.strip() == "body" else f"{scope} {sel.strip()}" for sel in selectors.split(",")]
        rules.append(f"{','.join(scoped)}{{{decls}}}")
    return "\n".join(rules)


def render(root: Path, builders: list[Builder], warnings: list[str]) -> str:
    """The builders' HTML; one whose files cannot be read adds a warning (naming the file) instead."""
    parts = []
    for fn in builders:
        try:
            parts.append(fn(root) or "")
        except READ_ERRORS as e:
            name = getattr(fn, "__name__", "section")
            warnings.append(str(e) if isinstance(e, InputError) and e.file
                            else f"{name}: a file it reads is malformed ({type(e).__name__}: {first_line(e)})")
    return "".join(parts)


def params_html(key: str, params: dict[str, Any], when: str) -> str:
    return details(f"{key} parameters ({when})", kv_table(params, f"params-{key}")) if params else ""


def stage_part(root: Path, key: str, builders: list[Builder], warnings: list[str],
               statuses: dict[str, StageStatus]) -> str:
    """One stage's part of the report: its status bar, its sections, its last finished run's parameters."""
    if key not in STAGES:
        return render(root, builders, warnings)
    s = statuses[key]
    bar = (f'<div class="stage-bar {s.status.replace(" ", "-")}" id="stage-{esc(key)}" data-status="{esc(s.status)}">'
           f"{MARK.get(s.status, '…')} <b>{esc(key)}</b> · {esc(status_line(s))}"
           f"{' — ' + esc(s.outcome) if s.outcome else ''}</div>")
    body = render(root, builders, warnings)
    return bar + body + params_html(key, manifest_params(root, key), "its last finished run")


def warnings_section(warnings: list[str]) -> str:
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return (f'<section id="warnings"><h2>Warnings: files the report could not read</h2><ul>{items}</ul></section>'
            if warnings else "")


def build_report(root: str | Path) -> Path:
    """Write report.html on the Drive root. A file that cannot be read is a warning line in the report and on stderr,
    never an exception."""
    root = Path(root)
    warnings: list[str] = []
    notices = [render(root, [fn], warnings) for fn in NOTICES]
    statuses = stage_statuses(root)  # read once: the strip, the stage parts and the scorecard agree
    by_key = {s.key: s for s in statuses}
    keys = dict.fromkeys(key for key, _ in SECTIONS)  # a stage's builders together, wherever they were added
    parts = "".join(stage_part(root, key, [fn for k, fn in SECTIONS if k == key], warnings, by_key) for key in keys)

    def first_screen_of(r: Path) -> str:  # built after the sections, so their warnings are counted on it
        return first_screen(r, list(warnings), notices, statuses)

    head = render(root, [first_screen_of], warnings)  # a malformed file: a warning, never a failed report
    for w in warnings:
        print(f"warning: report: {w}", file=sys.stderr, flush=True)
    page = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>Reddit bot run report</title>"
            f"<style>{CSS}</style></head><body><h1>Reddit bot run report</h1>"
            f"<p class=\"muted\">Drive root: <code>{esc(root.resolve())}</code> · executed notebooks in "
            f"<code>{drv.EXECUTED_DIR}/</code></p>{head}"
            f"{warnings_section(warnings)}<h2 id=\"per-stage\">Stage by stage</h2>{parts}</body></html>")
    return files.write_text(page, root / drv.REPORT_HTML)


def stage_html(key: str, root: str | Path, params: dict[str, Any] | None = None) -> str:
    """A stage's sections as one HTML block with the report's style: what its notebook's last cell shows."""
    if key not in STAGES:
        raise KeyError(f"unknown stage {key!r}; stages are {', '.join(STAGES)}")
    warnings: list[str] = []
    body = render(Path(root), [fn for k, fn in SECTIONS if k == key], warnings)
    body += params_html(key, params or {}, "this run") if params is not None else ""
    listed = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return (f'<div class="reddit-bot-report"><style>{scoped_css(CSS, ".reddit-bot-report")}</style>{body}'
            f'{"<ul class=warnings>" + listed + "</ul>" if listed else ""}</div>')


def stage_report(key: str, run: Any):
    """The stage's part of the run report, shown in its notebook (the last cell): `run` is the stage's run (its Drive
    root and parameters) or a Drive root path."""
    from IPython.display import HTML

    drive = getattr(run, "drive", None)
    root = drive.root if drive is not None else Path(run)
    p = getattr(run, "p", None)
    params = ({k: v for k, v in sorted(p.values().items()) if k not in ("drive_root", "drive_backend",
                                                                      "gdrive_folder")} if p is not None else None)
    return HTML(stage_html(key, root, params))
