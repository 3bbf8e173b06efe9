"""Where files live: the Drive root every notebook reads and writes (see drive_layout.md), and atomic writes.

Three backends share one interface:
- ``local``: a plain folder (default ``./drive``).
- ``colab``: Google Drive mounted by ``google.colab.drive``; a relative root goes under ``MyDrive``.
- ``gdrive``: headless Google Drive through pydrive2's fsspec ``GDriveFileSystem``. Files are synced down to a local
  cache before a notebook reads them (``pull``) and up after it writes them (``push``).

Writes are atomic (helpers.files).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .files import atomic_write

# ---- File names on the Drive root (the contract documented in drive_layout.md) ----------------------------------
RAW_DIR = "raw"  # raw/<source>/...: one file per pulled month or input file
RAW_BIGQUERY = "raw/bigquery"  # 00: one <YYYY_MM>.csv per month, saved as it arrives (a re-run skips saved months)
RAW_REDDIT = "raw/reddit"  # 00: <sub>/<post_id>.csv, one per post, saved as it is pulled
RAW_ARCTIC_SHIFT = "raw/arctic_shift"  # 00: <sub>/<month>_submissions|_comments.ndjson, saved per month
RAW_PUSHSHIFT = "raw/pushshift/pairs.csv"  # 00: the pairs joined from the Pushshift dump files
GPT2_FINETUNE = "gpt2_finetune.csv"
GPT2_GENERATE = "gpt2_generate.csv"
BERT_GAN_REAL = "bert_gan_real.csv"
BERT_GAN_FAKE_GLOB = "bert_gan_fake_*.csv"
BERT_GAN_FAKE = "bert_gan_fake_{:04d}.csv"  # 02 -> 03: chunk k of the GPT-2 fakes
BERT_GAN_FAKE_SIGNATURE = "bert_gan_fake_signature.json"  # 02: the checkpoint and settings the chunks were written with
DATA_SUMMARY = "data_summary.json"
CHECKPOINT_DIR = "checkpoint"  # checkpoint/<run_name>: gpt-2-simple's layout
GPT2_MODELS = "models/gpt2"  # models/gpt2/<name>: GPT-2 bases (tiny built by 01; 124M/355M downloaded)
GPT2_METRICS = "metrics/gpt2_finetune.json"  # 01: losses before/after, validation loss
GPT2_LOSS_PNG = "metrics/gpt2_loss.png"  # 01: training loss curve
GPT2_SAMPLES_DIR = "samples"  # samples/<run_name>/samples-<step>: 01's sample_every output
MODELS_DIR = "models"  # models/gpt2/<name>, models/bert_base/<name>, models/bert_realism, models/bert_upvote
METRICS_DIR = "metrics"  # JSON metrics and PNG figures per stage
BERT_BASE_DIR = "models/bert_base"  # 03/04: bert_base/tiny, the small BERT base built from the corpus (shared)
BERT_REALISM = "models/bert_realism"  # 03 -> 06: keras-hub preset of the real-vs-fake classifier
BERT_UPVOTE = "models/bert_upvote"  # 04 -> 06: keras-hub preset of the 4-bin upvote classifier
REALISM_METRICS = "metrics/realism_metrics.json"  # 03: the seed's metrics on the test split
REALISM_ROC = "metrics/realism_roc.png"  # 03
UPVOTE_METRICS = "metrics/upvote_metrics.json"  # 04: macro AUC, per-bin AUC, confusion, pairwise accuracy
UPVOTE_ROC = "metrics/upvote_roc.png"  # 04: one ROC curve per rating bin
UPVOTE_CONFUSION = "metrics/upvote_confusion.png"  # 04
LIVE_DIR = "live"  # proposed replies, score predictions, review sheets, the posting ledger
PROPOSED_REPLIES = "live/proposed_replies_{date}.csv"  # 05 -> 06; {date} is the run date YYYY-MM-DD (UTC)
FETCH_SUMMARY = "live/fetch_summary_{date}.json"  # 05: posts seen, comments kept, drops by reason, candidates
REPLY_SCORES = "live/reply_score_predictions_{date}.csv"  # 06
REVIEW_SHEET = "live/review_{date}.csv"  # 06: chosen reply per post, runner-ups, scores, `approved`
REVIEW_BACKUP = "live/review_{date}.bak.csv"  # 06: the sheet as the person left it, kept before 06 rewrites it
WOULD_POST = "live/would_post_{date}.csv"  # 06: a run's posting results (what a dry run would post)
POSTING_LEDGER = "live/posting_ledger.csv"  # 06: append-only posting events; never post twice
POSTING_LEASE = "live/posting_lease.json"  # 06/07: who holds the posting lock, until when (while posting)
PREFLIGHT = "live/preflight_{date}.json"  # 05/06/07: the account and each subreddit checked before live work (latest)
RULES_CONFIRMED = "live/rules_confirmed.json"  # people -> 05/06/07: subreddits whose rules a person read (hash)
OPTOUTS = "live/optouts.json"  # 05: people who asked the bot to stop; never answered again (05, 06 read it)
INBOX_LOG = "live/inbox_log.csv"  # 05/06: one event per inbox item decided (skipped, posted, rejected); then read
HOLDS = "live/holds.json"  # 07 -> 06: subreddits (or the whole account) where posting stopped after trouble
QUALITY_METRICS = "metrics/quality_{date}.json"  # 06: reply quality of candidates/selected/real, lift
EVALUATE_QUALITY = "metrics/evaluate_quality_{date}.json"  # python -m helpers evaluate: the same, offline
FAKES_QUALITY = "metrics/fakes_quality.json"  # 02: the quality of the fakes vs real replies
OUTCOME_HISTORY = "live/outcome_history.csv"  # 07: one row per posted reply per check (score, replies, state)
OUTCOMES = "live/outcomes.csv"  # 07: latest check per posted reply, joined with what the models predicted
OUTCOME_METRICS = "metrics/outcome_metrics.json"  # 07: fraction upvoted, confusion, per subreddit / week
OUTCOME_CONFUSION = "metrics/outcome_confusion.png"  # 07: actual vs predicted upvote bin
OUTCOME_CALIBRATION = "metrics/outcome_calibration.png"  # 07: predicted P(score >= 2) vs observed
OUTCOME_GROWTH = "metrics/outcome_growth.png"  # 07: each reply's score over the checks
ADVERSARIAL_DIR = "adversarial"  # 08: adversarial/round_NN_fakes.csv, fresh fakes of each refresh round
ADVERSARIAL_FAKES = "adversarial/round_{:02d}_fakes.csv"  # 08: round k's fakes (train comments + held-out test ones)
ADVERSARIAL_MODEL = "models/bert_realism_refreshed"  # 08: the realism classifier after the last finished round
ADVERSARIAL_ROUNDS = "metrics/adversarial_rounds.csv"  # 08: one row per round: AUC on its fakes before/after
ADVERSARIAL_JSON = "metrics/adversarial_rounds.json"  # 08: the same rows plus the run's settings
ADVERSARIAL_PNG = "metrics/adversarial_auc.png"  # 08: AUC before/after per round
GENERATOR_ROUNDS = "metrics/generator_rounds.csv"  # generator rounds: one row per round (run_name, base, accepted)
GENERATOR_ROUNDS_DIR = "generator_rounds"  # 09: generator_rounds/round_NN/: candidates, training set, fine-tune record
GENERATOR_ROUNDS_PNG = "metrics/generator_rounds.png"  # 09: held-out vs choosing judge, distinct-2, test loss per round
EXECUTED_DIR = "executed"  # papermill's executed copies of the notebooks
MANIFEST_DIR = "manifests"  # one JSON per stage: inputs' and outputs' fingerprints and parameters
REPORT_HTML = "report.html"

COLAB_MOUNT = "/content/drive"


@dataclass
class Drive:
    """A run's Drive root. ``root`` is always a local path; for ``gdrive`` it is the sync cache."""

    root: Path
    backend: str = "local"
    remote: str | None = None  # gdrive: the remote folder ("root/bot" or a folder id)
    fs: Any = field(default=None, repr=False)  # gdrive: an fsspec filesystem (GDriveFileSystem, or any in tests)

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def rel(self, path: Path | str) -> str:
        return Path(path).resolve().relative_to(self.root.resolve()).as_posix()

    def glob(self, pattern: str) -> list[Path]:
        return sorted(self.root.glob(pattern))

    def _remote(self, rel: str) -> str:
        return f"{self.remote.rstrip('/')}/{rel}" if rel else self.remote.rstrip("/")

    def pull(self, *rels: str) -> list[str]:
        """Bring remote files/folders (relative paths or globs) into the local cache; no-op unless gdrive."""
        if self.backend != "gdrive":
            return []
        got = []
        for rel in rels:
            for remote_path in self.fs.glob(self._remote(rel)) or []:
                sub = remote_path[len(self.remote.rstrip("/")) + 1:]
                if self.fs.isdir(remote_path):
                    for f in self.fs.find(remote_path):
                        got.append(self._download(f[len(self.remote.rstrip("/")) + 1:]))
                else:
                    got.append(self._download(sub))
        return got

    def listdir(self, rel: str) -> list[str]:
        """Names of the folders directly under rel: the remote ones for gdrive (a folder not pulled yet counts)."""
        if self.backend != "gdrive":
            return sorted(p.name for p in self.path(rel).glob("*") if p.is_dir())
        if not self.fs.exists(self._remote(rel)):
            return []
        return sorted(Path(e["name"]).name for e in self.fs.ls(self._remote(rel), detail=True)
                      if e.get("type") == "directory")

    def _download(self, rel: str) -> str:
        local = self.path(rel)
        local.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(local, "wb") as out, self.fs.open(self._remote(rel), "rb") as src:
            shutil.copyfileobj(src, out)
        return rel

    def push_path(self, path: Path | str) -> list[str]:
        """Upload one file the moment it is written (02's chunks, 08's rounds): a disconnect loses no finished work."""
        return self.push(self.rel(path))

    def remove(self, path: Path | str) -> None:
        """Delete a file here and, for gdrive, remotely too: a stale file left remotely would be pulled back."""
        Path(path).unlink(missing_ok=True)
        if self.backend == "gdrive" and self.fs.exists(self._remote(self.rel(path))):
            self.fs.rm(self._remote(self.rel(path)))

    def push(self, *rels: str) -> list[str]:
        """Upload local files/folders (relative paths or globs) to the remote folder; no-op unless gdrive."""
        if self.backend != "gdrive":
            return []
        sent = []
        for rel in rels:
            for local in sorted(self.root.glob(rel)):
                files = [p for p in local.rglob("*") if p.is_file()] if local.is_dir() else [local]
                for f in files:
                    r = self.rel(f)
                    self.fs.makedirs(self._remote(str(Path(r).parent)).rstrip("/."), exist_ok=True)
                    with open(f, "rb") as src, self.fs.open(self._remote(r), "wb") as dst:
                        shutil.copyfileobj(src, dst)
                    sent.append(r)
        return sent


DAY = r"\d{4}-\d{2}-\d{2}"  # what {date} stands for in the dated names above (the run's UTC day)


def dated_name(dated: str) -> re.Pattern:
    """The file names of a dated name ('review_{date}.csv'), the day captured; nothing else matches."""
    return re.compile(re.escape(Path(dated).name).replace(re.escape("{date}"), f"({DAY})") + "$")


def latest(root: str | os.PathLike, dated: str) -> Path | None:
    """The newest run's file of a dated name (e.g. REVIEW_SHEET, 'live/review_{date}.csv'): only names whose {date}
    is a real YYYY-MM-DD, so 06's review_<date>.bak.csv and other prefixes never count."""
    pat = dated_name(dated)
    found = sorted(p for p in Path(root, dated).parent.glob("*") if pat.match(p.name))
    return found[-1] if found else None


def day_of(path: Path, dated: str) -> str:
    """The YYYY-MM-DD a file of a dated name was written for."""
    m = dated_name(dated).match(Path(path).name)
    if not m:
        raise ValueError(f"{path} is not a {dated} file")
    return m.group(1)


def in_colab() -> bool:
    return "google.colab" in sys.modules


def open_drive(
    root: str | os.PathLike = "drive",
    backend: str = "auto",
    gdrive_folder: str = "",
    fs: Any = None,
    service_account_json: str = "",
) -> Drive:
    """Resolve the Drive root for this runtime and create it. ``backend``: auto | local | colab | gdrive."""
    if backend == "auto":
        backend = "gdrive" if gdrive_folder else ("colab" if in_colab() else "local")
    if backend == "local":
        path = Path(root).expanduser()
    elif backend == "colab":
        from google.colab import drive as colab_drive  # only importable in Colab

        if not Path(COLAB_MOUNT, "MyDrive").exists():
            colab_drive.mount(COLAB_MOUNT)
        path = Path(root) if Path(root).is_absolute() else Path(COLAB_MOUNT, "MyDrive", root)
    elif backend == "gdrive":
        if not gdrive_folder:
            raise ConfigError("backend 'gdrive' needs gdrive_folder (e.g. 'root/reddit_bot' or a folder id)")
        fs = fs if fs is not None else _gdrive_fs(gdrive_folder, service_account_json)
        path = Path(root).expanduser()
        path.mkdir(parents=True, exist_ok=True)
        fs.makedirs(gdrive_folder, exist_ok=True)
        return Drive(root=path.resolve(), backend="gdrive", remote=gdrive_folder, fs=fs)
    else:
        raise ConfigError(f"drive_backend must be auto, local, colab or gdrive, not {backend!r}")
    path.mkdir(parents=True, exist_ok=True)
    return Drive(root=path.resolve(), backend=backend)


def _gdrive_fs(folder: str, service_account_json: str = ""):
    """pydrive2's fsspec filesystem; credentials from a service-account file or saved OAuth settings, never literals."""
    from pydrive2.fs import GDriveFileSystem

    key_file = service_account_json or os.environ.get("GDRIVE_SERVICE_ACCOUNT_JSON", "")
    if key_file:
        return GDriveFileSystem(folder, use_service_account=True, client_json_file_path=key_file)
    client_id = os.environ.get("GDRIVE_CLIENT_ID")
    client_secret = os.environ.get("GDRIVE_CLIENT_SECRET")
    if not (client_id and client_secret):
        raise ConfigError(
            "gdrive backend needs credentials: set GDRIVE_SERVICE_ACCOUNT_JSON (a service-account key file) or "
            "GDRIVE_CLIENT_ID and GDRIVE_CLIENT_SECRET (OAuth; the token is saved after the first login)"
        )
    return GDriveFileSystem(folder, client_id=client_id, client_secret=client_secret)
