"""The batch run on a finished Drive root: `demo` skips every up-to-date stage, re-runs the live ones (their input is
Reddit, here the recorded threads), writes the HTML report from the stages' real outputs and prints the summary."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv

pytestmark = pytest.mark.slow  # runs the whole demo, every stage
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_run(pipeline):
    root = pipeline.upto("09")
    args = []
    for k, v in pipeline.params.items():  # the same parameters the pipeline ran with, so its stages are up to date
        args += ["-p", f"{k}={json.dumps(v)}"]
    r = subprocess.run([sys.executable, "-m", "helpers", "demo", "--drive", str(root), *args],
                       capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return root, r


def test_demo_resumes_finished_stages_and_reruns_live_ones(demo_run):
    root, r = demo_run
    status = {line.split()[0]: line.split()[1].rstrip(":") for line in r.stdout.splitlines() if line[:2].isdigit()}
    assert status == {"00": "skipped", "01": "skipped", "02": "skipped", "03": "skipped", "04": "skipped",
                      "05": "ran", "06": "ran", "07": "ran", "08": "skipped", "09": "ran"}  # 09 reads 06/07's
    # human signal, which the live stages rewrote: it runs, finds its rounds done and trains nothing
    assert "oneDNN" not in r.stderr and "cuda" not in r.stderr.lower()  # TF's start-up lines go to the kernel logs
    # 05 ran in this demo: its kernel's stderr (TF's start-up lines) is in its log and none of it on the console.
    # debugpy's "0.00s - Debugger warning" lines are left out: on Python 3.13 the demo process prints them itself.
    log = (root / drv.EXECUTED_DIR / "05_generate_replies.kernel.log").read_text().splitlines()
    kernel_lines = [ln for ln in log if ln.strip() and not ln.startswith("0.00s - ")]
    assert kernel_lines and not [ln for ln in kernel_lines if ln in r.stderr]


def test_demo_summary_counts_rows_and_lists_the_selected_replies(demo_run):
    root, r = demo_run
    out = r.stdout
    assert "=== Run summary" in out
    real = len(pd.read_csv(root / drv.BERT_GAN_REAL))
    assert f"bert_gan_real.csv rows         {real}" in out
    review = pd.read_csv(sorted((root / drv.LIVE_DIR).glob("review_*.csv"))[-1])
    assert len(review) > 0
    for cid in review["comment_id"]:
        assert f"comment {cid}:" in out
    assert "realism_metrics: " in out and "auc=" in out
    assert "Quality: chosen replies minus all candidates: realism" in out
    assert str(root / drv.REPORT_HTML) in out


def test_report_holds_the_real_runs_numbers(demo_run):
    root, _ = demo_run
    soup = BeautifulSoup((root / drv.REPORT_HTML).read_text(), "html.parser")
    for sid in ("stages", "data", "gpt2", "realism", "upvote", "candidates", "quality", "outcomes", "adversarial"):
        assert soup.find("section", id=sid) is not None, sid
        assert "has not run" not in soup.find("section", id=sid).get_text(), sid
    gpt2 = json.loads((root / drv.METRICS_DIR / "gpt2_finetune.json").read_text())
    assert f"{gpt2['validation_loss_after']:.4g}" in soup.find(id="gpt2-metrics").get_text()
    realism = json.loads((root / drv.METRICS_DIR / "realism_metrics.json").read_text())
    assert f"{realism['tp']}" in soup.find(id="realism-metrics").get_text()
    assert {img["data-file"] for img in soup.find_all("img")} >= {"gpt2_loss.png", "realism_roc.png",
                                                                   "upvote_roc.png", "upvote_confusion.png"}
    preds = pd.read_csv(sorted((root / drv.LIVE_DIR).glob("reply_score_predictions_*.csv"))[-1])
    blocks = soup.find_all("div", class_="comment")
    assert len(blocks) == preds["comment_id"].nunique()
    review = pd.read_csv(sorted((root / drv.LIVE_DIR).glob("review_*.csv"))[-1])
    chosen = soup.find_all("tr", class_="chosen")
    assert len(chosen) == len(review)
    first = review.iloc[0]
    block = soup.find("div", attrs={"data-comment-id": str(first["comment_id"])})
    row = block.find_next("table").find("tr", class_="chosen")
    assert row.find("td").get_text() == str(first["reply"])
    assert f"{first['prob_real']:.4g}" in row.get_text()
    rounds = pd.read_csv(root / drv.ADVERSARIAL_ROUNDS)
    assert len(soup.find(id="adversarial-rounds").find_all("tr")) == len(rounds) + 1
