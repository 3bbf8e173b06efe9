"""Stage 06, quality filters: GPT-2's known failure modes, each a named rejection reason.

A reply is rejected when it parrots its comment or the post title (ssi-bot's 0.95-similar-to-an-ancestor rule),
repeats itself, stopped unfinished, is too short, names a user or subreddit, says what the bot already posted recently
(a bot that writes "This comment is great." everywhere is a spam bot), or, optionally, scores as toxic. Every check is
a pure function of the text that returns a reason or None; ``apply_filters`` runs them over 06's candidate frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from difflib import SequenceMatcher
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd

from .errors import ConfigError, InputError

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
MENTION = re.compile(r"(?<![\w/])/?[ru]/[A-Za-z0-9_-]{3,}", re.IGNORECASE)
MARKER_FRAGMENT = re.compile(r"<\||\|>|endoftext|startoftext|\[SEP\]", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?…)\]\"'*:;~^]\s*$|[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*$")
POSTED_STATUSES = ("posted",)  # the ledger's statuses whose body reached Reddit

# (texts) -> {label: [score per text]}: Detoxify's predict() shape; any local classifier can stand in.
ToxicityScorer = Callable[[list[str]], dict[str, Sequence[float]]]


@dataclass(frozen=True)
class FilterSettings:
    """06's filter parameters; the defaults are the notebook's."""

    parrot_threshold: float = 0.9  # similarity to the comment or title at or above which a reply is a parrot
    max_repeated_trigrams: float = 0.3  # share of a reply's word trigrams that repeat an earlier one
    max_word_run: int = 3  # the same word more times in a row than this is repetition
    min_words: int = 2  # fewer words than this is too_short
    unfinished_min_words: int = 40  # no generation_ended: a reply this long without a sentence end was cut
    allow_mentions: bool = False  # u/name and r/name are rejected unless allowed
    repeat_window_days: float = 30.0  # posted_before looks this far back in the ledger
    posted_before_threshold: float = 0.9  # similarity to an earlier posted reply at or above which it is a repeat
    toxicity_thresholds: dict[str, float] = field(default_factory=dict)  # {label: max score}; empty: no check

    def __post_init__(self):
        for name in ("parrot_threshold", "max_repeated_trigrams", "posted_before_threshold"):
            if not 0.0 <= float(getattr(self, name)) <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1, not {getattr(self, name)!r}")
        for name in ("max_word_run", "min_words", "unfinished_min_words", "repeat_window_days"):
            if float(getattr(self, name)) < 0:
                raise ConfigError(f"{name} must be >= 0, not {getattr(self, name)!r}")
        if not isinstance(self.toxicity_thresholds, dict):
            raise ConfigError(f"toxicity_thresholds must be a dict {{label: threshold}}, not "
                              f"{type(self.toxicity_thresholds).__name__}")


def words(text: str) -> list[str]:
    """Lower-cased words, punctuation dropped: what the similarity and repetition checks compare."""
    return WORD.findall(str(text).lower())


def ngrams(tokens: Sequence[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]


def similarity(reply: str, source: str) -> float:
    """0..1: the larger of the normalised edit ratio and the share of the reply's word trigrams copied from source.

    The ratio catches copies with changed case, punctuation or a word; the containment catches a reply that quotes
    one sentence of a long comment (whose ratio to the whole comment is low)."""
    a, b = words(reply), words(source)
    if not a or not b:
        return 0.0
    grams, source_grams = ngrams(a, 3), set(ngrams(b, 3))
    contained = sum(g in source_grams for g in grams) / len(grams) if grams else 0.0
    sm = SequenceMatcher(None, " ".join(a), " ".join(b), autojunk=False)
    # real_quick_ratio() and quick_ratio() are upper bounds of ratio(): skip the slow part
    if sm.real_quick_ratio() <= contained or sm.quick_ratio() <= contained:
        return contained
    return max(sm.ratio(), contained)


def parrot_reason(reply: str, sources: Iterable[str], threshold: float = 0.9) -> str | None:
    return "parrot" if any(similarity(reply, s) >= threshold for s in sources if s) else None


def repetition_reason(reply: str, max_share: float = 0.3, max_run: int = 3) -> str | None:
    toks = words(reply)
    run = 1
    for prev, cur in zip(toks, toks[1:]):
        run = run + 1 if cur == prev else 1
        if run > max_run:
            return "repetition"
    grams = ngrams(toks, 3)
    if grams and (len(grams) - len(set(grams))) / len(grams) > max_share:
        return "repetition"
    return None


def unfinished_reason(reply: str, min_words: int = 40, ended: bool | None = None) -> str | None:
    """Marker fragments left in the text, or cut at the length limit: known (``ended`` False) or, when unknown,
    a long reply with no sentence end."""
    if MARKER_FRAGMENT.search(reply) or ended is False:
        return "unfinished"
    if ended is None and len(words(reply)) >= min_words and not SENTENCE_END.search(reply):
        return "unfinished"
    return None


def ended_flag(value, row: object = None) -> bool | None:
    """A ``generation_ended`` cell as the unfinished filter reads it: True/False (also "true"/"1"/"0" from a CSV),
    None when unknown (empty: a file written before the engine recorded it, so the text heuristic decides)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip().lower()
    if text in ("", "nan", "none"):
        return None
    if text in ("true", "1", "1.0"):
        return True
    if text in ("false", "0", "0.0"):
        return False
    raise InputError(f"generation_ended{'' if row is None else f' of row {row}'} must be True, False or empty, "
                     f"not {value!r}")


def too_short_reason(reply: str, min_words: int = 2) -> str | None:
    return "too_short" if len(words(reply)) < min_words else None


def mention_reason(reply: str, allow: bool = False) -> str | None:
    return "mention" if not allow and MENTION.search(reply) else None


def posted_before_reason(reply: str, posted: Iterable[str], threshold: float = 0.9) -> str | None:
    return "posted_before" if any(similarity(reply, p) >= threshold for p in posted) else None


def recent_posts(ledger: str | Path, window_days: float = 30.0, now: datetime | None = None) -> list[str]:
    """Bodies the bot posted within ``window_days`` (the ledger's ``posted`` events); none when there is no ledger."""
    path = Path(ledger)
    if not path.exists():
        return []
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in ("event_at", "status", "body") if c not in df.columns]
    if missing:
        raise InputError(f"posting ledger lacks column(s) {missing}", file=path)
    at = pd.to_datetime(df["event_at"], utc=True, errors="coerce", format="ISO8601")
    bad = at.isna() & (df["status"].isin(POSTED_STATUSES))
    if bad.any():
        raise InputError(f"event_at is not an ISO 8601 time: {df.loc[bad, 'event_at'].iloc[0]!r}", file=path,
                         row=int(bad.idxmax()) + 1)
    since = (now or datetime.now(timezone.utc)) - timedelta(days=float(window_days))
    keep = df["status"].isin(POSTED_STATUSES) & (at >= since) & (df["body"].str.strip() != "")
    return df.loc[keep, "body"].tolist()


def text_reason(reply: str, comment: str = "", title: str = "", settings: FilterSettings = FilterSettings(),
                posted: Sequence[str] = (), ended: bool | None = None) -> str | None:
    """The first filter a reply fails, or None: also usable on a hand-edited reply before it is posted."""
    s = settings
    return (unfinished_reason(reply, s.unfinished_min_words, ended) or too_short_reason(reply, s.min_words)
            or mention_reason(reply, s.allow_mentions)
            or repetition_reason(reply, s.max_repeated_trigrams, s.max_word_run)
            or parrot_reason(reply, (comment, title), s.parrot_threshold)
            or posted_before_reason(reply, posted, s.posted_before_threshold))


def toxicity_reasons(texts: list[str], scorer: ToxicityScorer, thresholds: dict[str, float]) -> list[str | None]:
    """``toxicity:<label>`` for the first label whose score reaches its threshold."""
    if not texts or not thresholds:
        return [None] * len(texts)
    scores = scorer(list(texts))
    unknown = sorted(set(thresholds) - set(scores))
    if unknown:
        raise ConfigError(f"toxicity_thresholds name label(s) {unknown} the scorer does not give "
                         f"(it gives {sorted(scores)})")
    out: list[str | None] = []
    for i in range(len(texts)):
        hit = next((lab for lab, t in thresholds.items() if float(scores[lab][i]) >= float(t)), None)
        out.append(f"toxicity:{hit}" if hit else None)
    return out


def apply_filters(df: pd.DataFrame, settings: FilterSettings = FilterSettings(), posted: Sequence[str] = (),
                  toxicity: ToxicityScorer | None = None, reply_col: str = "proposed_reply") -> pd.DataFrame:
    """Adds ``quality_flags`` (the first filter each candidate fails, "" if none) and fills ``rejected`` with it for
    candidates no earlier rule rejected. Toxicity is scored only for candidates still allowed."""
    out = df.copy()
    if "rejected" not in out.columns:
        out["rejected"] = ""
    out["rejected"] = out["rejected"].fillna("").astype(str)
    col = lambda c: out[c].fillna("").astype(str) if c in out.columns else pd.Series("", index=out.index)  # noqa
    # the engine's record of whether each sample reached its end marker beats the text heuristic; old files lack it
    ended = out["generation_ended"] if "generation_ended" in out.columns else pd.Series(None, index=out.index)
    flags = [text_reason(r, c, t, settings, posted, ended_flag(e, row=i))
             for i, r, c, t, e in zip(out.index, col(reply_col), col("comment"), col("title"), ended)]
    out["quality_flags"] = [f or "" for f in flags]
    free = (out["rejected"] == "") & (out["quality_flags"] == "")
    if toxicity is not None and settings.toxicity_thresholds and free.any():
        tox = toxicity_reasons(col(reply_col)[free].tolist(), toxicity, settings.toxicity_thresholds)
        out.loc[free, "quality_flags"] = [t or "" for t in tox]
    take = (out["rejected"] == "") & (out["quality_flags"] != "")
    out.loc[take, "rejected"] = out.loc[take, "quality_flags"]
    return out


def first_repeat(replies: Sequence[str], threshold: float = 0.9) -> int | None:
    """Index of the first reply (in the order given) the same or nearly the same as an earlier one: one run must not
    choose one text for several posts (posted_before only sees what the ledger has)."""
    for i in range(1, len(replies)):
        if any(similarity(replies[i], replies[j]) >= threshold for j in range(i)):
            return i
    return None


def rejected_by_post(filtered: pd.DataFrame) -> pd.Series:
    """Per post_id, why its other candidates were rejected, e.g. "parrot: 2; too_short: 1" (for the review sheet)."""
    rej = filtered[filtered["rejected"].fillna("") != ""]
    reasons = rej["rejected"].str.replace(r"^not scored: .*", "not scored", regex=True)
    return reasons.groupby(rej["post_id"].astype(str)).agg(
        lambda s: "; ".join(f"{k}: {v}" for k, v in s.value_counts().items()))
