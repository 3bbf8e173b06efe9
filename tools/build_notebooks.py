"""Render notebooks/NN_name.ipynb from tools/nbspecs/NN_name.py, so every notebook has the same thin shape.

Each spec module defines TITLE, ABOUT (markdown), READS and WRITES (lists of Drive paths), RUNTIME ("GPU" or "CPU"),
PARAMETERS (the source of the cell tagged `parameters`: annotated defaults, a trailing `# help` comment each) and
CELLS (a list of code-cell sources, or ("markdown", text) tuples), and optionally ALWAYS_RUN = True for a stage whose
input is live Reddit (never skipped as up to date). Run `make notebooks` after editing a spec;
tests/test_notebook_specs.py fails if a committed notebook differs from its spec.
"""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tools" / "nbspecs"
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

COMMON_PARAMETERS = '''drive_root = "drive"  # the Drive root folder; in Colab a path under MyDrive, e.g. "reddit_bot"
drive_backend = "auto"  # auto | local | colab | gdrive (headless Google Drive through pydrive2)
gdrive_folder = ""  # gdrive backend only: the remote folder, e.g. "root/reddit_bot"'''


# The notebook cell's text: the backslash continues the first line (the cell keeps it as one line).
CHECK_HEAD = """# Parameter check: each value above must have its default's type \
(a bool: true/false, yes/no, on/off or 1/0) and
# lie in the range helpers/params.py gives it; a wrong or unknown one stops the notebook here, before any work.
from helpers.params import check_notebook
"""


def check_cell(stage: str, parameters: str) -> str:
    """The cell after the parameters cell: every parameter's type, from its default, checked by helpers.params."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from helpers.params import kind_of, parameter_defaults

    types = ", ".join(f'"{name}": {kind_of(default).__name__}'
                      for name, default in parameter_defaults(parameters).items())
    body = textwrap.fill(f'globals().update(check_notebook("{stage}", {{{types}}}, globals()))', width=118,
                         subsequent_indent=" " * 4, break_long_words=False, break_on_hyphens=False)
    return CHECK_HEAD + body


def load_spec(path: Path):
    if str(SPECS) not in sys.path:  # specs may share blocks from sibling modules (e.g. _bert_parameters.py)
        sys.path.insert(0, str(SPECS))
    spec = importlib.util.spec_from_file_location(f"nbspec_{path.stem}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def header(name: str, spec) -> str:
    badge = (f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
             f"(https://colab.research.google.com/github/{REPO}/blob/{BRANCH}/notebooks/{name}.ipynb)")
    reads = "\n".join(f"- `{r}`" for r in spec.READS) or "- nothing"
    writes = "\n".join(f"- `{w}`" for w in spec.WRITES) or "- nothing"
    runtime = ("**Runtime:** pick a GPU runtime in Colab (Runtime → Change runtime type → GPU)."
               if spec.RUNTIME == "GPU" else "**Runtime:** CPU is enough.")
    return (f"# {name[:2]} · {spec.TITLE}\n\n{badge}\n\n{spec.ABOUT.strip()}\n\n{runtime}\n\n"
            f"**Reads from the Drive root:**\n{reads}\n\n**Writes to the Drive root:**\n{writes}\n\n"
            "See `drive_layout.md` for every file's columns. Run it alone with "
            f"`python -m helpers run {name[:2]} --drive DIR -p name=value`.")


def build(path: Path) -> nbformat.NotebookNode:
    spec = load_spec(path)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "colab": {"provenance": []},
        "accelerator": "GPU" if spec.RUNTIME == "GPU" else "None",
        # Read by helpers.pipeline.manifest: which Drive files this stage reads and writes (<placeholders> match
        # anything), and
        # whether it talks to Reddit (such a stage always runs: its input is the live site, not files).
        "reddit_bot": {"reads": list(spec.READS), "writes": list(spec.WRITES),
                       "always_run": bool(getattr(spec, "ALWAYS_RUN", False))},
    }
    setup = SETUP.replace("NEEDS_GPU", str(spec.RUNTIME == "GPU"))
    cells = [nbformat.v4.new_markdown_cell(header(path.stem, spec)), nbformat.v4.new_code_cell(setup)]
    params = COMMON_PARAMETERS + "\n" + spec.PARAMETERS.strip()
    cells.append(nbformat.v4.new_code_cell(params.strip(), metadata={"tags": ["parameters"]}))
    cells.append(nbformat.v4.new_code_cell(check_cell(path.stem[:2], params)))
    for c in spec.CELLS:
        if isinstance(c, tuple):
            cells.append(nbformat.v4.new_markdown_cell(c[1].strip()))
        else:
            cells.append(nbformat.v4.new_code_cell(c.strip()))
    for i, c in enumerate(cells):  # stable ids so re-rendering is byte-identical
        c["id"] = f"{path.stem[:2]}-{i:02d}"
    nb.cells = cells
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def render(path: Path) -> str:
    return nbformat.writes(build(path)) + "\n"


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for spec_path in sorted(SPECS.glob("[0-9][0-9]_*.py")):
        out = NOTEBOOKS / f"{spec_path.stem}.ipynb"
        text = render(spec_path)
        if check:
            if not out.exists() or out.read_text() != text:
                stale.append(out.name)
        else:
            out.parent.mkdir(exist_ok=True)
            out.write_text(text)
            print(f"wrote {out.relative_to(ROOT)}")
    if stale:
        print("stale notebooks (run `make notebooks`): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
