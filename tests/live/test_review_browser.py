"""Issue 20: 06's review panel in a real browser — a Jupyter server on loopback (notebook 6.5 with ipywidgets 7.7 as
Colab ships them, or notebook 7 with ipywidgets 8), headless Debian Chromium driven through its DevTools protocol: the
cell shows the cards, a mouse click on Approve changes the sheet on disk."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from cdp import CHROMIUM, Browser
from helpers.live import select
from reviewfixtures import write_demo_sheet

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "review-panel-test"
CELL = """from helpers.live import review_panel
from helpers.live.review import ReviewSheet
from reviewfixtures import RULES
print("can_click", review_panel.can_click())
review_panel.ReviewPanel(ReviewSheet.open({path!r}, RULES)).widget"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def jupyter(tmp_path):
    """A notebook server on loopback, serving tmp_path, its kernels with this checkout first on the path."""
    port = free_port()
    env = dict(os.environ, JUPYTER_TOKEN=TOKEN, JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"), PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "tests")]))
    log = open(tmp_path / "jupyter.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "notebook", "--no-browser", "--allow-root", "--ip=127.0.0.1",
                             f"--port={port}", f"--notebook-dir={tmp_path}"], env=env, stdout=log,
                            stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 40
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError as e:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError("the notebook server did not start: " + (tmp_path / "jupyter.log").read_text()) \
                    from e
            time.sleep(0.3)
    yield url
    os.killpg(proc.pid, signal.SIGTERM)  # the server and the kernel it started (its own session)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
def test_clicking_approve_in_a_browser_writes_the_sheet(jupyter, tmp_path):
    sheet = write_demo_sheet(tmp_path / "live" / "review_2026-01-02.csv")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL.format(path=str(sheet)))],
                                  metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nbformat.write(nb, tmp_path / "review.ipynb")
    browser = Browser(tmp_path / "profile")
    try:
        browser.send("Page.navigate", url=f"{jupyter}/notebooks/review.ipynb?token={TOKEN}")
        editor = "document.querySelector('.cm-content, .CodeMirror-code')"
        browser.wait_for(f"{editor} && {editor}.textContent.includes('ReviewPanel')", 40, "the notebook's cell")
        time.sleep(1)
        approve = ("[...document.querySelectorAll('.review-card')].filter(c => c.textContent.includes('r/askreddit'))"
                   "[0]?.querySelectorAll('button').values().find(b => b.textContent.trim() == 'Approve')")
        for _ in range(3):  # run the cell: click into it, Shift+Enter (notebook 6 and 7 alike)
            box = browser.js(f"(() => {{const r = {editor}.getBoundingClientRect(); return [r.x + 20, r.y + 8]}})()")
            browser.click_at(*box)
            browser.key("Enter", "Enter", 13, modifiers=8)
            try:
                browser.wait_for(f"!!({approve})", 25, "the review panel's Approve button")
                break
            except TimeoutError:
                continue
        assert "can_click True" in browser.js("document.body.innerText")  # a frontend: the panel, not the text
        x, y = browser.js(f"(() => {{const b = {approve}; b.scrollIntoView({{block: 'center'}}); "
                          "const r = b.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]})()")
        browser.click_at(x, y)
        deadline = time.time() + 15
        while not select.is_approved(select.read_review(sheet, warn=False).set_index("comment_id").loc["c1"]):
            assert time.time() < deadline, "the sheet on disk did not change after the click"
            time.sleep(0.2)
        others = select.read_review(sheet, warn=False).set_index("comment_id")
        assert not select.is_approved(others.loc["c2"]) and not select.is_approved(others.loc["c3"])
        card = ("[...document.querySelectorAll('.review-card')].filter(c => c.textContent.includes('r/askreddit'))"
                "[0]")
        browser.wait_for(f"{card}.textContent.includes('written to the sheet')", 10, "the card's confirmation")
        rect = browser.js(f"(() => {{const r = {card}.getBoundingClientRect(); "
                          "return {x: r.x, y: r.y, width: r.width, height: r.height}})()")
        shot = browser.screenshot(tmp_path / "review_card.png", clip=rect)
        if os.environ.get("REVIEW_CARD_PNG"):  # keep the picture of a card (for a person to look at)
            Path(os.environ["REVIEW_CARD_PNG"]).write_bytes(shot.read_bytes())
    finally:
        browser.close()
