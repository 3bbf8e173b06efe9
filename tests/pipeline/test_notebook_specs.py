"""Every notebook is thin, generated from the contract and its stage module, committed with outputs cleared, and
has a `parameters` cell."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_notebooks_match_their_specs():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "build_notebooks.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_shape(path):
    nb = json.loads(path.read_text())
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown"
    header = "".join(cells[0]["source"])
    assert "colab.research.google.com/github/" in header and "Reads from the Drive root" in header
    assert "google.colab" in "".join(cells[1]["source"])
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and cells.index(tagged[0]) == 2
    code = [c for c in cells if c["cell_type"] == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert len(code) <= 14, "notebooks stay thin: logic belongs in helpers/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_papermill_sees_every_parameter(path):
    """papermill skips a parameter line it cannot parse (e.g. an '=' in the help comment); -p would then not reach
    it."""
    import ast

    import papermill as pm

    nb = json.loads(path.read_text())
    source = "".join(next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))["source"])
    assigned = [t.id for node in ast.parse(source).body if isinstance(node, ast.Assign) for t in node.targets]
    inspected = pm.inspect_notebook(str(path))
    assert list(inspected) == assigned
    assert all(info["help"] for info in inspected.values()), "every parameter has a # help comment"


def _stages():
    from helpers.contract import STAGES

    return list(STAGES.values())


@pytest.mark.parametrize("stage", _stages(), ids=lambda s: s.key)
def test_notebook_metadata_is_the_contracts(stage):
    """The manifest fingerprints what the notebook's metadata lists: exactly the contract's files (a hand edit of the
    metadata, or a Reddit note among the Drive files, fails here)."""
    meta = json.loads((ROOT / "notebooks" / f"{stage.notebook}.ipynb").read_text())["metadata"]["reddit_bot"]
    assert meta == {"reads": [f.shown() for f in stage.reads], "writes": [f.shown() for f in stage.writes],
                    "always_run": stage.talks_to_reddit}
