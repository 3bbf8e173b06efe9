"""Which generator checkpoint samples replies: the newest accepted generator round, or one a person pinned.

Generator rounds fine-tune `checkpoint/<run_name>` into `checkpoint/<run_name>_g1`, `_g2`, ... and write one row per
finished round to `metrics/generator_rounds.csv` (round, run_name, base, accepted, reason). A round is accepted only
when a judge that did not choose its training data says it improved, so 05, 08 and `evaluate` take the newest
accepted round descended from `run_name` (parameter `generator = "auto"`) and say which; a rejected round's
checkpoint stays on Drive unused unless it is pinned by name. Deciding it in one place keeps the three in step.

This module is the rounds table's one owner: its columns, its reader (read_rounds; done_rounds for 09's resume) and
what "accepted" and "newest accepted" mean; 09 writes it (helpers.rounds.rounds_table), the report shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..drive import CHECKPOINT_DIR, GENERATOR_ROUNDS, Drive
from ..errors import ConfigError, InputError
from ..files import read_csv

AUTO = "auto"
KEY_COLUMNS = ["round", "run_name", "base", "accepted", "reason"]  # what every reader needs
# Every column 09 writes, in the table's order: a row is written only when its round has finished, so the rows
# present are the rounds a re-run never redoes.
ROUND_COLUMNS = [
    *KEY_COLUMNS, "verdict", "reward", "prompts", "candidates", "prompts_kept",
    "train_docs", "candidate_docs", "human_docs", "replay_docs", "replay_share",
    *(f"gold_{j}auc{a}{b}" for j in ("", "bert_") for a in ("_base", "", "_placebo", "_base_seed2")
      for b in ("", "_lo", "_hi")),
    *(f"gold_{j}gain_vs_{a}{b}" for j in ("", "bert_") for a in ("base", "placebo", "noise")
      for b in ("", "_lo", "_hi")),
    "gold_sd_diff", "gold_bert_sd_diff", "eval_n", "eval_n_needed",
    "choosing_prob_real_base", "choosing_prob_real", "choosing_prob_real_placebo", "choosing_gain_lo",
    "choosing_gain_hi", "choosing_expected_score_base", "choosing_expected_score", "choosing_expected_score_placebo",
    "heldout_judge", "heldout_prob_real_base", "heldout_prob_real", "heldout_prob_real_placebo", "heldout_gain_lo",
    "heldout_gain_hi", "pass_share_base", "pass_share", "pass_share_placebo", "diversity_replies",
    "distinct_2_base", "distinct_2", "distinct_2_placebo", "copy_share_base", "copy_share", "copy_share_placebo",
    "mean_words_base", "mean_words", "mean_words_placebo", "parrot_rate", "repetition_rate",
    "test_loss_ref", "test_loss_base", "test_loss", "test_loss_placebo",
    "adv_auc_newest", "seconds_generate", "seconds_finetune", "seconds_measure", "seconds"]
_TRUE, _FALSE = ("true", "1", "1.0", "yes"), ("false", "0", "0.0", "no", "")


@dataclass(frozen=True)
class Generator:
    """The checkpoint to sample from (`checkpoint/<run_name>`) and the one line that says why."""

    run_name: str
    line: str
    round: int | None = None  # the generator round that wrote it; None: not a round (01's run)
    accepted: bool | None = None


def accepted_flag(value) -> bool | None:
    """The rounds table's `accepted` cell as 05/08/09/evaluate and the report all read it (True/False as a CSV spells
    them); None when it is neither."""
    flag = str(value).strip().lower() if not (isinstance(value, float) and value != value) else ""
    return True if flag in _TRUE else False if flag in _FALSE else None


def read_rounds(root: str | Path) -> pd.DataFrame:
    """The rounds table (empty when no round has finished), `round` as int and `accepted` as bool; a bad cell is an
    InputError naming the file and row."""
    path = Path(root, GENERATOR_ROUNDS)
    if not path.exists():
        return pd.DataFrame(columns=KEY_COLUMNS)
    df = read_csv(path, required=KEY_COLUMNS, hint="written by the generator rounds stage")
    df = df.assign(run_name=df["run_name"].fillna("").astype(str).str.strip(),
                   base=df["base"].fillna("").astype(str).str.strip(), reason=df["reason"].fillna("").astype(str))
    rounds, accepted = [], []
    for i, (r, a, name) in enumerate(zip(df["round"], df["accepted"], df["run_name"]), start=1):
        flag = accepted_flag(a)
        number = pd.to_numeric(r, errors="coerce")
        if flag is None or not name or pd.isna(number) or not float(number).is_integer():
            raise InputError(f"needs a whole round number, a run_name and accepted True/False, not round={r!r}, "
                             f"run_name={name!r}, accepted={a!r}", file=path, row=i)
        rounds.append(int(number))
        accepted.append(flag)
    return df.assign(round=rounds, accepted=accepted).sort_values("round", kind="stable").reset_index(drop=True)


def done_rounds(root: str | Path) -> list[dict]:
    """The finished rounds' rows for 09's resume, in order; none when the table is missing. A gap or a repeated round
    is an InputError (run 09 with gr_restart=True)."""
    rows = read_rounds(root).to_dict("records")
    for i, row in enumerate(rows, 1):
        if row["round"] != i:
            raise InputError(f"row {i} is round {row['round']}, expected {i}; run 09 with gr_restart=True",
                             file=GENERATOR_ROUNDS)
    return rows


def newest_accepted(rows: list[dict], first: str) -> str:
    """The checkpoint 09's next round starts from: the newest accepted round's, else the first run's."""
    return next((str(r["run_name"]) for r in reversed(rows) if r["accepted"]), first)


def _rejected(row) -> str:
    return f"round {row['round']} rejected" + (f": {row['reason']}" if str(row["reason"]).strip() else "")


def resolve_generator(root: str | Path, run_name: str, generator: str = AUTO,
                      available: list[str] | None = None) -> Generator:
    """`generator` "auto": the newest accepted round descended from `run_name` (through accepted rounds only), else
    `run_name` itself; any other value pins that checkpoint folder (a rejected round too, said so). `available`: the
    checkpoint folders on Drive (default: those under root/checkpoint); a pinned or chosen name missing there is a
    ConfigError / InputError naming what exists."""
    generator = str(generator or AUTO).strip()
    table = read_rounds(root)
    have = sorted(available if available is not None else _local_checkpoints(root))
    where = f"{CHECKPOINT_DIR}/"
    if generator != AUTO:
        if generator not in have:
            raise ConfigError(f"parameter generator = {generator!r}: there is no {where}{generator}/ on Drive; "
                              f"checkpoints there: {', '.join(have) or 'none'} (or \"auto\")")
        row = table[table["run_name"] == generator].tail(1)
        if row.empty:
            return Generator(generator, f"generator: {where}{generator} (pinned by generator; not a generator round)")
        r = row.iloc[0]
        state = f"round {r['round']}, accepted" if r["accepted"] else _rejected(r).replace("rejected", "REJECTED", 1)
        return Generator(generator, f"generator: {where}{generator} (pinned by generator; {state})", int(r["round"]),
                         bool(r["accepted"]))
    reach, newest, later = {run_name}, None, []  # later: rounds rejected since the newest accepted one
    for _, r in table.iterrows():
        if r["base"] not in reach:
            continue
        if r["accepted"]:
            reach.add(r["run_name"])
            newest, later = r, []
        else:
            later.append(r)
    tail = "; ".join(_rejected(r) for r in later)
    if len(later) > 2:  # one line stays short: the rounds, and the last one's reason
        tail = f"rounds {', '.join(str(r['round']) for r in later)} rejected, the last: {later[-1]['reason'] or '?'}"
    if newest is None:
        why = tail or ("no generator round yet" if table.empty else f"no generator round descends from {run_name}")
        return Generator(run_name, f"generator: {where}{run_name} ({why})")
    name = newest["run_name"]
    if name not in have:
        raise InputError(f"round {newest['round']} was accepted as {where}{name}/, which is not on Drive "
                         f"(checkpoints: {', '.join(have) or 'none'}); restore it or pin another with parameter "
                         "generator", file=GENERATOR_ROUNDS)
    tail = f"; {tail}" if tail else ""
    return Generator(name, f"generator: {where}{name} (newest accepted round {newest['round']}{tail})",
                     int(newest["round"]), True)


def _local_checkpoints(root: str | Path) -> list[str]:
    folder = Path(root, CHECKPOINT_DIR)
    return [p.name for p in folder.iterdir() if (p / "hparams.json").exists()] if folder.exists() else []


def use_generator(drive: Drive, run_name: str, generator: str = AUTO) -> Generator:
    """Resolve on a stage's Drive (open_stage pulled the rounds table, `run_name` and a pinned checkpoint) and pull
    the round "auto" chose; on the gdrive backend the checkpoints listed are the remote ones. Prints the line."""
    names = drive.listdir(CHECKPOINT_DIR) if drive.backend == "gdrive" else None
    chosen = resolve_generator(drive.root, run_name, generator, available=names)
    if str(generator).strip() == AUTO and chosen.run_name != run_name:
        drive.pull(f"{CHECKPOINT_DIR}/{chosen.run_name}/**")
    print(chosen.line)
    return chosen
