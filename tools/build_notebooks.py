"""Render notebooks/NN_name.ipynb from the stage contract (helpers/contract) and the stage's module
(helpers/<part>/stageNN.py), so every notebook has the same thin shape and nothing in it is written by hand.

A notebook is: a markdown header (the contract's title, runtime and Drive reads/writes around the module's docstring,
an Open-in-Colab badge), the setup cell, the cell tagged `parameters` (one `name = default  # help` line per contract
parameter), the check cell (`p = notebook_params("NN", globals())`), `run = stageNN.start(p)`, then for each function
of the module's STEPS a markdown cell (its docstring's first paragraph) and a `show(stageNN.step(run))` cell, and
last the stage's part of the run report (helpers.report.report.stage_report).
Run `make notebooks` after editing either source; tests/pipeline/test_notebook_specs.py fails if a committed notebook
differs.
The same run rewrites (with `--check`: checks) drive_layout.md's per-stage table from the contract
(tools/build_drive_layout.py).
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
REPO = "bonkerfield-reborn/reddit-gpt2-bert-bot"  # GitHub owner/name the Colab badge and the setup cell install from
BRANCH = "main"

# The setup cell. In Colab it installs the project with plain pip (requirements.txt's floors are Colab's own versions,
# so pip only adds what is missing), says what it added and how long it took, mounts Drive and checks the runtime.
SETUP = f'''# Setup. In Colab: install this project (adds what Colab lacks, replaces none of its packages),
# mount Google Drive and check the runtime. Elsewhere: nothing to do.
import sys
if "google.colab" in sys.modules:
    import importlib, subprocess, time
    from importlib import metadata
    _before = {{d.metadata["Name"]: d.version for d in metadata.distributions()}}
    _t0 = time.time()
    subprocess.run([sys.executable, "-m", "pip", "install", "-q",
                    "git+https://github.com/{REPO}.git@{BRANCH}"], check=True)
    importlib.invalidate_caches()  # the new packages import in this session: no restart
    from helpers import colab as _colab
    print(_colab.install_report(_before, time.time() - _t0))
    from google.colab import drive as _colab_drive
    _colab_drive.mount("/content/drive")
    print(_colab.runtime_report(needs_gpu=NEEDS_GPU))'''

CHECK = """# Parameter check: each value above must have its default's type \
(a bool: true/false, yes/no, on/off or 1/0) and
# lie in the range helpers/contract gives it; a wrong or unknown one stops the notebook here, before any work.
from helpers.contract import notebook_params

p = notebook_params("{key}", globals())"""


REPORT_NOTE = ("**This stage in the run report.** What `report.html` on the Drive root shows for this stage: its "
               "plots, a few named numbers, its parameters folded away (`python -m helpers report --drive DIR` "
               "rebuilds the whole report).")


def literal(value) -> str:
    """A parameter's default as the parameters cell shows it (double-quoted strings, as papermill writes them)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def parameters_cell(stage) -> str:
    """The cell tagged `parameters`, one `name = default  # help` line per contract parameter."""
    from helpers.contract import all_params

    return "\n".join(f"{p.name} = {literal(p.default)}  # {p.help}" for p in all_params(stage))


def contract_notebook(stage, module) -> nbformat.NotebookNode:
    """A notebook from the contract row and the stage's module: header, setup, parameters, check, then one cell per
    step of module.STEPS (each a call; the code lives in helpers/<part>/stageNN.py)."""
    short = module.__name__.rsplit(".", 1)[1]
    cells = [("markdown", header(stage, module.__doc__ or "")),
             SETUP.replace("NEEDS_GPU", str(stage.runtime == "GPU")),
             ("parameters", parameters_cell(stage)),
             CHECK.format(key=stage.key),
             f"from {module.__package__} import {short}\nfrom helpers.stage import show\n\nrun = {short}.start(p)"]
    for step in module.STEPS:
        doc = (step.__doc__ or "").strip().split("\n\n")[0]
        cells.append(("markdown", f"**{step.__name__.replace('_', ' ').capitalize()}.** " + " ".join(doc.split())))
        cells.append(f"show({short}.{step.__name__}(run))")
    cells.append(("markdown", REPORT_NOTE))
    cells.append(f'from helpers.report.report import stage_report\n\nshow(stage_report("{stage.key}", run))')
    return assemble(stage, cells)


def header(stage, about: str) -> str:
    badge = (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
             f"(https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/notebooks/{stage.notebook}.ipynb)")
    # reads_also (Reddit) is shown here but is not a Drive file: the metadata below leaves it out
    read = [f.shown() for f in stage.reads] + ([stage.reads_also] if stage.reads_also else [])
    reads = "\n".join(f"- `{r}`" for r in read) or "- nothing"
    writes = "\n".join(f"- `{f.shown()}`" for f in stage.writes) or "- nothing"
    runtime = ("**Runtime:** pick a GPU runtime in Colab (Runtime → Change runtime type → GPU)."
               if stage.runtime == "GPU" else "**Runtime:** CPU is enough.")
    return (f"# {stage.key} · {stage.title}\n\n{badge}\n\n{about.strip()}\n\n{runtime}\n\n"
            f"**Reads from the Drive root:**\n{reads}\n\n**Writes to the Drive root:**\n{writes}\n\n"
            "See `drive_layout.md` for every file's columns. Run it alone with "
            f"`python -m helpers run {stage.key} --drive DIR -p name=value`.")


def assemble(stage, cells: list) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"provenance": []},
        "accelerator": "GPU" if stage.runtime == "GPU" else "None",
        # Read by helpers.pipeline.manifest (copied from the contract): which Drive files this stage reads and writes
        # (<placeholders> match anything), and whether it talks to Reddit (such a stage always runs).
        "reddit_bot": {"reads": [f.shown() for f in stage.reads], "writes": [f.shown() for f in stage.writes],
                       "always_run": stage.talks_to_reddit},
    }
    made = []
    for c in cells:
        if isinstance(c, tuple) and c[0] == "markdown":
            made.append(nbformat.v4.new_markdown_cell(c[1].strip()))
        elif isinstance(c, tuple):
            made.append(nbformat.v4.new_code_cell(c[1].strip(), metadata={"tags": ["parameters"]}))
        else:
            made.append(nbformat.v4.new_code_cell(c.strip()))
    for i, c in enumerate(made):  # stable ids so re-rendering is byte-identical
        c["id"] = f"{stage.key}-{i:02d}"
    nb.cells = made
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def render_stage(stage) -> str:
    """The notebook's text, from the contract row and the stage's module."""
    return nbformat.writes(contract_notebook(stage, importlib.import_module(stage.module))) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for folder in (ROOT, ROOT / "tools"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    from helpers.contract import STAGES

    for stage in STAGES.values():
        out = NOTEBOOKS / f"{stage.notebook}.ipynb"
        text = render_stage(stage)
        if check:
            if not out.exists() or out.read_text() != text:
                stale.append(out.name)
        else:
            out.parent.mkdir(exist_ok=True)
            out.write_text(text)
            print(f"wrote {out.relative_to(ROOT)}")
    if stale:
        print("stale notebooks (run `make notebooks`): " + ", ".join(stale))
    # drive_layout.md's per-stage table comes from the same contract: written (or checked) with the notebooks.
    import build_drive_layout

    layout = build_drive_layout.main(argv)
    return 1 if stale or layout else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
