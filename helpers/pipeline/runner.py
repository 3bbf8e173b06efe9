"""Run the numbered notebooks with papermill, each in its own kernel, keeping the executed copies on the Drive root.

Separate kernels matter: gpt-2-simple's TF1 graph and the Keras 3 BERT models never share a process.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from .. import contract, procgroup
from .. import drive as drv
from ..errors import ConfigError, StageError
from ..params import check as check_params
from ..params import parameter_defaults, suggest
from ..quiet import BATCH_ENV
from .presets import for_stages

NOTEBOOK_RE = re.compile(r"^(\d\d)_[A-Za-z0-9_]+\.ipynb$")


def notebooks_dir() -> Path:
    """The notebooks/ folder of this checkout (override with REDDIT_BOT_NOTEBOOKS)."""
    env = os.environ.get("REDDIT_BOT_NOTEBOOKS")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "notebooks"


def list_stages(nb_dir: Path | None = None) -> dict[str, Path]:
    """{"00": Path(".../00_pull_reddit_data.ipynb"), ...} in order."""
    nb_dir = nb_dir or notebooks_dir()
    found = {}
    for p in sorted(nb_dir.glob("*.ipynb")):
        m = NOTEBOOK_RE.match(p.name)
        if m:
            found[m.group(1)] = p
    return found


def resolve_stage(name: str, stages: dict[str, Path]) -> str:
    """Accept '00', '0', '00_pull_reddit_data' or '00_pull_reddit_data.ipynb'."""
    key = name.strip()
    if key.endswith(".ipynb"):
        key = key[: -len(".ipynb")]
    if key.isdigit():
        key = f"{int(key):02d}"
    for num, path in stages.items():
        if key in (num, path.stem):
            return num
    raise ConfigError(f"unknown stage {name!r}; stages are: " + ", ".join(p.stem for p in stages.values()))


def parse_param(text: str) -> tuple[str, str]:
    """'name=value' -> (name, value text); the text is parsed by the type of the parameter's default
    (helpers.params)."""
    if "=" not in text:
        raise ConfigError(f"parameter {text!r} is not name=value")
    name, raw = text.split("=", 1)
    name = name.strip()
    if not name.isidentifier():
        raise ConfigError(f"parameter name {name!r} is not an identifier")
    return name, raw


def notebook_defaults(notebook: Path) -> dict[str, Any]:
    """{name: default} of the notebook's cell tagged `parameters`."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            try:
                return parameter_defaults(source)
            except (ValueError, SyntaxError) as e:
                raise ConfigError(f"{notebook}: the parameters cell is not plain `name = literal` lines "
                                  f"({e})") from None
    return {}


def declared_parameters(notebook: Path) -> set[str]:
    return set(notebook_defaults(notebook))


def stage_params(notebook: Path, drive_root: Path, given: dict[str, Any] | None) -> dict[str, Any]:
    """The given parameters this notebook declares, plus drive_root, each parsed as its default's type and checked
    against the ranges helpers.contract gives them; ConfigError naming the parameter otherwise."""
    defaults = notebook_defaults(notebook)
    values = {"drive_root": str(Path(drive_root).resolve()), **(given or {})}
    key = Path(notebook).name[:2]
    stage = contract.STAGES.get(key)
    rules = contract.rules(stage) if stage else {}
    return check_params(key, {k: v for k, v in values.items() if k in defaults}, defaults, rules)


def check_all(names: list[str], stages: dict[str, Path], drive_root: Path,
              given: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Every stage's checked parameters, before any stage runs; a name no stage declares is an error."""
    declared = {key: declared_parameters(path) for key, path in stages.items()}
    known = set().union(*(declared[k] for k in names)) | {"drive_root"}
    problems = []
    for name in (given or {}):
        if name in known:
            continue
        elsewhere = [k for k, names_of in declared.items() if name in names_of]
        problems.append(f"parameter {name!r} belongs to stage(s) {', '.join(elsewhere)}, not to "
                        + ", ".join(stages[k].stem for k in names) if elsewhere else suggest(name, known))
    if problems:
        raise ConfigError("; ".join(problems))
    return {key: stage_params(stages[key], drive_root, given) for key in names}


def run_stage(
    stage: str,
    drive_root: Path,
    params: dict[str, Any] | None = None,
    stages: dict[str, Path] | None = None,
    log_output: bool = False,
) -> Path:
    """Execute one notebook into <drive>/executed/ and record its manifest; returns the executed copy.

    A failure raises StageError naming the stage, the executed notebook holding the error, and the command to resume.
    """
    import papermill as pm

    from . import manifest

    stages = stages or list_stages()
    src = stages[stage]
    drive_root = Path(drive_root).resolve()  # papermill changes this process's cwd while the notebook runs
    out = Path(drive_root, drv.EXECUTED_DIR, src.name)
    out.parent.mkdir(parents=True, exist_ok=True)
    passed = stage_params(src, drive_root, params)
    kernel_log = out.with_suffix(".kernel.log")
    t0 = time.time()
    before = procgroup.child_pids()
    try:
        pm.execute_notebook(
            str(src),
            str(out),
            parameters=passed,
            kernel_name="python3",
            cwd=os.getcwd(),  # the user's folder: relative paths in -p values and a praw.ini there are found
            progress_bar=False,
            log_output=log_output,
            kernel_manager_class=logged_kernel_manager(None if log_output else kernel_log),
        )
    except pm.PapermillExecutionError as e:
        resume = f"python -m helpers run {stage} --drive {drive_root}"
        raise StageError(
            f"stage {src.stem} failed: {e.ename}: {_first_line(e.evalue)}\n"
            f"  executed notebook with the error: {out}\n"
            f"  kernel log (warnings, crashes): {kernel_log}\n"
            f"  resume with: {resume}  (finished stages are skipped; finished work inside a stage is kept)"
        ) from None
    finally:  # interrupted, failed or done: nothing this stage started keeps running
        procgroup.end_new_groups(before)
    manifest.record(src, Path(drive_root), stage, passed, time.time() - t0)
    return out


def logged_kernel_manager(log_path: Path | None):
    """A kernel manager whose kernel knows it runs in a batch (helpers.quiet.batch: text progress bars, nothing waits
    for a click) and, given a log_path, writes its own stderr to that log beside the executed notebook.

    TensorFlow prints C++ start-up lines (oneDNN, "could not find cuda drivers") that no setting silences; in a demo's
    console they read like errors. The notebook's own outputs and tracebacks are unaffected: they travel over ZMQ.
    jupyter_client 8 starts the kernel through ``_async_launch_kernel``; 7.4 (Colab's) through ``_launch_kernel``,
    which AsyncKernelManager binds to the base class's coroutine: both names point at the override here.
    """
    from jupyter_client import AsyncKernelManager

    class LoggedKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw = procgroup.kernel_launch_kwargs(kw)  # the kernel dies with the runner, even on SIGKILL
            # PYTEST_CURRENT_TEST left out: ipykernel does not copy fd 2 into the cells under pytest, and the tests
            # check the cells as a person sees them after any other run
            env = {k: v for k, v in (kw.get("env") or os.environ).items() if k != "PYTEST_CURRENT_TEST"}
            kw["env"] = {**env, BATCH_ENV: "1"}
            if log_path is None:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            log_path.parent.mkdir(parents=True, exist_ok=True)
            with open(log_path, "wb") as log:  # one log per run, like the executed notebook
                kw["stderr"] = log  # the child keeps its own copy of the descriptor
                return await super()._async_launch_kernel(kernel_cmd, **kw)

        _launch_kernel = _async_launch_kernel

    return LoggedKernelManager


def _first_line(text: str) -> str:
    lines = [ln for ln in str(text).splitlines() if ln.strip()]
    return lines[0][:500] if lines else ""


def preset_params(preset: dict[str, Any], names: Iterable[str], stages: dict[str, Path]) -> dict[str, Any]:
    """A preset's values for the stages being run (helpers.pipeline.presets.for_stages: names from the contract)."""
    return for_stages(preset, names)


def run_stages(
    names: Iterable[str],
    drive_root: str | os.PathLike,
    params: dict[str, Any] | None = None,
    force: bool = False,
    log_output: bool = False,
    preset: dict[str, Any] | None = None,
) -> list[tuple[str, str, Path]]:
    """Run stages in order; skip one whose manifest says it is up to date unless force. Returns (stage, status, path).
    ``params`` win over ``preset`` (helpers.pipeline.presets.load_preset)."""
    from ..report.outcome_lines import outcome_line
    from . import manifest

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # kernels inherit it: keep TF's C++ chatter out of the logs
    stages = list_stages()
    keys = sorted(dict.fromkeys(resolve_stage(n, stages) for n in names))
    root = Path(drive_root)
    params = {**preset_params(preset or {}, keys, stages), **(params or {})}
    checked = check_all(keys, stages, root, params)  # every parameter of every stage, before anything runs
    root.mkdir(parents=True, exist_ok=True)
    done = []
    for key in keys:
        src = stages[key]
        why = "forced" if force else manifest.why_stale(src, root, key, checked[key])
        if not why:
            print(f"== stage {src.stem}: up to date, skipped (--force to redo)", file=sys.stderr, flush=True)
            done.append((key, "skipped", Path(root, drv.EXECUTED_DIR, src.name)))
            continue
        print(f"== stage {src.stem}: running ({why})", file=sys.stderr, flush=True)
        t0 = time.time()
        out = run_stage(key, root, params, stages, log_output=log_output)
        print(f"== stage {src.stem}: done in {time.time() - t0:.1f} s", file=sys.stderr, flush=True)
        if line := outcome_line(key, root):
            print(f"== stage {src.stem}: {line}", file=sys.stderr, flush=True)
        done.append((key, "ran", out))
    return done
