"""What the notebooks' setup cell reports in Colab: what the install added, whether it replaced anything of Colab's,
and the runtime (GPU and its free memory, TensorFlow/Keras versions, Drive mounted).

Replacing a package Colab's kernel already imported (ipykernel, tensorflow, ...) is how Colab sessions break, and a
missing GPU or an unmounted Drive is how a long run fails an hour in: all of it is said before anything runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

DRIVE_MOUNT = Path("/content/drive")
T4_MEMORY_GB = 15.0  # a free Colab GPU: NVIDIA T4, 15 GB usable


@dataclass(frozen=True)
class Gpu:
    name: str
    free_gb: float
    total_gb: float


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_versions() -> dict[str, str]:
    """canonical name -> version of every installed distribution (the setup cell takes this before pip runs)."""
    return {canonical(d.metadata["Name"]): d.version for d in metadata.distributions() if d.metadata["Name"]}


def install_changes(before: dict[str, str], after: dict[str, str]) -> tuple[list[str], list[str]]:
    """(added 'name version', replaced 'name old -> new') between two snapshots of {name: version}."""
    before = {canonical(n): v for n, v in before.items()}
    after = {canonical(n): v for n, v in after.items()}
    added = [f"{n} {v}" for n, v in sorted(after.items()) if n not in before]
    replaced = [f"{n} {v} -> {after.get(n, 'removed')}" for n, v in sorted(before.items()) if after.get(n) != v]
    return added, replaced


def install_report(before: dict[str, str], seconds: float, after: dict[str, str] | None = None) -> str:
    """The setup cell's install summary; a replaced package means Colab must restart before the notebook goes on."""
    added, replaced = install_changes(before, installed_versions() if after is None else after)
    lines = [f"installed in {seconds:.1f} s; added {len(added)} package(s): " + (", ".join(added) or "none")]
    if replaced:
        lines.append(f"WARNING: replaced {len(replaced)} of the runtime's packages: " + ", ".join(replaced))
        lines.append("Restart the session (Runtime > Restart session), then run the notebook again from the top.")
    else:
        lines.append("replaced none of the runtime's packages: no restart needed")
    return "\n".join(lines)


def parse_nvidia_smi(text: str) -> list[Gpu]:
    """Rows of `nvidia-smi --query-gpu=name,memory.free,memory.total --format=csv,noheader,nounits` (MiB)."""
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.rsplit(",", 2)]
        if len(parts) != 3:
            raise ValueError(f"unexpected nvidia-smi line {line!r}")
        name, free, total = parts
        gpus.append(Gpu(name, float(free) / 1024, float(total) / 1024))
    return gpus


def gpus(timeout_s: float = 20.0) -> list[Gpu]:
    """The machine's NVIDIA GPUs, asked of nvidia-smi (without initialising TensorFlow); [] when there is none."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    r = subprocess.run([exe, "--query-gpu=name,memory.free,memory.total", "--format=csv,noheader,nounits"],
                       capture_output=True, text=True, timeout=timeout_s)
    if r.returncode != 0:
        return []
    return parse_nvidia_smi(r.stdout)


def version_of(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def runtime_report(needs_gpu: bool, drive_mount: Path = DRIVE_MOUNT) -> str:
    """GPU, free GPU memory, TensorFlow/Keras/keras-hub versions and the Drive mount, with what to do when wrong."""
    found = gpus()
    lines = []
    if found:
        lines += [f"GPU: {g.name}, {g.free_gb:.1f} of {g.total_gb:.1f} GB free" for g in found]
    elif needs_gpu:
        lines.append("GPU: none. This notebook trains or generates with GPT-2: Runtime > Change runtime type > "
                     "T4 GPU, then run it again from the top (on CPU it works, hours slower).")
    else:
        lines.append("GPU: none (this notebook does not need one)")
    lines.append("tensorflow " + version_of("tensorflow") + ", keras " + version_of("keras")
                 + ", keras-hub " + version_of("keras-hub"))
    mounted = os.path.ismount(drive_mount) or (drive_mount / "MyDrive").is_dir()
    lines.append(f"Google Drive: mounted at {drive_mount}" if mounted
                 else f"Google Drive: NOT mounted at {drive_mount}; outputs would be lost with the runtime")
    return "\n".join(lines)
