"""The report's HTML building blocks, shared by report.py and the sections stages render themselves (07's
outcome_metrics, 08's adversarial): a small floor below all of them, so the report can import its sections directly.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import InputError
from ..words import counts


def esc(x: Any) -> str:
    return html.escape("" if x is None else str(x))


def fmt(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    return esc(x)


def img_tag(path: Path, alt: str) -> str:
    if not path.exists():
        return f'<p class="muted">{esc(path.name)} not written yet.</p>'
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{esc(alt)}" data-file="{esc(path.name)}" src="data:image/png;base64,{data}">'


def flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    """Nested metrics dicts -> {'a.b': value} rows; lists of numbers kept short."""
    out: dict[str, Any] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(flatten(v, f"{prefix}{k}." if not isinstance(v, dict) else f"{prefix}{k}."))
        return {k.rstrip("."): v for k, v in out.items()}
    if isinstance(d, list) and len(d) > 12:
        return {prefix: f"[{len(d)} values]"}
    return {prefix: d}


def kv_table(d: dict, table_id: str) -> str:
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{fmt(v)}</td></tr>" for k, v in flatten(d).items())
    return f'<table id="{esc(table_id)}" class="metrics">{rows}</table>'


def df_table(df: pd.DataFrame, table_id: str = "", max_rows: int = 50) -> str:
    head = "".join(f"<th>{esc(c)}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{fmt(v)}</td>" for v in row) + "</tr>"
                   for row in df.head(max_rows).itertuples(index=False))
    more = f'<p class="muted">{len(df) - max_rows} more rows not shown.</p>' if len(df) > max_rows else ""
    return f'<table id="{esc(table_id)}"><tr>{head}</tr>{body}</table>{more}'


def json_or_none(path: Path) -> Any:
    """The JSON file's content; None when it does not exist (its stage has not run); InputError naming it when it
    cannot be read."""
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as e:
        raise InputError(f"cannot read it ({type(e).__name__}: {first_line(e)})", file=path) from None


def json_object(path: Path | None) -> dict | None:
    """The JSON object in the file for a one-line summary; None when it is absent, unreadable (e.g. written mid-run) or
    not an object: the section that shows the file reports why."""
    try:
        m = json_or_none(Path(path)) if path is not None else None
    except InputError:
        return None
    return m if isinstance(m, dict) else None


def read_table(path: Path | None) -> pd.DataFrame | None:
    """A CSV on Drive; None when it does not exist; InputError naming it when it cannot be read."""
    if path is None or not path.exists():
        return None
    try:
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    except pd.errors.EmptyDataError:
        return pd.DataFrame()
    except (ValueError, OSError) as e:
        raise InputError(f"cannot read it ({type(e).__name__}: {first_line(e)})", file=path) from None


def first_line(e: BaseException) -> str:
    return (str(e).strip().splitlines() or [""])[0][:300]


def section(sid: str, title: str, body: str) -> str:
    return f'<section id="{esc(sid)}"><h2>{esc(title)}</h2>\n{body}\n</section>\n'


def not_run(what: str) -> str:
    return f'<p class="muted">{esc(what)} has not run on this Drive root yet.</p>'


def figures(items: list[tuple[str, object, str]], fig_id: str = "") -> str:
    """A row of named numbers: (name, value, what it means in a phrase); a value of None shows as "–"."""
    cells = "".join(f'<div class="figure"><div class="value">{"–" if v is None else fmt(v)}</div>'
                    f'<div class="name">{esc(name)}</div><div class="means">{esc(means)}</div></div>'
                    for name, v, means in items)
    ident = f' id="{esc(fig_id)}"' if fig_id else ""
    return f'<div class="figures"{ident}>{cells}</div>'


def details(summary: str, body: str) -> str:
    """Folded away: parameters and raw metrics, there for whoever needs them, out of the way of everyone else."""
    return f"<details><summary>{esc(summary)}</summary>{body}</details>" if body else ""


def metric_line(path: Path, template: str) -> str | None:
    """A card's line from fields of one JSON metrics file: {field} is the field's value (floats to 3 digits, a dict of
    counts in words, a missing field as None); None when the file is absent or unreadable."""
    m = json_object(path)
    if m is None:
        return None
    fields = {k: counts(m.get(k)) if isinstance(m.get(k), dict) else
              (f"{m.get(k):.3f}" if isinstance(m.get(k), float) else str(m.get(k)))
              for k in re.findall(r"\{(\w+)\}", template)}
    return template.format(**fields)
