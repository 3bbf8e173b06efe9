"""The shape of the helpers package, read from the source (every import, module level or inside a function).

Why: a circle between modules or a private name imported from another module breaks silently when one side is
renamed, and inference code that imports training code drags the training stack (and its bugs) into the live stages.
"""

from __future__ import annotations

import ast
from pathlib import Path

HELPERS = Path(__file__).resolve().parents[2] / "helpers"
INFERENCE_NOT_TRAINING = {"discriminators.scoring": {"discriminators.bert_train"},
                          "generator.generation": {"generator.gpt2_finetune"}}
# The floors, lowest first: a module may import from its own floor or a lower one, never from a higher one. The ground
# (modules directly in helpers/) holds what every stage needs; each subpackage is one part of the pipeline.
FLOORS = ["", "offline", "reddit", "data", "generator", "discriminators", "live", "outcomes", "rounds", "report",
          "pipeline"]
ENTRY_POINTS = {"__main__"}  # `python -m helpers` sits above everything
GROUND_PACKAGES = {"contract"}  # the stage contract is part of the ground: a table, split into one file per part


def _module_name(path: Path) -> str:
    rel = path.relative_to(HELPERS).with_suffix("")
    return ".".join(p for p in rel.parts if p != "__init__") or "__init__"


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    """(imported helpers module, names taken from it) for every import of a helpers module in the file."""
    here = _module_name(path).split(".")
    package = here[:-1] if path.name != "__init__.py" else here
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            elif (node.module or "").startswith("helpers"):
                target = node.module.removeprefix("helpers").strip(".")
            else:
                continue
            names = [a.name for a in node.names]
            if not node.module:  # from . import drive, posting
                out += [(".".join([*base, n]).strip("."), []) for n in names]
            else:
                out.append((target, names))
        elif isinstance(node, ast.Import):
            out += [(a.name.removeprefix("helpers").strip("."), [])
                    for a in node.names if a.name.startswith("helpers.")]
    return out


def _graph() -> dict[str, dict[str, list[str]]]:
    modules = {_module_name(p): p for p in HELPERS.rglob("*.py")}
    graph: dict[str, dict[str, list[str]]] = {m: {} for m in modules}
    for mod, path in modules.items():
        for target, names in _imports(path):
            if target in modules and target != mod:
                graph[mod].setdefault(target, []).extend(names)
    return graph


def _reachable(graph: dict, start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for nxt in graph[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_no_import_circles():
    graph = _graph()
    circles = sorted(m for m in graph if m in _reachable(graph, m))
    assert not circles, f"modules that import themselves through others: {circles}"


def test_no_private_names_imported_across_modules():
    bad = [f"{mod} imports {target}.{name}" for mod, targets in _graph().items()
           for target, names in targets.items() for name in names if name.startswith("_")]
    assert not bad, bad


def test_inference_does_not_import_training_code():
    graph = _graph()
    bad = {mod: sorted(_reachable(graph, mod) & training) for mod, training in INFERENCE_NOT_TRAINING.items()
           if _reachable(graph, mod) & training}
    assert not bad, f"inference modules reach training code: {bad}"



def _floor(module: str) -> int:
    if module in ENTRY_POINTS:
        return len(FLOORS)
    top = module.split(".")[0] if "." in module else ""
    return 0 if top in GROUND_PACKAGES else FLOORS.index(top)


def test_every_subpackage_is_a_floor():
    packages = {p.parent.name for p in HELPERS.glob("*/__init__.py")}
    expected = set(FLOORS[1:]) | GROUND_PACKAGES
    assert packages == expected, f"subpackages not in FLOORS (or gone): {packages ^ expected}"


def test_nothing_imports_upward():
    bad = [f"{mod} (floor {FLOORS[_floor(mod)] or 'ground'}) imports {target} (floor {FLOORS[_floor(target)]})"
           for mod, targets in _graph().items() for target in targets if _floor(target) > _floor(mod)]
    assert not bad, bad


def test_report_imports_its_sections_directly():
    """importlib by string hides the dependency from every tool (and from this test)."""
    assert "importlib" not in (HELPERS / "report" / "report.py").read_text(encoding="utf-8")
