"""Posting against the loopback Reddit with real PRAW: dry run, approval, caps, Reddit errors, and kill-and-rerun at
every step of the loop with no second POST (the server counts them)."""

import pandas as pd
import pytest

import postingfixtures
from helpers.live import posting
from helpers.offline import fake_reddit

ROWS = {"c005": ("p101", "sciencefiction"), "c031": ("p201", "gardening"), "c041": ("p202", "gardening"),
        "c057": ("p302", "boardgames")}


class Killed(BaseException):
    """A kill (Ctrl-C, a Colab disconnect): not an Exception, so nothing in the loop may swallow it."""


def review(cids=tuple(ROWS), approved=True):
    return pd.DataFrame([{"subreddit": ROWS[c][1], "post_id": ROWS[c][0], "comment_id": c,
                          "reply": f"a reply to {c}", "approved": approved} for c in cids])


class Sleeps(list):
    def __call__(self, s):
        self.append(s)


def run(reddit, server, tmp_path, rv, **kw):
    kw = {"dry_run": False, "delay_min_s": 0, "delay_max_s": 0, "sleep": Sleeps(), "seed": 1, **kw}
    ledger = posting.Ledger(tmp_path / "live" / "posting_ledger.csv")
    return postingfixtures.post_replies(reddit, rv, ledger, bot_username=server.state.bot_username, **kw), ledger


def bot_reply_counts(server):
    return {c: len(server.state.bot_replies(c)) for c in ROWS}


def test_dry_run_sends_nothing(reddit, server, tmp_path):
    res, ledger = run(reddit, server, tmp_path, review(), dry_run=True, footer="^(I am a bot)")
    assert list(res["status"]) == ["dry_run"] * 4
    assert res["body"].str.endswith("^(I am a bot)").all()
    assert server.state.comment_posts() == []
    assert not ledger.path.exists()


def test_only_approved_rows_are_posted(reddit, server, tmp_path):
    rv = review()
    rv["approved"] = ["True", "", "no", "x"]
    res, _ = run(reddit, server, tmp_path, rv)
    assert list(res["status"]) == ["posted", "not_approved", "not_approved", "posted"]
    assert bot_reply_counts(server) == {"c005": 1, "c031": 0, "c041": 0, "c057": 1}
    res, _ = run(reddit, server, tmp_path, review(approved=False).assign(decision=""), auto_approve=True)
    assert list(res["status"]) == ["done_before:posted", "posted", "posted", "done_before:posted"]
    assert len(server.state.comment_posts()) == 4


def test_posts_once_with_footer_delays_and_ledger(reddit, server, tmp_path):
    sleeps = Sleeps()
    res, ledger = run(reddit, server, tmp_path, review(), footer="^(bot)", delay_min_s=60, delay_max_s=660,
                      sleep=sleeps)
    assert list(res["status"]) == ["posted"] * 4
    assert server.state.bot_replies("c005")[0]["body"] == "a reply to c005\n\n^(bot)"
    assert len(sleeps) > 3 * 60 and 3 * 60 <= sum(sleeps) <= 3 * 660  # a pause before posts 2, 3 and 4 only
    assert list(ledger.df["status"]) == ["attempting", "posted"] * 4
    res, _ = run(reddit, server, tmp_path, review())
    assert set(res["status"]) == {"done_before:posted"}
    assert len(server.state.comment_posts()) == 4


def test_caps_hold_rows_back_for_a_later_run(reddit, server, tmp_path):
    res, _ = run(reddit, server, tmp_path, review(), max_posts_per_run=2)
    assert list(res["status"]) == ["posted", "posted", "capped_run", "capped_run"]
    res, _ = run(reddit, server, tmp_path, review(), max_posts_per_run=2)
    assert list(res["status"]) == ["done_before:posted"] * 2 + ["posted", "posted"]
    assert bot_reply_counts(server) == dict.fromkeys(ROWS, 1)


def test_subreddit_cap_per_day_counts_the_ledger(reddit, server, tmp_path):
    res, _ = run(reddit, server, tmp_path, review(), max_posts_per_subreddit_per_day=1)
    assert list(res["status"]) == ["posted", "posted", "capped_subreddit", "posted"]
    res, _ = run(reddit, server, tmp_path, review(["c041"]), max_posts_per_subreddit_per_day=1)
    assert list(res["status"]) == ["capped_subreddit"]
    assert server.state.bot_replies("c041") == []


def test_recheck_skips_deleted_locked_and_already_replied(reddit, server, tmp_path):
    server.state.delete_comment("c005")
    server.state.lock_post("p201")
    server.state.new_comment("t1_c041", "posted by hand")
    res, ledger = run(reddit, server, tmp_path, review())
    assert list(zip(res["status"], res["error"])) == [("skipped", "deleted"), ("skipped", "locked"),
                                                      ("skipped", "already_replied"), ("posted", "")]
    assert len(server.state.comment_posts()) == 1
    res, _ = run(reddit, server, tmp_path, review())
    assert list(res["status"]) == ["done_before:skipped"] * 3 + ["done_before:posted"]


def test_reddit_errors_are_recorded_per_row_and_the_batch_goes_on(reddit, server, tmp_path):
    server.state.ban("gardening")
    server.state.faults.append(fake_reddit.Fault("/api/comment", status=500, times=10, thing_id="t1_c005"))

    def delete_between_recheck_and_post(step, row):
        if step == "after_attempting" and row["comment_id"] == "c057":
            server.state.delete_comment("c057")

    res, ledger = run(reddit, server, tmp_path, review(), hook=delete_between_recheck_and_post)
    assert list(zip(res["status"], res["error"])) == [("unknown", "server_error"), ("error", "banned"),
                                                      ("error", "banned"), ("error", "deleted")]
    server.state.faults.clear()
    server.state.banned.clear()
    res, _ = run(reddit, server, tmp_path, review())  # 5xx is unknown: re-checked and posted; the rest final
    assert list(res["status"]) == ["posted"] + ["done_before:error"] * 3
    assert bot_reply_counts(server) == {"c005": 1, "c031": 0, "c041": 0, "c057": 0}


@pytest.mark.parametrize("fault", [
    fake_reddit.Fault("/api/comment", status=429, retry_after_s=42),
    fake_reddit.Fault("/api/comment", status=200, ratelimit_s=600),
], ids=["http_429", "ratelimit_error"])
def test_rate_limit_waits_as_told_then_posts(reddit, server, tmp_path, fault):
    server.state.faults.append(fault)
    sleeps = Sleeps()
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]), sleep=sleeps)
    assert list(res["status"]) == ["posted", "posted"]
    assert (42 if fault.status == 429 else 600) in sleeps
    assert len(server.state.comment_posts()) == 3
    assert bot_reply_counts(server)["c005"] == 1


def test_rate_limit_that_never_ends_is_left_for_the_next_run(reddit, server, tmp_path):
    server.state.faults.append(fake_reddit.Fault("/api/comment", status=429, times=99, thing_id="t1_c005"))
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(zip(res["status"], res["error"])) == [("error", "rate_limited"), ("posted", "")]
    server.state.faults.clear()
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(res["status"]) == ["posted", "done_before:posted"]


@pytest.mark.parametrize("step", ["before_attempting", "after_attempting", "after_call", "after_posted",
                                  "during_delay"])
@pytest.mark.parametrize("victim", [0, 2])
def test_kill_at_any_step_then_rerun_posts_each_reply_exactly_once(reddit, server, tmp_path, step, victim):
    rv = review()
    target = rv["comment_id"][victim]

    def hook(at, row):
        if at == step and row["comment_id"] == target:
            raise Killed(at)

    def sleep(s):
        if step == "during_delay":
            raise Killed("delay")

    with pytest.raises(Killed):
        run(reddit, server, tmp_path, rv, hook=hook, sleep=sleep, delay_min_s=1, delay_max_s=2)
    posting.Ledger(tmp_path / "live" / "posting_ledger.csv")  # the ledger a kill left behind is readable
    res, _ = run(reddit, server, tmp_path, rv)
    assert set(res["status"]) <= {"posted", "recovered", "done_before:posted"}
    assert bot_reply_counts(server) == dict.fromkeys(ROWS, 1)
    assert len(server.state.comment_posts()) == 4  # one POST per approved reply, across both runs
    res, _ = run(reddit, server, tmp_path, rv)
    assert set(res["status"]) == {"done_before:posted"} and len(server.state.comment_posts()) == 4


@pytest.mark.parametrize("commit", [False, True], ids=["5xx_not_posted", "5xx_but_posted"])
def test_a_5xx_is_never_resent_blindly(reddit, server, tmp_path, commit):
    server.state.faults.append(fake_reddit.Fault("/api/comment", status=500, thing_id="t1_c005", commit=commit))
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(zip(res["status"], res["error"])) == [("unknown", "server_error"), ("posted", "")]
    assert len(server.state.comment_posts()) == 2  # prawcore's automatic re-send is off for the comment POST
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]))
    assert list(res["status"]) == ["recovered" if commit else "posted", "done_before:posted"]
    assert len(server.state.comment_posts()) == (2 if commit else 3)
    assert bot_reply_counts(server)["c005"] == 1


def test_an_expired_token_is_renewed_and_the_reply_posted_once(reddit, server, tmp_path):
    server.state.faults.append(fake_reddit.Fault("/api/comment", status=401))
    res, _ = run(reddit, server, tmp_path, review(["c005"]))
    assert list(res["status"]) == ["posted"] and bot_reply_counts(server)["c005"] == 1
    assert [r.path for r in server.state.requests].count("/api/v1/access_token") == 2


def test_an_emptied_reply_is_never_posted(reddit, server, tmp_path):
    rv = review(["c005", "c031"])
    rv.loc[0, "reply"] = None
    res, _ = run(reddit, server, tmp_path, rv, footer="^(bot)")
    assert list(res["status"]) == ["no_reply", "posted"] and bot_reply_counts(server)["c005"] == 0


def test_the_pause_also_holds_across_runs(reddit, server, tmp_path):
    run(reddit, server, tmp_path, review(["c005"]))
    sleeps = Sleeps()
    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]), sleep=sleeps, delay_min_s=30, delay_max_s=30)
    assert list(res["status"]) == ["done_before:posted", "posted"]
    assert 28 <= sum(sleeps) <= 30  # the last post was a moment ago, in the previous run


def test_the_recheck_comes_after_the_pause(reddit, server, tmp_path):
    def sleep(s):  # the comment is deleted while the bot waits between posts
        server.state.delete_comment("c031")

    res, _ = run(reddit, server, tmp_path, review(["c005", "c031"]), sleep=sleep, delay_min_s=1, delay_max_s=1)
    assert list(zip(res["status"], res["error"])) == [("posted", ""), ("skipped", "deleted")]
    assert len(server.state.comment_posts()) == 1
