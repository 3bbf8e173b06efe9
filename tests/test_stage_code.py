"""Every converted stage's code (helpers/<part>/stageNN.py) checked without papermill: it imports without turning
TensorFlow's eager mode off, has `start` and documented one-argument STEPS, reads only parameters its contract row
declares (`p.bert_epoch` is a typo caught here, not an hour into a Colab run), calls helpers with arguments their
signatures accept, and its committed notebook calls nothing but start, the steps and `show`.

Stages still rendered from tools/nbspecs are skipped by name, so each stage is covered the moment it is converted.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from helpers.contract import STAGES, Stage, all_params

ROOT = Path(__file__).resolve().parents[1]


def _module(stage: Stage) -> ModuleType:
    if importlib.util.find_spec(stage.module) is None:
        pytest.skip(f"{stage.notebook} is still on the legacy nbspec path (no {stage.module})")
    return importlib.import_module(stage.module)


def _stage_sources(module: ModuleType) -> list[ModuleType]:
    """The stage module and the shared stage code it uses (sibling helpers modules named *_stage, e.g. bert_stage
    for 03 and 04): both read the stage's parameters."""
    shared = [m for m in vars(module).values() if isinstance(m, ModuleType) and m.__name__.endswith("_stage")
              and m.__name__.startswith("helpers.")]
    return [module, *shared]


def _tree(module: ModuleType) -> ast.Module:
    return ast.parse(inspect.getsource(module))


def param_reads(tree: ast.AST) -> list[tuple[str, int]]:
    """(name, line) of every `p.<name>` and `<x>.p.<name>` attribute read."""
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        base = node.value
        if (isinstance(base, ast.Name) and base.id == "p") or (isinstance(base, ast.Attribute) and base.attr == "p"):
            out.append((node.attr, node.lineno))
    return out


def _resolve(func: ast.expr, namespace: dict):
    """The helpers function or class a call's `name` or `module.attr` refers to in the module; None otherwise."""
    obj = None
    if isinstance(func, ast.Name):
        obj = namespace.get(func.id)
    elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = namespace.get(func.value.id)
        if isinstance(owner, ModuleType) and owner.__name__.startswith("helpers."):
            obj = getattr(owner, func.attr, None)
            assert obj is not None, f"{owner.__name__} has no {func.attr!r}"
    if (inspect.isfunction(obj) or inspect.isclass(obj)) and getattr(obj, "__module__", "").startswith("helpers."):
        return obj
    return None


def bad_calls(module: ModuleType) -> list[str]:
    """Each call to a helpers function or class whose arguments its signature does not accept (calls unpacking
    *args or **kwargs are left out: their arguments are unknown without running)."""
    problems = []
    namespace = vars(module)
    for node in ast.walk(_tree(module)):
        if not isinstance(node, ast.Call):
            continue
        obj = _resolve(node.func, namespace)
        if obj is None or any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None
                                                                                   for k in node.keywords):
            continue
        try:
            inspect.signature(obj).bind(*[None] * len(node.args), **{k.arg: None for k in node.keywords})
        except TypeError as e:
            problems.append(f"{module.__name__}:{node.lineno}: {ast.unparse(node.func)}(...): {e}")
    return problems


def _run_cells(stage: Stage) -> list[str]:
    """The notebook's code cells after its parameter check (the stage's own cells)."""
    nb = json.loads((ROOT / "notebooks" / f"{stage.notebook}.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    check = next(i for i, src in enumerate(code) if "notebook_params(" in src)
    return code[check + 1:]


def notebook_problems(stage: Stage, module: ModuleType) -> list[str]:
    """Calls in the notebook other than start, the module's STEPS (in order) and show; imports of anything else."""
    short = module.__name__.rsplit(".", 1)[1]
    allowed = {"start"} | {f.__name__ for f in module.STEPS}
    problems, steps = [], []
    for src in _run_cells(stage):
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = {(node.module or "", a.name) for a in node.names} if isinstance(node, ast.ImportFrom) else {
                    ("", a.name) for a in node.names}
                if not names <= {(module.__name__.rsplit(".", 1)[0], short), ("helpers.stage", "show")}:
                    problems.append(f"imports {ast.unparse(node)!r}")
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Name) and f.id == "show":
                continue
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == short \
                    and f.attr in allowed:
                steps += [f.attr] if f.attr != "start" else []
                continue
            problems.append(f"calls {ast.unparse(f)}")
    if steps != [f.__name__ for f in module.STEPS]:
        problems.append(f"step cells {steps} are not STEPS {[f.__name__ for f in module.STEPS]}")
    return problems


STAGE_LIST = list(STAGES.values())
IDS = [s.key for s in STAGE_LIST]


def test_importing_every_stage_keeps_eager_execution():
    """gpt_2_simple turns eager execution off when imported: a stage module (imported by every notebook before its
    first step) must import it only inside functions, or Keras (BERT) in the same kernel breaks. Own process, so no
    other test's imports count."""
    names = [s.module for s in STAGE_LIST if importlib.util.find_spec(s.module) is not None]
    assert names, "no stage converted yet"
    code = textwrap.dedent(f"""
        import sys, importlib
        import tensorflow as tf
        for name in {names!r}:
            importlib.import_module(name)
        assert tf.executing_eagerly(), "eager execution was turned off by importing a stage module"
        assert "gpt_2_simple.gpt_2" not in sys.modules, "a stage module imports gpt_2_simple at import time"
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]


@pytest.mark.parametrize("stage", STAGE_LIST, ids=IDS)
def test_start_and_documented_steps(stage):
    module = _module(stage)
    assert callable(getattr(module, "start", None)), f"{stage.module} has no start(p)"
    assert list(inspect.signature(module.start).parameters) == ["p"]
    steps = getattr(module, "STEPS", ())
    assert isinstance(steps, tuple) and steps, f"{stage.module}.STEPS is missing or empty"
    for step in steps:
        assert inspect.isfunction(step), step
        assert len(inspect.signature(step).parameters) == 1, f"{step.__name__} must take one parameter (run)"
        assert (step.__doc__ or "").strip(), f"{step.__name__} has no docstring (it becomes the notebook's text)"


@pytest.mark.parametrize("stage", STAGE_LIST, ids=IDS)
def test_every_parameter_read_is_declared(stage):
    declared = {p.name for p in all_params(stage)}
    unknown = [f"{m.__name__}:{line}: p.{name}" for m in _stage_sources(_module(stage))
               for name, line in param_reads(_tree(m)) if name not in declared and not name.startswith("_")
               and name != "values"]
    assert not unknown, f"stage {stage.key} reads parameters its contract row does not declare: {unknown}"


@pytest.mark.parametrize("stage", STAGE_LIST, ids=IDS)
def test_calls_bind_to_the_helpers_signatures(stage):
    problems = [p for m in _stage_sources(_module(stage)) for p in bad_calls(m)]
    assert not problems, problems


@pytest.mark.parametrize("stage", STAGE_LIST, ids=IDS)
def test_notebook_calls_only_the_stage(stage):
    problems = notebook_problems(stage, _module(stage))
    assert not problems, f"{stage.notebook}.ipynb: {problems}"


def test_the_checks_see_a_typo_and_a_wrong_keyword(tmp_path, monkeypatch):
    """The checks above can fail: a misspelt parameter and a keyword no helper takes are found."""
    (tmp_path / "broken_stage.py").write_text(textwrap.dedent("""
        from helpers.discriminators import bert_train

        def step(run):
            bert_train.train_classifier(run.clf, run.parts, 2, run.p.bert_epoch, 1, 1, seeed=1)
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    broken = importlib.import_module("broken_stage")
    assert ("bert_epoch", 5) in param_reads(_tree(broken))
    assert any("seeed" in p for p in bad_calls(broken))
