"""The report shows where posting is stopped (07's holds) at the very top, and the last preflight in 05's part."""

from bs4 import BeautifulSoup

from helpers import drive as drv
from helpers.files import write_json
from helpers.live import holds
from helpers.report.report import build_report


def test_holds_are_on_top_and_the_preflight_in_05s_part(tmp_path):
    holds.add_holds(tmp_path / drv.HOLDS, {"r/gardening": "1 reply removed by the moderators",
                                           "account": "the account is suspended"}, now="2026-12-01T10:00:00+00:00")
    write_json({"checks": {"05": {
        "account": {"name": "bot", "suspended": False, "age_days": 400, "karma": 99, "warning": ""},
        "subreddits": [{"subreddit": "boardgames", "verdict": "refused", "reason": 'rule "No bots"', "nsfw": False,
                        "type": "public"}], "checked_at": "2026-12-01"},
        "07": {"account": {"name": "bot", "suspended": False}, "subreddits": []}}},
        tmp_path / drv.PREFLIGHT.format(date="2026-12-01"))
    soup = BeautifulSoup(build_report(tmp_path).read_text(), "html.parser")
    top = soup.find(id="notices")  # above the stage strip: the first thing a person reads
    assert "Posting stopped" in top.get_text()
    rows = [tr.get_text(" ") for tr in top.find(id="holds-table").find_all("tr")[1:]]
    assert len(rows) == 2 and "account" in rows[0] and "removed by the moderators" in rows[1]
    first = soup.find("section", id="live-trouble")
    assert first.find_previous(class_="stage-bar")["id"] == "stage-05" and "holds are set" in first.get_text()
    assert 'rule "No bots"' in first.find(id="preflight-05").get_text()
    assert "Preflight of 07" in first.get_text()  # each stage's check of the day, 07's empty one included


def test_no_section_when_nothing_went_live(tmp_path):
    soup = BeautifulSoup(build_report(tmp_path).read_text(), "html.parser")
    assert soup.find("section", id="live-trouble") is None and soup.find(id="holds") is None
