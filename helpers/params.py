"""Notebook parameters, parsed strictly: each has the type of its default, and a range where the contract gives one.

The seed's notebooks took whatever a cell held; here `-p auto_approve=no` once meant "post everything" because the
string "no" is truthy, and a typo like `max_post_per_run` was dropped silently. The runner (`python -m helpers run`)
checks every value before any stage starts; each notebook checks again in the cell after its parameters cell, so a
plain `papermill -p auto_approve no` is parsed the same way.
"""

from __future__ import annotations

import ast
import difflib
import json
import math
from dataclasses import dataclass
from typing import Any, Iterable

from .errors import ConfigError

KINDS: dict[type, str] = {bool: "a bool (true/false, yes/no, on/off, 1/0)", int: "an integer", float: "a number",
                          str: "a string", list: 'a list, e.g. ["a", "b"]',
                          dict: 'a dict of numbers, e.g. {"toxicity": 0.5}'}
TRUE_WORDS = ("true", "yes", "on", "1")
FALSE_WORDS = ("false", "no", "off", "0")


@dataclass(frozen=True)
class Rule:
    """The allowed range of one parameter (declared beside it in helpers.contract)."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False  # low itself is not allowed
    high_open: bool = False  # high itself is not allowed
    non_empty: bool = False  # lists: at least one item
    at_most: str = ""  # the name of another parameter this one may not exceed
    folder_name: bool = False  # strings: one folder's name under a Drive folder (no path, not "." or "..")


def kind_of(default: Any) -> type:
    """The declared type of a parameter: the type of its default (bool before int: True is an int in Python)."""
    for kind in (bool, int, float, str, list, dict):
        if isinstance(default, kind):
            return kind
    raise ConfigError(f"parameter default {default!r} is not a bool, int, float, str, list or dict")


def parameter_defaults(source: str) -> dict[str, Any]:
    """{name: default} of a `parameters` cell's source (plain `name = literal  # help` lines)."""
    defaults = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            defaults[node.targets[0].id] = ast.literal_eval(node.value)
    return defaults


def _literal(text: str) -> Any:
    for parse in (json.loads, ast.literal_eval):
        try:
            return parse(text)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            continue
    return text


def _bad(name: str, kind: type, value: Any) -> ConfigError:
    return ConfigError(f"parameter {name} expects {KINDS[kind]}, not {value!r}")


def coerce(name: str, value: Any, kind: type, item_kind: type = str) -> Any:
    """`value` (as typed on a command line, or a Python value) as `kind`; ConfigError naming the parameter if not."""
    text = value.strip() if isinstance(value, str) else None
    if kind is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if text is not None and text.lower() in TRUE_WORDS + FALSE_WORDS:
            return text.lower() in TRUE_WORDS
        raise _bad(name, kind, value)
    if kind in (int, float):
        got = value
        if text is not None:
            try:
                got = int(text)  # "50_000" too, as in Python
            except ValueError:
                try:
                    got = float(text)
                except ValueError:
                    raise _bad(name, kind, value) from None
        if isinstance(got, bool) or not isinstance(got, (int, float)) or not math.isfinite(got):
            raise _bad(name, kind, value)
        if kind is int:
            if isinstance(got, float) and not got.is_integer():
                raise _bad(name, kind, value)
            return int(got)
        return float(got)
    if kind is list:
        got = _literal(text) if text is not None else value
        if isinstance(got, tuple):
            got = list(got)
        if not isinstance(got, list):
            raise _bad(name, kind, value)
        wrong = [x for x in got if not isinstance(x, item_kind) or isinstance(x, bool) and item_kind is not bool]
        if wrong:
            raise ConfigError(f"parameter {name} expects a list of {KINDS[item_kind][2:]}s; {wrong[0]!r} is not one")
        return got
    if kind is dict:  # {name: number}, e.g. per-label thresholds
        got = _literal(text) if text is not None else value
        if not isinstance(got, dict):
            raise _bad(name, kind, value)
        wrong = [k for k, v in got.items() if not isinstance(k, str) or isinstance(v, bool)
                 or not isinstance(v, (int, float)) or not math.isfinite(v)]
        if wrong:
            raise ConfigError(f"parameter {name} expects {KINDS[dict]}; the entry {wrong[0]!r} is not a name: number")
        return {k: float(v) for k, v in got.items()}
    if kind is str:
        if text is not None:
            got = _literal(text) if text[:1] in "\"'" else value
            return got if isinstance(got, str) else value
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # plain papermill: `-p run_name 7`
            return str(value)
        raise _bad(name, kind, value)
    raise ConfigError(f"parameter {name}: unsupported type {kind.__name__}")


def check_range(name: str, value: Any, rule: Rule, values: dict[str, Any]) -> str | None:
    """The problem with one value under its rule, or None."""
    if rule.non_empty and isinstance(value, list) and not value:
        return f"parameter {name} must not be empty"
    if rule.folder_name and isinstance(value, str) and (value.strip() in ("", ".", "..") or value != value.strip()
                                                        or any(c in value for c in "/\\*?[]<>:")):
        return f"parameter {name} must be one folder's name (no path, spaces around or wildcards), not {value!r}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if rule.low is not None and (value < rule.low or (rule.low_open and value == rule.low)):
        return f"parameter {name} must be {'>' if rule.low_open else '>='} {rule.low:g}, not {value!r}"
    if rule.high is not None and (value > rule.high or (rule.high_open and value == rule.high)):
        return f"parameter {name} must be {'<' if rule.high_open else '<='} {rule.high:g}, not {value!r}"
    other = values.get(rule.at_most)
    if rule.at_most and isinstance(other, (int, float)) and value > other:
        return f"parameter {name} ({value!r}) must not exceed {rule.at_most} ({other!r})"
    return None


def suggest(name: str, known: Iterable[str]) -> str:
    """The error for a name no notebook declares, with the closest known name."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown parameter {name!r}{hint}"


def check(stage: str, given: dict[str, Any], defaults: dict[str, Any], rules: dict[str, Rule],
          unknown_ok: bool = False) -> dict[str, Any]:
    """The given values of one stage's parameters, each as its default's type and in range; ConfigError listing every
    problem otherwise (an unknown name too, unless unknown_ok)."""
    problems, out = [], {}
    for name, value in given.items():
        if name not in defaults:
            if not unknown_ok:
                problems.append(suggest(name, defaults))
            continue
        default = defaults[name]
        item_kind = kind_of(default[0]) if isinstance(default, list) and default else str
        try:
            out[name] = coerce(name, value, kind_of(default), item_kind)
        except ConfigError as e:
            problems.append(str(e))
    merged = {**defaults, **out}
    for name in merged:  # defaults too: delay_min_s is checked when only delay_max_s is given
        rule = rules.get(name)
        if rule:
            problem = check_range(name, merged[name], rule, merged)
            if problem:
                problems.append(problem)
    if problems:
        where = f" (stage {stage})" if stage else ""
        raise ConfigError(problems[0] + where if len(problems) == 1
                          else f"{len(problems)} parameter problems{where}:\n  " + "\n  ".join(problems))
    return out


def injected_names(history: list[str]) -> list[str]:
    """Names papermill injected in the cell just before this one (its `# Parameters` cell), from IPython's input
    history; [] when the notebook is run by hand (Colab)."""
    if len(history) < 2 or not str(history[-2]).startswith("# Parameters"):
        return []
    try:
        return list(parameter_defaults(history[-2]))
    except (ValueError, SyntaxError):
        return []
