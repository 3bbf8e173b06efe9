"""Stage manifests: what a stage ran with, so `run` can skip a stage whose inputs and parameters have not changed.

manifests/NN.json records the notebook's hash, the effective parameters (defaults overridden by -p values), and a
fingerprint (size + sha1) of every Drive file the stage reads and writes, as declared in the notebook's metadata
(copied there from helpers/contract). A stage is up to date when all of these match now, so deleting or editing an
output, changing an input, a parameter or the notebook all make it run again.
"""

from __future__ import annotations

import ast
import glob
import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import drive as drv
from .. import files
from ..contract.spec import to_glob
from ..errors import BotError
from ..generator.lineage import AUTO, resolve_generator

# Above this, size + mtime stand in for the content hash (checkpoints of the 355M model are 1.4 GB).
BIG_FILE = 64 * 2**20


def stage_io(notebook: Path) -> dict:
    meta = json.loads(Path(notebook).read_text(encoding="utf-8")).get("metadata", {}).get("reddit_bot", {})
    return {"reads": meta.get("reads", []), "writes": meta.get("writes", []),
            "always_run": meta.get("always_run", False)}


def fingerprint_files(root: Path, entries: list[str], params: dict[str, Any] | None = None) -> dict[str, str]:
    """{path: size:sha1} of the files the entries match: relative to the Drive root, or absolute (e.g. raw_glob)."""
    out: dict[str, str] = {}
    alternatives = [alt for entry in entries for alt in re.split(r"\s+or\s+", entry.strip())]  # "a.csv or b.csv"
    for entry in alternatives:
        pattern = to_glob(entry, params)
        if not pattern:
            continue
        if Path(pattern).is_absolute():
            matches = [Path(p) for p in glob.glob(pattern, recursive=True)]
        else:
            matches = list(Path(root).glob(pattern))
        # a folder's files too: before Python 3.13 a pattern ending in ** matches folders only
        files = {f for p in matches for f in ([p, *p.rglob("*")] if p.is_dir() else [p])}
        for p in sorted(files):
            if p.is_file() and not p.name.startswith("."):
                key = p.relative_to(root).as_posix() if not Path(pattern).is_absolute() else str(p)
                out[key] = file_fingerprint(p)
    return out


def file_fingerprint(path: Path) -> str:
    st = path.stat()
    if st.st_size > BIG_FILE:
        return f"{st.st_size}:{st.st_mtime_ns}"
    h = hashlib.sha1()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(2**20), b""):
            h.update(block)
    return f"{st.st_size}:{h.hexdigest()}"


def effective_params(notebook: Path, passed: dict[str, Any]) -> dict[str, Any]:
    """The notebook's defaults with the passed values on top; drive_root is left out (moving a Drive keeps its runs)."""
    import papermill as pm

    params = {}
    for name, info in pm.inspect_notebook(str(notebook)).items():
        try:
            params[name] = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError):
            params[name] = info["default"]
    params.update(passed)
    params.pop("drive_root", None)
    return json.loads(json.dumps(params, default=str))


def notebook_hash(notebook: Path) -> str:
    return hashlib.sha1(Path(notebook).read_bytes()).hexdigest()


def input_fingerprints(root: Path, reads: list[str], eff: dict[str, Any]) -> dict[str, str]:
    """The reads' fingerprints. A stage sampling from `generator = "auto"` (05, 08) depends on the checkpoint that
    resolves to, not on the rounds table: a rejected round added by 09 leaves it up to date, a newly accepted one
    (another checkpoint) makes it stale."""
    if eff.get("generator") != AUTO or "run_name" not in eff:
        return fingerprint_files(root, reads, eff)
    try:
        chosen = resolve_generator(root, str(eff["run_name"]), AUTO).run_name
    except BotError:  # a broken table: fingerprint it as it is, the stage itself names the problem
        return fingerprint_files(root, reads, eff)
    kept = [e for e in reads if to_glob(e) != drv.GENERATOR_ROUNDS]
    return {**fingerprint_files(root, kept, {**eff, "generator": chosen}), "generator (auto)": chosen}


def build(notebook: Path, root: Path, params: dict[str, Any]) -> dict:
    io = stage_io(notebook)
    eff = effective_params(notebook, params)
    return {
        "notebook": Path(notebook).name,
        "notebook_sha1": notebook_hash(notebook),
        "params": eff,
        "inputs": input_fingerprints(root, io["reads"], eff),
        "outputs": fingerprint_files(root, io["writes"], eff),
    }


def manifest_path(root: Path, stage: str) -> Path:
    return Path(root, drv.MANIFEST_DIR, f"{stage}.json")


def why_stale(notebook: Path, root: Path, stage: str, params: dict[str, Any]) -> str:
    """'' when the stage is up to date, else the reason it must run."""
    io = stage_io(notebook)
    if io["always_run"]:
        return "talks to Reddit: always runs"
    path = manifest_path(root, stage)
    if not path.exists():
        return "never ran on this Drive root"
    old = json.loads(path.read_text(encoding="utf-8"))
    eff = effective_params(notebook, params)
    if old.get("notebook_sha1") != notebook_hash(notebook):
        return "the notebook changed"
    if old.get("params") != eff:
        return "parameters changed"
    if old.get("inputs") != input_fingerprints(root, io["reads"], eff):
        return "inputs changed"
    if not old.get("outputs") or old.get("outputs") != fingerprint_files(root, io["writes"], eff):
        return "outputs missing or changed"
    return ""


def record(notebook: Path, root: Path, stage: str, params: dict[str, Any], wall_s: float) -> Path:
    m = build(notebook, root, params)
    m["wall_s"] = round(wall_s, 2)
    m["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")  # the report's "when"
    return files.write_json(m, manifest_path(root, stage))
