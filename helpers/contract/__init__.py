"""The stage contract: one table (STAGES) declaring, for every notebook, its runtime, the Drive files it reads and
writes, whether it talks to Reddit, and its parameters (name, default, help, range).

Everything else is derived from it: each notebook's header and parameters cell (tools/build_notebooks.py), the
runner's parameter checks and the manifests' fingerprints (helpers.pipeline), each stage's Drive pull and push
(helpers.stage), drive_layout.md's file table, and the defaults of helper functions that a notebook parameter sets
(``default("gpt2_learning_rate")``). A stage's code is ``helpers/<part>/stageNN.py``.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ..errors import ConfigError
from ..params import Rule, check, injected_names, suggest
from .data import STAGE_00
from .discriminators import STAGE_03, STAGE_04
from .generator import STAGE_01, STAGE_02
from .live import STAGE_05, STAGE_06
from .outcomes import STAGE_07
from .rounds import STAGE_08, STAGE_09
from .spec import File, P, Param, Stage

# Every stage has these: where the Drive root is and how to reach it.
DRIVE_PARAMS = (
    P("drive_root", "drive", 'the Drive root folder; in Colab a path under MyDrive, e.g. "reddit_bot"'),
    P("drive_backend", "auto", "auto | local | colab | gdrive (headless Google Drive through pydrive2)"),
    P("gdrive_folder", "", 'gdrive backend only: the remote folder, e.g. "root/reddit_bot"'),
)

STAGES: dict[str, Stage] = {s.key: s for s in (STAGE_00, STAGE_01, STAGE_02, STAGE_03, STAGE_04, STAGE_05, STAGE_06,
                                               STAGE_07, STAGE_08, STAGE_09)}

__all__ = ["DRIVE_PARAMS", "STAGES", "File", "P", "Param", "Params", "Stage", "all_params", "check_stage", "default",
           "notebook_params", "rules", "stage"]


def stage(key: str) -> Stage:
    """A stage by number ("3", "03") or notebook name ("03_train_realism_bert"); ConfigError listing them if unknown."""
    key = f"{int(key):02d}" if key.isdigit() else key
    for s in STAGES.values():
        if key in (s.key, s.notebook):
            return s
    raise ConfigError(f"unknown stage {key!r}; stages are: " + ", ".join(s.notebook for s in STAGES.values()))


def all_params(s: Stage) -> tuple[Param, ...]:
    """The stage's parameters, the Drive ones first (the order of its notebook's parameters cell)."""
    return DRIVE_PARAMS + s.params


def default(name: str, key: str = "") -> Any:
    """The default of a parameter, for a helper function's own default: the same value the notebooks use. Without a
    stage, every stage declaring it must agree (else name the stage)."""
    found = {s.key: s.param(name).default for s in STAGES.values() if (not key or s.key == key)
             and any(p.name == name for p in s.params)}
    values = {repr(v) for v in found.values()}
    if not found:
        raise ConfigError(f"no stage{' ' + key if key else ''} declares parameter {name!r}")
    if len(values) > 1:
        raise ConfigError(f"stages {', '.join(found)} give {name!r} different defaults: name the stage")
    return next(iter(found.values()))


def rules(s: Stage) -> dict[str, Rule]:
    """The ranges of the stage's parameters that have one."""
    return {p.name: p.rule for p in all_params(s) if p.rule}


def check_stage(key: str, given: dict[str, Any], unknown_ok: bool = False) -> dict[str, Any]:
    """The given values of one stage's parameters, typed and range-checked; ConfigError naming each problem."""
    s = stage(key)
    return check(s.key, given, {p.name: p.default for p in all_params(s)}, rules(s), unknown_ok=unknown_ok)


class Params(SimpleNamespace):
    """A stage's parameter values as attributes (``p.max_posts_per_run``), each already typed and range-checked."""

    def values(self) -> dict[str, Any]:
        return dict(vars(self))


def notebook_params(key: str, namespace: dict[str, Any]) -> Params:
    """The check cell after a notebook's parameters cell: every value parsed and range-checked (`-p auto_approve no`
    from papermill becomes False, a typo like `-p max_post_per_run 1` is an error naming the closest name)."""
    s = stage(key)
    names = [p.name for p in all_params(s)]
    unknown = [n for n in injected_names(list(namespace.get("_ih", []))) if n not in names]
    if unknown:
        raise ConfigError(suggest(unknown[0], names) + f" (stage {s.key})")
    given = {n: namespace[n] for n in names if n in namespace}
    values = {p.name: p.default for p in all_params(s)} | check_stage(s.key, given)
    return Params(**values)
