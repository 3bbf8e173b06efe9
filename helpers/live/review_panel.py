"""06's review panel: one card per post of the review sheet, in Colab or Jupyter (ipywidgets 7.7, Colab's, and 8).

A card shows the subreddit, the post title linking to the thread, the comment, the chosen reply in an editable box,
its scores and whether it passes the checks now, the runner-ups to use instead, and why the post's other candidates
were rejected; Approve and Reject write the sheet at once (helpers.live.review.ReviewSheet). Nothing here posts:
06's `post` step does, later, from the sheet on disk.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from .review import ReviewSheet, runner_ups, text_problem
from .select import FALSE_WORDS, TRUE_WORDS, blocklist_pattern, decision_of, is_approved

REDDIT = "https://www.reddit.com"


def _cell(value: Any) -> str:
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _score(value: Any) -> str:
    v = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    return "–" if pd.isna(v) else f"{v:.3f}"


def thread_link(row: dict) -> str:
    """The post title as a link to the comment on Reddit (the sheet's comment_permalink; a bare title without one)."""
    title = html.escape(_cell(row.get("title")) or "(no title)")
    link = _cell(row.get("comment_permalink")).strip()
    if not link:
        return title
    url = REDDIT + link if link.startswith("/") else link
    if not url.startswith(("https://", "http://")):
        return title
    return (f'<a href="{html.escape(url, quote=True)}" target="_blank" rel="noopener" '
            f'style="color:#0645ad;text-decoration:underline">{title}</a>')


def state_of(row: dict) -> str:
    """approved, rejected, awaiting review, or an approved cell nobody can read (then not approved, and said so)."""
    if decision_of(row) == "rejected":
        return "rejected"
    if is_approved(row):
        return "approved"
    value = _cell(row.get("approved")).strip()
    if value.lower() in TRUE_WORDS | FALSE_WORDS:
        return "awaiting review"
    return f"not approved: the approved cell says {value!r}"


def can_click() -> bool:
    """Is there a person at a Jupyter or Colab frontend who can click? Frontends send each cell with allow_stdin on
    (so input() works); papermill, nbclient and nbconvert run cells with it off, and a plain Python has no kernel."""
    try:
        import ipywidgets  # noqa: F401 - the panel needs it; Colab and Jupyter ship it
        from IPython import get_ipython
    except ImportError:
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    return bool(kernel is not None and getattr(kernel, "_allow_stdin", False))


def how_to_review(sheet: str, review: pd.DataFrame, auto_approve: bool = False) -> str:
    """What a person does when this run cannot show the panel (papermill, a script)."""
    n = len(review)
    ids = ", ".join(repr(str(c)) for c in review["comment_id"].head(5)) if n else ""
    more = ", ..." if n > 5 else ""
    return "\n".join([
        f"Nobody can click in this run (papermill or a script), so no review panel. {n} repl{'y' if n == 1 else 'ies'} "
        f"wait in {sheet}. To approve or reject them, either:",
        "  - open notebooks/06_score_and_post.ipynb in Colab or Jupyter and run it: the review step shows one card "
        "per reply with Approve / Reject (each click saves the sheet); or",
        f"  - edit {sheet} itself: approved = True or False per row (download it from Drive, edit, and upload it "
        "back over the same file with Manage versions; Drive's 'Open with Google Sheets' makes a separate copy "
        "that 06 never reads); or",
        f"  - list comment ids in approve_ids (e.g. approve_ids = [{ids}{more}]) and run 06 again.",
        "Only approved rows are posted, by the post step of a later run" + (" (auto_approve is on: every chosen "
                                                                          "reply counts as approved)."
                                                                          if auto_approve else ".")])


class Card:
    """The widgets of one review row; every button acts through the panel's ReviewSheet."""

    def __init__(self, panel: "ReviewPanel", comment_id: str):
        import ipywidgets as w

        self.panel, self.comment_id = panel, str(comment_id)
        self.head = w.HTML()
        self.comment = w.HTML()
        self.reply = w.Textarea(layout=w.Layout(width="98%", height="6em"))
        self.check = w.HTML()
        self.scores = w.HTML()
        self.runner_box = w.VBox()
        self.approve_button = w.Button(description="Approve", button_style="success", icon="check")
        self.reject_button = w.Button(description="Reject", button_style="danger", icon="times")
        self.status = w.HTML()
        self.approve_button.on_click(lambda _: self.on_approve())
        self.reject_button.on_click(lambda _: self.on_reject())
        self.reply.observe(lambda _: self.show_check(), names="value")
        self.runner_buttons: list[Any] = []
        self.widget = w.VBox([self.head, self.comment, self.reply, self.check, self.scores, self.runner_box,
                              w.HBox([self.approve_button, self.reject_button]), self.status],
                             layout=w.Layout(border="1px solid #bbb", padding="6px", margin="0 0 10px 0"))
        self.widget.add_class("review-card")
        self.refresh()

    def row(self) -> dict:
        df = self.panel.sheet.frame
        return df[df["comment_id"].astype(str) == self.comment_id].iloc[0].to_dict()

    def refresh(self, message: str = "") -> None:
        """Show the row as the sheet now has it."""
        import ipywidgets as w

        r = self.row()
        self.head.value = (f"<b>r/{html.escape(_cell(r.get('subreddit')))}</b> · {thread_link(r)} "
                           f"<small>(comment {html.escape(self.comment_id)})</small>")
        self.comment.value = ("<div style='border-left:3px solid #ccc;padding-left:6px;white-space:pre-wrap'>"
                              f"{html.escape(_cell(r.get('comment')))}</div>")
        self.reply.value = _cell(r.get("reply"))
        why = _cell(r.get("rejected_for_post")) or "none"
        bar = self.panel.min_prob_real
        needs = f" (06 keeps ≥ {bar:g})" if bar is not None else ""
        self.scores.value = (f"prob_real {_score(r.get('prob_real'))}{needs} · expected_score "
                             f"{_score(r.get('expected_score'))} · candidates for this post "
                             f"{html.escape(_cell(r.get('candidates_for_post')) or '?')}<br>"
                             f"<small>other candidates rejected: {html.escape(why)}</small>")
        self.runner_buttons = []
        rows = []
        for k, text, exp, prob in runner_ups(self.panel.sheet.frame, self.comment_id):
            b = w.Button(description=f"Use runner-up {k}", layout=w.Layout(width="auto"))
            b.on_click(lambda _, k=k: self.on_pick(k))
            self.runner_buttons.append(b)
            rows.append(w.HBox([b, w.HTML(f"{html.escape(text[:300])} <small>(expected_score {_score(exp)}, "
                                          f"prob_real {_score(prob)})</small>")]))
        self.runner_box.children = tuple(rows)
        self.show_state(message)

    def show_check(self) -> None:
        problem = text_problem(self.reply.value, self.row(), self.panel.sheet.rules)
        hit = blocklist_pattern(self.panel.sheet.rules.blocklist) if problem == "blocklist" else None
        if hit is not None and (m := hit.search(self.reply.value)):
            problem = f"blocklist (it contains {m.group(0)!r})"
        self.check.value = ("<span style='color:#1a7f37'>passes the checks</span>" if not problem else
                            f"<span style='color:#b42318'><b>cannot be approved:</b> {html.escape(problem)}</span>")
        self.approve_button.disabled = bool(problem)

    def show_state(self, message: str = "") -> None:
        self.show_check()
        state = state_of(self.row())
        colour = {"approved": "#1a7f37", "rejected": "#b42318"}.get(state, "#8a6d00")
        note = f" — {html.escape(message)}" if message else ""
        self.status.value = f"<b style='color:{colour}' class='review-state'>{html.escape(state)}</b>{note}"

    def _after(self, message: str) -> None:
        if "changed since it was read" in message:
            self.panel.refresh(message)
        else:
            self.panel.show_counts()
            for other in self.panel.cards.values():  # an earlier "changed since it was read" line is stale now
                if other is not self:
                    other.show_state()
            self.refresh(message)

    def on_approve(self) -> None:
        self._after(self.panel.sheet.approve(self.comment_id, self.reply.value) or "written to the sheet")

    def on_reject(self) -> None:
        self._after(self.panel.sheet.reject(self.comment_id) or "written to the sheet")

    def on_pick(self, k: int) -> None:
        self._after(self.panel.sheet.pick(self.comment_id, k) or f"runner-up {k} is now the reply; approve it")


class ReviewPanel:
    """All cards of one review sheet, with a header naming the sheet, the counts and any unreadable cells."""

    def __init__(self, sheet: ReviewSheet, min_prob_real: float | None = None):
        import ipywidgets as w

        self.sheet, self.min_prob_real = sheet, min_prob_real  # the realism bar 06 chose with, shown by each score
        self.header = w.HTML()
        self.cards = {str(c): Card(self, c) for c in sheet.frame["comment_id"].astype(str)}
        self.widget = w.VBox([self.header, *[c.widget for c in self.cards.values()]])
        self.widget.add_class("review-panel")
        self.show_counts()

    def show_counts(self, message: str = "") -> None:
        rows = self.sheet.frame.to_dict("records")
        states = [state_of(r) for r in rows]
        counts = ", ".join(f"{states.count(s)} {s}" for s in ("approved", "rejected", "awaiting review"))
        problems = "".join(f"<li>{html.escape(p)}</li>" for p in self.sheet.problems)
        self.header.value = (f"<b>Review sheet</b> {html.escape(str(self.sheet.path))}: {len(rows)} replies — "
                             f"{counts}. Each click writes the sheet; posting is the separate <i>post</i> step."
                             + (f"<div style='color:#b42318'><b>{html.escape(message)}</b></div>" if message else "")
                             + (f"<ul style='color:#b42318'>{problems}</ul>" if problems else ""))

    def refresh(self, message: str = "") -> None:
        """After a reload: every card shows the sheet as it now is (rows no longer there are dropped)."""
        ids = set(self.sheet.frame["comment_id"].astype(str))
        for cid in list(self.cards):
            if cid not in ids:
                del self.cards[cid]
        for cid in self.sheet.frame["comment_id"].astype(str):
            if cid in self.cards:
                self.cards[cid].refresh(message)
            else:
                self.cards[cid] = Card(self, cid)
        self.widget.children = (self.header, *[c.widget for c in self.cards.values()])
        self.show_counts(message)
