"""The preflight's confirmation panel (05, 06 and 07 in Colab or Jupyter; ipywidgets 7.7, Colab's, and 8): one card
per subreddit whose rules no person has confirmed yet (or that changed since), showing the full rules and a button
that records the confirmation with the rules' hash in live/rules_confirmed.json on Drive at once (compare-and-swap
into the file as it is there now, helpers.sync: another runtime's confirmations stay).

Run by papermill, where nobody can click, the stage says how to confirm instead (the parameter ``confirm_rules``).
"""

from __future__ import annotations

import html
from typing import Any, Callable

from .. import drive as drv
from ..reddit.preflight import Preflight
from ..reddit.rules_confirm import SHORT, Confirmations, rules_sha256, rules_text
from .review_panel import can_click


def decided(p: Any, drive: drv.Drive, stage: str) -> dict[str, Any]:
    """What people decided, for preflight.checked: NSFW subreddits allowed, the confirmations on Drive and this
    run's confirm_rules (recorded as given by that parameter in this stage)."""
    return {"nsfw_allowed": p.nsfw_allowed_subreddits, "confirm": p.confirm_rules,
            "confirmations": Confirmations.load(drive.path(drv.RULES_CONFIRMED), drive),
            "by": f"confirm_rules parameter ({stage})"}


def how_to_confirm(pf: Preflight, stage: str) -> str:
    """What a person does about unconfirmed subreddits when nobody can click (papermill, a script)."""
    if not pf.unconfirmed:
        return ""
    names = ", ".join(f"'{n.lower()}'" for n in pf.unconfirmed)
    return (f"{len(pf.unconfirmed)} subreddit(s) wait for a person to read their rules (printed above) before 06 "
            f"posts there: {names}. Read them, then either open {stage}'s notebook in Colab or Jupyter and click "
            f"the confirm button of each, or run again with -p \"confirm_rules=[{names}]\" (after a change of the "
            f"rules, name@<hash> as printed, e.g. '{next(iter(pf.unconfirmed)).lower()}@"
            f"{rules_sha256(next(iter(pf.unconfirmed.values())))[:SHORT]}').")


def confirm_click(book: Confirmations, name: str, rules: list[dict], stage: str, account: str = "",
                  push: Callable[[], Any] | None = None) -> str:
    """What the button does: record this person's confirmation of exactly these rules on Drive (``push``: anything
    to do after it, e.g. a test's check)."""
    rec = book.record(name, rules, f"a person in {stage}'s notebook (confirm button)", account)
    if push is not None:
        push()
    return f"confirmed r/{name}'s rules ({rec['rules_sha256'][:SHORT]}) at {rec['confirmed_at']}"


class RulesPanel:
    """The cards; ``on_confirmed(name)`` runs after each recorded click (06 lets its post step use the subreddit)."""

    def __init__(self, pf: Preflight, book: Confirmations, stage: str, push: Callable[[], Any] | None = None,
                 on_confirmed: Callable[[str], Any] | None = None):
        import ipywidgets as w

        self.pf, self.book, self.stage, self.push = pf, book, stage, push
        self.on_confirmed = on_confirmed or (lambda name: None)
        self.buttons: dict[str, Any] = {}  # subreddit -> its confirm button
        self.status: dict[str, Any] = {}  # subreddit -> what the last click did
        cards = [self._card(w, name, rules) for name, rules in pf.unconfirmed.items()]
        head = w.HTML(f"<b>{len(cards)} subreddit(s) wait for a person to read their rules.</b> Nothing is posted "
                      "there until you confirm; a change of the rules asks again.")
        self.widget = w.VBox([head, *cards])

    def _card(self, w: Any, name: str, rules: list[dict]) -> Any:
        sha = rules_sha256(rules)
        text = html.escape(rules_text(rules))
        body = w.HTML(f"<h4>r/{html.escape(name)} <small>rules {sha[:SHORT]}</small></h4>"
                      f"<pre style='white-space:pre-wrap'>{text}</pre>")
        button = w.Button(description=f"I read these rules: the bot may post in r/{name}"[:60],
                          layout=w.Layout(width="auto"), button_style="warning")
        status = w.HTML("")
        self.buttons[name], self.status[name] = button, status

        def clicked(_b: Any) -> None:
            try:
                status.value = html.escape(confirm_click(self.book, name, rules, self.stage,
                                                         str(self.pf.account.get("name") or ""), self.push))
                button.disabled = True
                self.on_confirmed(name)
            except Exception as e:  # noqa: BLE001 - shown on the card; a person must see why nothing was recorded
                status.value = f"<b>not recorded:</b> {html.escape(f'{type(e).__name__}: {e}')}"

        button.on_click(clicked)
        return w.VBox([body, button, status])


def shown(pf: Preflight, book: Confirmations, stage: str, drive: drv.Drive,
          on_confirmed: Callable[[str], Any] | None = None) -> Any:
    """The preflight as a step shows it: the confirmation panel where a person can click and some subreddit waits,
    else the table (and, when some subreddit waits, how to confirm it)."""
    if pf.unconfirmed and can_click():  # a click writes on Drive at once (Confirmations.record, compare-and-swap)
        return RulesPanel(pf, book, stage, None, on_confirmed).widget
    if pf.unconfirmed:
        print(how_to_confirm(pf, stage))
    return pf.table

