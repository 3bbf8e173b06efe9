"""Files on the Drive root: every write goes to a temporary file beside the target and is renamed into place, so a
killed run never leaves a half-written file that the next stage would read; reads name the file and what is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable, Iterator

import pandas as pd

from .errors import InputError


# ---- Atomic writes ------------------------------------------------------------------------------------------------
@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[Any]:
    """Open a temp file beside ``path``; on success fsync and rename it over ``path``, on error remove it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding, newline=None if "b" in mode else "") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; a finished file gets the usual permissions
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty temp folder beside ``path``; on success it replaces ``path`` whole (e.g. a saved model)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    try:
        yield tmp
        os.chmod(tmp, 0o777 & ~_umask())
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_csv(df: pd.DataFrame, path: str | os.PathLike, index: bool = False) -> Path:
    with atomic_write(path) as f:
        df.to_csv(f, index=index)
    return Path(path)


def write_json(obj: Any, path: str | os.PathLike) -> Path:
    with atomic_write(path) as f:
        json.dump(obj, f, indent=2, sort_keys=True, default=_json_default)
        f.write("\n")
    return Path(path)


def write_text(text: str, path: str | os.PathLike) -> Path:
    with atomic_write(path) as f:
        f.write(text)
    return Path(path)


def write_bytes(data: bytes, path: str | os.PathLike) -> Path:
    with atomic_write(path, "wb") as f:
        f.write(data)
    return Path(path)


def _json_default(o: Any) -> Any:
    if hasattr(o, "item"):  # numpy scalars
        return o.item()
    if hasattr(o, "tolist"):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def read_json(path: str | os.PathLike) -> Any:
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", file=path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON ({e.msg} at line {e.lineno})", file=path) from None


# ---- Checked reads of the files stages exchange -------------------------------------------------------------------
def read_csv(path: str | os.PathLike, required: Iterable[str] = (), hint: str = "") -> pd.DataFrame:
    """Read a CSV written by an earlier stage; a missing/empty file or missing columns is a clear InputError."""
    path = Path(path)
    hint = f" ({hint})" if hint else ""
    if not path.exists():
        raise InputError(f"file not found{hint}", file=path)
    if path.stat().st_size == 0:
        raise InputError(f"file is empty{hint}", file=path)
    try:
        df = pd.read_csv(path, keep_default_na=False, na_values=[""], encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text (byte {e.start})", file=path) from None
    except pd.errors.ParserError as e:
        raise InputError(f"not a readable CSV: {e}", file=path) from None
    except pd.errors.EmptyDataError:
        raise InputError(f"file has no header or rows{hint}", file=path) from None
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {missing}; found {list(df.columns)}{hint}", file=path)
    return df


def read_csvs(paths: Iterable[str | os.PathLike], required: Iterable[str] = (), hint: str = "") -> pd.DataFrame:
    """Concatenate several checked CSVs (e.g. the chunked bert_gan_fake_*.csv)."""
    frames = [read_csv(p, required, hint) for p in paths]
    if not frames:
        return pd.DataFrame(columns=list(required))
    return pd.concat(frames, ignore_index=True)
