"""Every stage's code, checked without running a notebook: each stage module imports, has the shape the notebook
builder expects, reads only parameters its contract row declares, and calls the helpers with arguments their
signatures accept. Why: a renamed helper or a misspelt parameter used to surface only in a slow papermill run."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.contract import STAGES, all_params

ROOT = Path(__file__).resolve().parents[2]
KEYS = list(STAGES)


def _source(key: str) -> tuple[object, ast.Module]:
    module = importlib.import_module(STAGES[key].module)
    return module, ast.parse(Path(module.__file__).read_text(encoding="utf-8"))


def _shared(key: str) -> list[tuple[object, ast.Module]]:
    """The stage module and the modules of its part that hold shared step code (`*_stage.py`, e.g. bert_stage)."""
    module, tree = _source(key)
    out = [(module, tree)]
    for path in sorted(Path(module.__file__).parent.glob("*_stage.py")):
        shared = importlib.import_module(f"{module.__package__}.{path.stem}")
        out.append((shared, ast.parse(path.read_text(encoding="utf-8"))))
    return out


@pytest.mark.slow
def test_importing_every_stage_module_keeps_eager_execution():
    """gpt-2-simple turns eager execution off process-wide when imported: stage modules import it only when they run,
    so the builder and this test can import all of them in one process."""
    code = ("import importlib, tensorflow as tf\nfrom helpers.contract import STAGES\n"
            "for s in STAGES.values():\n    importlib.import_module(s.module)\nprint(tf.executing_eagerly())")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip().splitlines()[-1] == "True"


@pytest.mark.parametrize("key", KEYS)
def test_stage_module_shape(key):
    module, _ = _source(key)
    assert (module.__doc__ or "").strip(), "the module docstring is the notebook's description"
    assert len(inspect.signature(module.start).parameters) == 1
    assert module.STEPS, "a stage has steps"
    for step in module.STEPS:
        assert callable(step) and len(inspect.signature(step).parameters) == 1, step
        assert (step.__doc__ or "").strip(), f"{step.__name__} needs a docstring (its notebook cell's text)"


def _parameter_reads(tree: ast.Module) -> set[str]:
    """Names read as `p.<name>` or `<x>.p.<name>` (a stage's parameters object)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Store):
            base = node.value
            if (isinstance(base, ast.Name) and base.id == "p") or (isinstance(base, ast.Attribute)
                                                                   and base.attr == "p"):
                out.add(node.attr)
    return out - {"values"}


@pytest.mark.parametrize("key", KEYS)
def test_stage_reads_only_its_declared_parameters(key):
    declared = {p.name for p in all_params(STAGES[key])}
    for module, tree in _shared(key):
        assert _parameter_reads(tree) <= declared, f"{module.__name__} reads {_parameter_reads(tree) - declared}"


def _imported(module, tree: ast.Module) -> dict[str, object]:
    """Names the module imported from helpers, as objects."""
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("helpers")):
            for alias in node.names:
                obj = getattr(module, alias.asname or alias.name, None)
                if obj is not None and getattr(obj, "__name__", "").startswith("helpers") or inspect.ismodule(obj):
                    names[alias.asname or alias.name] = obj
                elif callable(obj) and getattr(obj, "__module__", "").startswith("helpers"):
                    names[alias.asname or alias.name] = obj
    return names


def _callee(node: ast.Call, imported: dict[str, object]):
    func = node.func
    if isinstance(func, ast.Name):
        return imported.get(func.id)
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = imported.get(func.value.id)
        if inspect.ismodule(owner) and owner.__name__.startswith("helpers"):
            return getattr(owner, func.attr, AttributeError(f"{owner.__name__} has no {func.attr}"))
    return None


def bad_calls(module, tree: ast.Module) -> list[str]:
    """Calls to helpers whose arguments the callee's signature does not accept (or names it does not have)."""
    imported, problems = _imported(module, tree), []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = _callee(node, imported)
        if isinstance(target, AttributeError):
            problems.append(f"line {node.lineno}: {target}")
            continue
        if target is None or not callable(target):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            continue
        try:
            sig = inspect.signature(target)
        except (TypeError, ValueError):
            continue
        try:
            sig.bind(*[None] * len(node.args), **{k.arg: None for k in node.keywords})
        except TypeError as e:
            problems.append(f"line {node.lineno}: {getattr(target, '__qualname__', target)}: {e}")
    return problems


@pytest.mark.parametrize("key", KEYS)
def test_stage_calls_match_the_helpers_signatures(key):
    for module, tree in _shared(key):
        assert not bad_calls(module, tree), module.__name__


def test_a_wrong_keyword_is_caught():
    """The check above can fail: a call with a keyword the helper does not take."""
    module, tree = _source("03")
    source = Path(module.__file__).read_text(encoding="utf-8")
    broken = ast.parse(source.replace('metrics.binary_metrics(test["label"], prob_real)',
                                      'metrics.binary_metrics(test["label"], prob=prob_real)'))
    assert any("binary_metrics" in p for p in bad_calls(module, broken))
    assert "bert_epoch" in _parameter_reads(ast.parse("def f(run):\n    return run.p.bert_epoch\n"))


@pytest.mark.parametrize("key", KEYS)
def test_notebook_calls_only_its_stage_and_carries_the_contract(key):
    stage = STAGES[key]
    module, _ = _source(key)
    nb = json.loads((ROOT / "notebooks" / f"{stage.notebook}.ipynb").read_text(encoding="utf-8"))
    # the last cell shows the stage's part of the run report (helpers.report.report.stage_report)
    allowed = {"start", "show", "notebook_params", "globals", "stage_report"} | {s.__name__ for s in module.STEPS}
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert f'show(stage_report("{key}", run))' in "".join(code[-1]["source"]), "the last cell shows the report part"
    for cell in nb["cells"][3:]:  # after the header, setup and parameters cells
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                assert name in allowed, f"{stage.notebook} calls {name}: notebooks only call their stage's steps"
    meta = nb["metadata"]["reddit_bot"]
    assert meta["reads"][:len(stage.reads)] == [f.shown() for f in stage.reads]
    assert meta["writes"] == [f.shown() for f in stage.writes]
    assert meta["always_run"] == stage.talks_to_reddit
