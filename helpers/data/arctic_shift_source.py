"""Source ``arctic_shift``: posts and comments of each subreddit and month from the Arctic Shift archive API.

Arctic Shift (https://github.com/ArthurHeitmann/arctic_shift) took over Pushshift's role for researchers. Its search
endpoints answer ``{"data": [...]}``, at most 100 records a page; pages are walked oldest first by ``created_utc``.
Requests are paced (``request_interval_s``) and retried with backoff on 429, 5xx, timeouts and cut answers. Each
(subreddit, month, kind) is saved as ``raw/arctic_shift/<sub>/<month>_submissions.ndjson`` / ``_comments.ndjson``
once complete (atomically), so a re-run skips it; the files are then paired by ``pushshift_source.read_dumps``, the
same code that pairs dump files.

Only fields the API README lists as selectable are asked for (an unknown one is a 400 from the service): a post's
``permalink`` is not among them and is built from its id. A 400 names the parameter the service rejected.
``subreddit_rules`` reads the archive's copy of communities' rules (``/api/subreddits/rules``, no Reddit API access
needed), for the preflight where Reddit has not approved the app yet.
"""

from __future__ import annotations

import calendar
import json
import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from ..contract import default
from ..errors import ConfigError, StageError

BASE_URL = default("arctic_shift_url", "00")  # https://arctic-shift.photon-reddit.com
ENDPOINTS = {"submissions": "/api/posts/search", "comments": "/api/comments/search"}
FIELDS = {"submissions": "id,subreddit,author,score,created_utc,title,selftext",  # permalink: not selectable
          "comments": "id,subreddit,author,score,created_utc,body,link_id,parent_id"}
RULES_ENDPOINT = "/api/subreddits/rules"
PAGE = 100  # the service's maximum


@dataclass
class Window:
    """A span [start, end) of one month (or part of one), named as its files are."""

    name: str
    start: int
    end: int


def month_windows(months: Iterable[str] = tuple(default("months", "00")), after: str = default("after", "00"),
                  before: str = default("before", "00")) -> list[Window]:
    """Windows from "YYYY_MM" months, or from ``after``/``before`` dates (YYYY-MM-DD) cut at month boundaries."""
    if after or before:
        try:
            a, b = (datetime.strptime(x, "%Y-%m-%d").replace(tzinfo=timezone.utc) for x in (after, before))
        except ValueError:
            raise ConfigError(f"after and before must both be YYYY-MM-DD dates, got {after!r} and {before!r}") from None
        if a >= b:
            raise ConfigError(f"after ({after}) must be before before ({before})")
        out, cur = [], a
        while cur < b:
            nxt = datetime(cur.year + cur.month // 12, cur.month % 12 + 1, 1, tzinfo=timezone.utc)
            end = min(nxt, b)
            whole = cur.day == 1 and end == nxt
            name = f"{cur:%Y_%m}" if whole else f"{cur:%Y-%m-%d}_{end:%Y-%m-%d}"
            out.append(Window(name, int(cur.timestamp()), int(end.timestamp())))
            cur = end
        return out
    out = []
    for m in months:
        try:
            y, mo = (int(x) for x in str(m).split("_"))
            start = date(y, mo, 1)
        except ValueError:
            raise ConfigError(f"months must be 'YYYY_MM' strings, got {m!r}") from None
        days = calendar.monthrange(y, mo)[1]
        s = int(datetime(y, mo, 1, tzinfo=timezone.utc).timestamp())
        out.append(Window(f"{start:%Y_%m}", s, s + days * 86400))
    if not out:
        raise ConfigError("source 'arctic_shift' needs months (e.g. ['2024_01']) or after/before dates")
    return out


@dataclass
class Client:
    """Polite GETs: at most one request per ``interval_s``, retries with exponential backoff, then a clear error."""

    base_url: str = BASE_URL
    interval_s: float = default("arctic_shift_interval_s", "00")
    retries: int = 5
    backoff_s: float = 2.0
    timeout_s: float = 60.0
    page_size: int = PAGE
    sleep: Callable[[float], Any] = time.sleep
    requests_made: int = 0
    retried: dict = field(default_factory=dict)
    _last: float = 0.0

    def get(self, path: str, params: dict) -> list[dict]:
        import requests

        last = ""
        for attempt in range(self.retries + 1):
            wait = self.interval_s - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()
            self.requests_made += 1
            retry_after = 0.0
            try:
                r = requests.get(self.base_url.rstrip("/") + path, params=params, timeout=self.timeout_s)
                if r.status_code == 429 or r.status_code >= 500:
                    last, retry_after = f"HTTP {r.status_code}", float(r.headers.get("Retry-After") or 0)
                elif r.status_code == 400:
                    raise StageError(rejected(path, params, r.text))
                elif r.status_code != 200:
                    raise StageError(f"Arctic Shift {path} answered HTTP {r.status_code}: {r.text[:200]}")
                else:
                    data = r.json()["data"]
                    if not isinstance(data, list):
                        raise ValueError("'data' is not a list")
                    return data
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as e:
                last = type(e).__name__
            except (ValueError, KeyError, TypeError) as e:  # a cut or malformed body
                last = f"unreadable answer ({type(e).__name__})"
            self.retried[last] = self.retried.get(last, 0) + 1
            if attempt < self.retries:
                self.sleep(max(retry_after, self.backoff_s * 2**attempt))
        raise StageError(f"Arctic Shift at {self.base_url} did not answer {path} after {self.retries + 1} tries "
                         f"(last: {last}); the service may be down. Months already saved are kept: re-run later "
                         "to resume")


def rejected(path: str, params: dict, body: str) -> str:
    """A 400's message naming the parameter (and value) the service refused, found in its error text."""
    try:
        msg = str(json.loads(body).get("error", body))
    except (ValueError, AttributeError):
        msg = body
    msg = msg[:200]
    named = [k for k in params if k in msg]
    named += [f"{k}={part}" for k, v in params.items() for part in str(v).split(",")
              if len(part) > 2 and part in msg and k not in named]
    which = ", ".join(named) if named else "one of " + ", ".join(params)
    return (f"Arctic Shift refused the request to {path} (HTTP 400: {msg}); rejected parameter: {which}. The API "
            "takes only the fields its README lists as selectable")


def subreddit_rules(client: Client, subreddit: str) -> list[dict]:
    """The archive's copy of a subreddit's rules (short_name, description, violation_reason); an error when the
    archive does not know the subreddit, so the preflight refuses it rather than assume it has no rules."""
    data = client.get(RULES_ENDPOINT, {"subreddits": subreddit})
    for entry in data:
        if str(entry.get("subreddit", "")).lower() == subreddit.lower():
            return list(entry.get("rules") or [])
    raise LookupError(f"Arctic Shift has no rules for r/{subreddit}")


def fetch_window(client: Client, kind: str, subreddit: str, w: Window, on_page: Callable[[int], Any] = lambda n: None
                 ) -> list[dict]:
    """Every record of one kind, subreddit and window, oldest first. A page ends on a second that may continue on
    the next page, so each page starts one second before the last one's end and already-seen ids are skipped."""
    seen: set[str] = set()
    out: list[dict] = []
    after = w.start - 1
    while True:
        page = client.get(ENDPOINTS[kind], {"subreddit": subreddit, "after": after, "before": w.end,
                                            "limit": client.page_size,
                                            "sort": "asc", "fields": FIELDS[kind]})
        fresh = [r for r in page
                 if str(r.get("id")) not in seen and w.start <= float(r.get("created_utc") or 0) < w.end]
        if kind == "submissions":  # not a selectable field: built from the id, as Reddit forms it
            for r in fresh:
                r.setdefault("permalink", f"/r/{r.get('subreddit') or subreddit}/comments/{r.get('id')}/")
        on_page(len(fresh))
        for r in fresh:
            seen.add(str(r.get("id")))
        out.extend(fresh)
        if len(page) < client.page_size:
            return out
        last = int(max(float(r.get("created_utc") or 0) for r in page))
        after = last - 1 if fresh and last - 1 > after else last  # a full page of one second: move past it
        if after >= w.end - 1:
            return out


def window_path(out_dir: str | Path, subreddit: str, w: Window, kind: str) -> Path:
    return Path(out_dir) / subreddit.lower() / f"{w.name}_{kind}.ndjson"


def write_ndjson(records: list[dict], path: Path) -> None:
    """Atomically: a file that exists is a complete window."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def pull(client: Client, subreddits: Iterable[str], windows: list[Window], out_dir: str | Path,
         on_saved: Callable[[Path], object] | None = None, log: Callable[[str], Any] = print) -> list[Path]:
    """Fetch and save every (subreddit, window, kind) not saved yet; returns all their files."""
    from ..quiet import bar as progress

    paths = []
    jobs = [(s, w, k) for s in subreddits for w in windows for k in ("submissions", "comments")]
    with progress(total=len(jobs), desc="Arctic Shift", unit="file") as bar:
        for sub, w, kind in jobs:
            path = window_path(out_dir, sub, w, kind)
            if not path.exists():
                records = fetch_window(client, kind, sub, w,
                                       on_page=lambda n: bar.set_postfix(requests=client.requests_made))
                write_ndjson(records, path)
                log(f"r/{sub} {w.name} {kind}: {len(records)} saved to {path.name}")
                if on_saved is not None:
                    on_saved(path)
            paths.append(path)
            bar.update(1)
    return paths
