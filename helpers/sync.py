"""Drive as the source of truth for the files people and other runs change under a running stage: the review sheet,
``live/holds.json``, the posting ledger, the opt-out list, the inbox log and the rules confirmations.

Why: a person approves or rejects on Drive while 06 scores, 07 adds a hold while 06 runs, another notebook writes the
same file. A copy read at the start of a run is stale by the time it is written back. So every such write here is a
*change applied to the file as it is now*, written by compare-and-swap:

1. read the file where it lives (gdrive: the remote, fetched afresh; local/colab: the file itself) and its revision
   (the md5 of its bytes, which is also what Google Drive reports as ``md5Checksum``);
2. apply the change to that content (the change is the merge: add my ledger rows, add or clear my holds, set my
   cells in the rows I decide — every other row as it is now);
3. write only if the revision is still the one read (under a machine-local file lock, so the runs and notebooks of
   one machine take turns); else say so, re-read and apply the change again.

One mechanism for every backend. The remaining window on gdrive (another machine writing between the final check and
the upload, a few milliseconds) is closed by reading back: a write that did not stick is applied again.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from .drive import Drive
from .errors import BotError
from .files import write_bytes

TRIES = 8


class DriveConflict(BotError):
    """A file kept changing under every attempt to write it."""


def revision_of(data: bytes | None) -> str:
    """The revision of a file's content ("" when there is no file)."""
    return "" if data is None else hashlib.md5(data).hexdigest()  # noqa: S324 - a change detector, Drive's checksum


def _remote(drive: Drive | None, path: Path) -> str | None:
    if drive is None or drive.backend != "gdrive":
        return None
    return f"{drive.remote.rstrip('/')}/{drive.rel(path)}"


def read(drive: Drive | None, path: str | Path) -> tuple[bytes | None, str]:
    """The file as it is on Drive now (None: there is none) and its revision; the gdrive cache copy is refreshed."""
    path = Path(path)
    remote = _remote(drive, path)
    if remote is None:
        data = path.read_bytes() if path.exists() else None
        return data, revision_of(data)
    data = drive.fs.cat_file(remote) if drive.fs.exists(remote) else None
    if data is None:
        path.unlink(missing_ok=True)
    elif not path.exists() or path.read_bytes() != data:
        write_bytes(data, path)
    return data, revision_of(data)


def current_revision(drive: Drive | None, path: str | Path) -> str:
    """The file's revision where it lives now, without fetching it where the backend tells it (gdrive's md5)."""
    path = Path(path)
    remote = _remote(drive, path)
    if remote is None:
        return revision_of(path.read_bytes() if path.exists() else None)
    return _remote_revision(drive, remote)


def _remote_revision(drive: Drive, remote: str) -> str:
    if not drive.fs.exists(remote):
        return ""
    info = drive.fs.info(remote)
    checksum = info.get("checksum") or info.get("md5Checksum")  # pydrive2 reports Drive's md5Checksum as checksum
    return str(checksum) if checksum else revision_of(drive.fs.cat_file(remote))


@contextlib.contextmanager
def machine_lock(path: str | Path) -> Iterator[None]:
    """Runs and notebooks on this machine take turns at one file (a lock outside the Drive folder: nothing to sync)."""
    from filelock import FileLock

    key = hashlib.sha1(str(Path(path).resolve()).encode()).hexdigest()[:20]  # noqa: S324 - a name, not security
    folder = Path(tempfile.gettempdir(), "reddit-bot-locks")
    folder.mkdir(parents=True, exist_ok=True)
    with FileLock(str(folder / f"{key}.lock"), timeout=120):
        yield


def swap(drive: Drive | None, path: str | Path, seen: str, data: bytes) -> bool:
    """Write ``data`` if the file's revision is still ``seen``; False (nothing written) if it changed."""
    path = Path(path)
    remote = _remote(drive, path)
    with machine_lock(path):
        if current_revision(drive, path) != seen:
            return False
        if remote is None:
            write_bytes(data, path)
            return True
        drive.fs.makedirs(remote.rsplit("/", 1)[0], exist_ok=True)
        drive.fs.pipe_file(remote, data)
        write_bytes(data, path)
        return drive.fs.cat_file(remote) == data  # another machine's upload landed over ours: apply ours again


def update(drive: Drive | None, path: str | Path, change: Callable[[bytes | None], bytes | None], what: str,
           tries: int = TRIES) -> bytes | None:
    """Apply ``change`` to the file as it is now and write the result by compare-and-swap; when the file changed in
    between, say so, re-read and apply the change again. ``change`` returns None (or the same bytes) for "nothing to
    write". Returns the content as written (or as found)."""
    path = Path(path)
    for _ in range(tries):
        data, seen = read(drive, path)
        new = change(data)
        if new is None or new == data:
            if current_revision(drive, path) == seen:  # nothing to write, and the change saw the file as it is
                return data
        elif swap(drive, path, seen, new):
            return new
        print(f"{path.name} changed on Drive while this run was writing it ({what}): re-read it and applied "
              "this run's change to the new content, row by row")
    raise DriveConflict(f"{path} changed on every one of {tries} attempts to write it ({what}); nothing of this "
                        "change was written: run the step again")
