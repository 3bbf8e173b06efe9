"""The executed notebooks read like a lab notebook: none of the library chatter tools/notebook_noise.py lists
(TensorFlow's C++ start-up lines, absl's, "INFO:tensorflow:Restoring parameters", gpt-2-simple's advice for TF 1,
deprecation notes) in any cell, and no cell's printed output longer than a screen (a progress bar saved as hundreds of
fragments was). The chatter is not dropped: it is in the stage's kernel log. Runs on the session's pipeline
(tests/conftest.py), one stage at a time: `-k 01` runs only 00 and 01."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import drive as drv
from helpers.contract import STAGES

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
from notebook_noise import SCREEN, noise_lines, saved_lines  # noqa: E402

TENSORFLOW_IN_KERNEL = {"01", "02", "03", "04", "05", "06", "08"}  # 07 never imports it
ONEDNN = "oneDNN custom operations"


@functools.cache
def tensorflow_prints_onednn() -> bool:
    """Does `import tensorflow` print its oneDNN start-up line here, with the environment the kernels get? TF 2.21
    prints it whatever TF_CPP_MIN_LOG_LEVEL says; TF 2.20 (Colab's) honours the level the tests set and prints none."""
    r = subprocess.run([sys.executable, "-c", "import tensorflow"], capture_output=True, text=True, timeout=300,
                       env=os.environ.copy())
    return ONEDNN in r.stderr


def _executed(root: Path, key: str) -> tuple[dict, Path]:
    nb = Path(root, drv.EXECUTED_DIR, f"{STAGES[key].notebook}.ipynb")
    return json.loads(nb.read_text(encoding="utf-8")), nb.with_suffix(".kernel.log")


@pytest.mark.slow
@pytest.mark.parametrize("key", list(STAGES))
def test_executed_notebook_holds_no_library_chatter(pipeline, key):
    nb, log = _executed(pipeline.upto(key), key)
    found = noise_lines(nb)
    assert not found, "\n".join(f"cell {c} ({kind}): {line[:150]}" for c, kind, line in found)
    for i, cell in enumerate(nb["cells"]):
        printed = [ln for out in cell.get("outputs", []) if out["output_type"] == "stream"
                   for ln in saved_lines("".join(out["text"]))]
        assert len(printed) <= SCREEN, f"cell {i} printed {len(printed)} lines, e.g. {printed[:3]}"
    if key in TENSORFLOW_IN_KERNEL and tensorflow_prints_onednn():  # routed to the kernel log, not silenced
        assert ONEDNN in log.read_text(errors="replace")


@pytest.mark.slow
def test_gpt2_simple_prints_go_to_the_kernel_log(pipeline):
    nb, log = _executed(pipeline.upto("01"), "01")
    text = log.read_text(errors="replace")
    assert "use_memory_saving_gradients" in text and "INFO:tensorflow:Restoring parameters" in text
    shown = "".join("".join(out.get("text", "")) for cell in nb["cells"] for out in cell.get("outputs", []))
    assert "fine-tuning: 100%" in shown  # the step's one bar, at its end
