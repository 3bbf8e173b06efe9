"""The report as the run's face: its first screen says whether every stage ran, what needs a person now and how the
models compare with the seed; each stage's part folds its parameters and raw metrics away; sections and notices plug
in; and, in real headless Chromium, the stage strip and the review counts are on the first screen."""

from __future__ import annotations

import json
import shutil
import subprocess

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers import files
from helpers.report import report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _executed(root, notebook: str, *, failed: bool = False, finished: bool = True) -> None:
    cells = [{"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": [], "execution_count": 1}]
    if failed:
        cells[0]["outputs"] = [{"output_type": "error", "ename": "InputError",
                                "evalue": "bert_gan_fake_0000.csv: file not found (run stage 02 first)\nmore",
                                "traceback": []}]
    meta = {"start_time": "2026-11-22T10:00:00+00:00", "end_time": "2026-11-22T10:01:05+00:00" if finished else None,
            "duration": 65.2 if finished else None, "exception": True if failed else None}
    nb = {"cells": cells, "metadata": {"papermill": meta}, "nbformat": 4, "nbformat_minor": 5}
    files.write_text(json.dumps(nb), root / drv.EXECUTED_DIR / f"{notebook}.ipynb")


@pytest.fixture
def run_root(tmp_path):
    """00 and 01 finished, 03 failed, 04 started and did not finish, 06 left a review sheet, the rest never ran."""
    root = tmp_path / "drive"
    files.write_json({"rows_in": 100, "rows_out": 90, "dropped_total": 10, "dropped": {"deleted": 10},
                      "rows_per_split": {"train": 70, "validation": 10, "test": 10}, "source": "sample"},
                     root / drv.DATA_SUMMARY)
    files.write_json({"params": {"months": ["2018_01"], "max_chars": 777, "gdrive_folder": ""}, "wall_s": 2.4,
                      "outputs": {}}, root / drv.MANIFEST_DIR / "00.json")
    _executed(root, "00_pull_reddit_data")
    files.write_json({"validation_loss_before": 7.5, "validation_loss_after": 3.25, "steps_after": 150},
                     root / drv.GPT2_METRICS)
    files.write_json({"params": {"gpt2_steps": 150}, "wall_s": 57.0}, root / drv.MANIFEST_DIR / "01.json")
    _executed(root, "01_finetune_gpt2")
    files.write_json({"auc": 0.9123, "accuracy": 0.88, "n": 230, "positives": 200}, root / drv.REALISM_METRICS)
    files.write_json({"params": {"bert_epochs": 2}, "wall_s": 99.0}, root / drv.MANIFEST_DIR / "03.json")
    _executed(root, "03_train_realism_bert", failed=True)  # the last run failed, after an older one finished
    _executed(root, "04_train_upvote_bert", finished=False)
    review = pd.DataFrame({"subreddit": "scifi", "post_id": ["p1", "p2", "p3", "p4"], "title": "t",
                           "comment_id": ["c1", "c2", "c3", "c4"], "comment": "a comment",
                           "reply": ["one", "two", "three", "four"], "prob_real": 0.9, "expected_score": 1.5,
                           "approved": ["yes", "x", "", "no"]})
    files.write_csv(review, root / "live/review_2026-11-22.csv")
    ledger = pd.DataFrame({"event_at": ["2026-11-22T11:00:00Z"] * 3, "run_id": "r", "comment_id": ["c1", "c1", "c9"],
                           "post_id": ["p1", "p1", "p9"], "subreddit": "scifi",
                           "status": ["attempting", "posted", "unknown"], "reply_id": ["", "r1", ""], "error": "",
                           "body": ["one", "one", "nine"]})
    files.write_csv(ledger, root / drv.POSTING_LEDGER)
    return root


def _soup(root) -> BeautifulSoup:
    return BeautifulSoup(report.build_report(root).read_text(), "html.parser")


def _count(soup, cid: str) -> int:
    return int(soup.find(id=cid).find(class_="value").get_text())


def test_the_strip_says_which_stages_ran_failed_or_did_not(run_root):
    soup = _soup(run_root)
    cards = {li["data-stage"]: li for li in soup.find(id="stages").find_all("li")}
    assert list(cards) == ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"]
    assert {k: li["data-status"] for k, li in cards.items()} == {
        "00": "ok", "01": "ok", "02": "not run", "03": "failed", "04": "unfinished", "05": "not run", "06": "not run",
        "07": "not run", "08": "not run", "09": "not run"}
    assert "2026-11-22 10:01" in cards["00"].get_text() and "1 min 5 s" in cards["00"].get_text()
    assert "source sample: 100 rows in, 90 kept" in cards["00"].get_text()  # its one outcome line
    assert "InputError: bert_gan_fake_0000.csv: file not found" in cards["03"].get_text()  # the error, not the AUC
    assert "failed" in soup.find(id="stage-03")["class"]  # its part of the report says so too
    assert "1 failed, 1 unfinished, 2 ok, 6 not run" in soup.find(id="stages").find("h2").get_text()


def test_what_needs_a_person_counts_the_review_sheet_by_06s_definitions(run_root):
    soup = _soup(run_root)
    # c1 approved and posted; c2 approved ("x" is yes for 06) not posted; c3 blank and c4 "no" await review
    assert (_count(soup, "count-awaiting"), _count(soup, "count-approved"), _count(soup, "count-posted")) == (2, 1, 1)
    warnings = soup.find(id="attention").find("ul", class_="warnings").get_text()
    assert "stage 03 failed" in warnings
    assert "1 posting outcome(s) unknown" in warnings  # c9's last event: the next 06 re-checks Reddit first
    assert _count(soup, "count-warnings") == 2
    assert "live/review_2026-11-22.csv" in soup.find(id="attention").get_text()


def test_a_rejected_row_and_an_unreadable_approval_are_counted_not_taken_for_no(run_root):
    """A row a person rejected in 06's panel is not "awaiting"; `maybe` is a warning naming the row, as 06 says it."""
    sheet = run_root / "live/review_2026-11-22.csv"
    review = pd.read_csv(sheet, keep_default_na=False)
    review["decision"] = ["", "", "rejected", ""]
    review.loc[3, "approved"] = "maybe"
    files.write_csv(review, sheet)
    soup = _soup(run_root)
    assert (_count(soup, "count-awaiting"), _count(soup, "count-rejected"), _count(soup, "count-approved")) == (1, 1, 1)
    warnings = soup.find(id="attention").find("ul", class_="warnings").get_text()
    assert "row 5 (comment c4): approved value 'maybe' is neither yes nor no" in warnings


def test_models_next_to_the_seed(run_root):
    rows = {tr.find("th").get_text(): [td.get_text() for td in tr.find_all("td")]
            for tr in _soup(run_root).find(id="scorecard-table").find_all("tr")[1:]}
    assert rows["Realism AUC (03)"][:2] == ["0.9123an earlier run's: the last run failed", "0.9934"]  # 03 failed
    assert rows["Posted replies with an upvote (07)"][1] == "30% (24 of 80)"
    assert rows["Upvote pairwise accuracy (04)"][0] == "–"  # 04 has not finished


def test_parameters_and_raw_metrics_are_folded_away(run_root):
    soup = _soup(run_root)
    params = soup.find(id="params-00")
    assert params is not None and params.find_parent("details") is not None
    assert "777" in params.get_text() and "gdrive_folder" not in params.get_text()
    for raw in ("gpt2-metrics", "realism-metrics"):
        assert soup.find(id=raw).find_parent("details") is not None, raw
    figures = soup.find(id="gpt2-figures")
    assert figures.find_parent("details") is None and "3.25" in figures.get_text()  # named numbers stay visible
    assert "lower" in figures.get_text()  # ... each explained in a phrase


def test_sections_and_notices_plug_in(run_root, monkeypatch):
    def trouble(root):
        return '<div id="live-trouble">posting held: r/scifi removed 2 replies</div>'

    def extra(root):
        return '<section id="extra-06"><h2>extra</h2></section>'

    monkeypatch.setattr(report, "NOTICES", [trouble])
    monkeypatch.setattr(report, "SECTIONS", [*report.SECTIONS, ("06", extra)])
    html = report.build_report(run_root).read_text()
    assert html.index('id="live-trouble"') < html.index('id="stages"')  # above everything
    assert html.index('id="candidates"') < html.index('id="extra-06"') < html.index('id="outcomes"')
    one = report.stage_html("06", run_root)  # what 06's notebook shows in its last cell
    assert 'id="extra-06"' in one and 'id="data"' not in one
    style = BeautifulSoup(one, "html.parser").find("style").get_text()  # restyles only its own output, not Jupyter
    assert all(rule.startswith(".reddit-bot-report") for rule in style.splitlines()) and "body" not in style


def test_a_notebooks_last_cell_shows_its_stage_with_this_runs_parameters(run_root):
    from helpers.contract import Params
    from helpers.drive import Drive

    class Run:
        p = Params(drive_root=str(run_root), gpt2_steps=42, gdrive_folder="x")
        drive = Drive(run_root)

    shown = report.stage_report("01", Run()).data
    soup = BeautifulSoup(shown, "html.parser")
    assert soup.find(id="gpt2") is not None and soup.find(id="realism") is None
    assert "42" in soup.find(id="params-01").get_text() and "gdrive_folder" not in shown


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")
def test_first_screen_in_headless_chromium(run_root, tmp_path):
    """The strip and the review counts, laid out by a real browser, sit inside a 1280x900 window."""
    path = report.build_report(run_root)
    probe = ("<script>for (const id of ['stages', 'count-awaiting', 'count-approved', 'count-posted']) {"
             "const r = document.getElementById(id).getBoundingClientRect();"
             "document.body.setAttribute('data-bottom-' + id, Math.round(r.bottom));}</script></body>")
    probed = tmp_path / "probed.html"
    probed.write_text(path.read_text().replace("</body>", probe))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--window-size=1280,900", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", probed.as_uri()], capture_output=True, text=True,
                         timeout=90)
    assert dom.returncode == 0, dom.stderr[-2000:]
    soup = BeautifulSoup(dom.stdout, "html.parser")
    strip = soup.find(id="stages")
    assert [li["data-status"] for li in strip.find_all("li")][:5] == ["ok", "ok", "not run", "failed", "unfinished"]
    assert (_count(soup, "count-awaiting"), _count(soup, "count-approved"), _count(soup, "count-posted")) == (2, 1, 1)
    for cid in ("stages", "count-awaiting", "count-approved", "count-posted"):
        assert 0 < int(soup.body[f"data-bottom-{cid}"]) <= 900, (cid, soup.body[f"data-bottom-{cid}"])
    shot = tmp_path / "first_screen.png"
    r = subprocess.run([CHROMIUM, *flags, f"--screenshot={shot}", path.as_uri()], capture_output=True, text=True,
                       timeout=90)
    assert r.returncode == 0 and shot.exists() and shot.stat().st_size > 20_000


def test_malformed_run_records_leave_the_first_screen_standing(run_root):
    """A half-written executed notebook, a manifest that is not an object, a metrics file that is a list: each stage
    still gets its card, and the review counts are still there."""
    (run_root / drv.EXECUTED_DIR / "00_pull_reddit_data.ipynb").write_text("{not json")
    manifest = json.loads((run_root / drv.MANIFEST_DIR / "00.json").read_text())
    files.write_json({**manifest, "finished_at": "2026-11-21T09:30:00+00:00"}, run_root / drv.MANIFEST_DIR / "00.json")
    (run_root / drv.MANIFEST_DIR / "01.json").write_text("[1, 2]")
    (run_root / drv.REALISM_METRICS).write_text("[]")
    soup = _soup(run_root)
    cards = {li["data-stage"]: li["data-status"] for li in soup.find(id="stages").find_all("li")}
    assert cards["00"] == "ok" and cards["01"] == "ok" and cards["03"] == "failed"  # the manifest; 01's outputs
    assert "run outside" in soup.find("li", attrs={"data-stage": "01"}).get_text()
    assert "2026-11-21 09:30 UTC · 2 s" in soup.find("li", attrs={"data-stage": "00"}).get_text()  # the manifest's
    assert _count(soup, "count-awaiting") == 2
