"""The HTML run report: self-contained, with the loss curve, ROC curves, metrics tables and candidates per comment."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers import files
from helpers.report import report
from helpers.report.run_summary import summary_text

PNG = base64.b64decode(  # a 1x1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")


@pytest.fixture
def filled_drive(tmp_path):
    root = tmp_path / "drive"
    files.write_json({"rows_in": 640, "rows_out": {"train": 400, "validation": 60, "test": 70},
                    "rows_per_subreddit": {"scifi": {"train": 300, "test": 40}, "writing": {"train": 100, "test": 30,
                                                                                              "validation": 60}}},
                   root / drv.DATA_SUMMARY)
    files.write_json({"validation_loss_before": 7.5, "validation_loss_after": 3.25}, root /
    "metrics/gpt2_finetune.json")
    files.write_json({"auc": 0.9876, "accuracy": 0.91, "tp": 40, "tn": 51}, root / "metrics/realism_metrics.json")
    files.write_json({"macro_auc": 0.6543, "pairwise_accuracy": 0.61}, root / "metrics/upvote_metrics.json")
    for name in ("gpt2_loss.png", "realism_roc.png", "upvote_roc.png", "upvote_confusion.png"):
        files.write_bytes(PNG, root / "metrics" / name)
    preds = pd.DataFrame({
        "subreddit": ["scifi"] * 3 + ["writing"] * 2 + ["scifi"],
        "post_id": ["p1"] * 3 + ["p2"] * 2 + ["p1"],
        "title": ["Ships"] * 3 + ["Drafts"] * 2 + ["Ships"],
        "comment_id": ["c1"] * 3 + ["c2"] * 2 + ["c3"],
        "comment": ["Warp drives are <b>neat</b>"] * 3 + ["First drafts are hard"] * 2 + ["Hyperspace is odd"],
        "proposed_reply": ["I agree", "No way", "Tell me more", "So true", "Nope", "Indeed"],
        "prob_real": [0.95, 0.2, 0.97, 0.5, 0.4, 0.99],
        "expected_score": [1.5, 2.5, 2.25, 1.0, 0.5, 1.2],
    })
    files.write_csv(preds, root / "live/reply_score_predictions_2026-11-22.csv")
    files.write_csv(preds.iloc[[2]].assign(approved=False), root / "live/review_2026-11-22.csv")
    return root


def test_report_sections_and_numbers(filled_drive):
    path = report.build_report(filled_drive)
    soup = BeautifulSoup(path.read_text(), "html.parser")
    for sid in ("stages", "data", "gpt2", "realism", "upvote", "candidates"):
        assert soup.find("section", id=sid) is not None, sid
    assert "3.25" in soup.find(id="gpt2-metrics").get_text()
    per_sub = [[td.get_text() for td in tr.find_all("td")]
               for tr in soup.find(id="data-per-subreddit").find_all("tr")[1:]]
    assert per_sub == [["scifi", "300", "0", "40"], ["writing", "100", "60", "30"]]  # train, validation, test
    assert "0.9876" in soup.find(id="realism-metrics").get_text()
    assert "0.6543" in soup.find(id="upvote-metrics").get_text()
    imgs = {img["data-file"]: img["src"] for img in soup.find_all("img")}
    assert set(imgs) == {"gpt2_loss.png", "realism_roc.png", "upvote_roc.png", "upvote_confusion.png"}
    assert all(src.startswith("data:image/png;base64,") for src in imgs.values())  # self-contained
    c1 = soup.find("div", attrs={"data-comment-id": "c1"})
    assert "Warp drives are <b>neat</b>" in c1.get_text()  # comment text is escaped, not rendered as markup
    table = c1.find_next("table")
    rows = table.find_all("tr")[1:]
    assert [r.find("td").get_text() for r in rows] == ["No way", "Tell me more", "I agree"]  # by expected score
    chosen = table.find_all("tr", class_="chosen")
    assert len(chosen) == 1 and "Tell me more" in chosen[0].get_text() and "0.97" in chosen[0].get_text()
    assert "awaiting approval" in c1.get_text()
    c2 = soup.find("div", attrs={"data-comment-id": "c2"})
    assert "no candidate passed selection" in c2.get_text()
    c3 = soup.find("div", attrs={"data-comment-id": "c3"})
    assert "another comment on this post was chosen" in c3.get_text()  # one reply per post
    assert not soup.find_all(src=lambda s: s and s.startswith("http"))  # nothing fetched from the network


def test_report_on_empty_drive_says_what_has_not_run(tmp_path):
    soup = BeautifulSoup(report.build_report(tmp_path).read_text(), "html.parser")
    assert "has not run" in soup.find(id="gpt2").get_text()
    assert "has not run" in soup.find(id="candidates").get_text()
    text = summary_text(tmp_path)
    assert "Rows per stage" in text and "not run" in text


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_report_renders_in_headless_chromium(filled_drive, tmp_path):
    path = report.build_report(filled_drive)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=60)
    assert dom.returncode == 0, dom.stderr[-2000:]
    soup = BeautifulSoup(dom.stdout, "html.parser")
    assert soup.find("section", id="candidates") and soup.find("tr", class_="chosen")
    shot = tmp_path / "report.png"
    r = subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", "--window-size=1200,1600", path.as_uri()],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and shot.exists() and shot.stat().st_size > 10_000


def test_unreadable_files_become_warnings_never_a_crash(filled_drive):
    """Issue 10, case 11: a malformed metrics/*.csv (and JSON, and a review sheet) is a warning line in the report and
    on the console; `python -m helpers report` still writes the report and exits 0."""
    import sys

    root = filled_drive
    (root / drv.ADVERSARIAL_ROUNDS).write_text("round,auc_before\n1,0.5\n2,0.6,7,8\n")
    (root / drv.UPVOTE_METRICS).write_text("{not json")
    (root / "live/review_2026-11-22.csv").write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    r = subprocess.run([sys.executable, "-m", "helpers", "report", "--drive", str(root)], capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-3000:]
    for rel in (drv.ADVERSARIAL_ROUNDS, drv.UPVOTE_METRICS, "live/review_2026-11-22.csv"):
        assert any(line.startswith("warning: ") and rel in line for line in r.stderr.splitlines()), (rel, r.stderr)
    soup = BeautifulSoup((root / drv.REPORT_HTML).read_text(), "html.parser")
    shown = soup.find(id="warnings").get_text()
    assert drv.ADVERSARIAL_ROUNDS in shown and drv.UPVOTE_METRICS in shown and "review_2026-11-22.csv" in shown
    assert "0.9876" in soup.find(id="realism-metrics").get_text()  # the readable sections are still there
    assert soup.find(id="stages") is not None and soup.find(id="data") is not None
    assert f"unreadable: {root / 'live/review_2026-11-22.csv'}" in r.stdout  # the summary's selected replies
