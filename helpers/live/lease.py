"""One writer at a time on a Drive root: 06's posting phase and 07's history writes hold this lock.

- ``local`` backend: an OS file lock (filelock) on ``live/posting.lock``. The OS frees it when the holder dies, so a
  killed run never leaves a stale lock. ``live/posting_lease.json`` beside it only names the holder for the message.
- ``colab`` / ``gdrive`` backends: OS locks do not reach across machines, so the lock is a lease file on Drive,
  ``live/posting_lease.json`` (owner, host, pid, token, expiry, heartbeat). It is written, left to settle, read back
  and verified (our token) before anything is posted, renewed (heartbeat) on every ledger write, and removed at the
  end. A lease that expired without being removed (a killed runtime) is refused too, until it is broken explicitly
  (``break_lease``): a paused runtime may still be alive.

A run that finds the lock held waits for it (``lease_wait_s``, bounded; a line says for whom) instead of failing: four
runs started together post one after another, each what is still unposted.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from ..contract import default
from ..drive import POSTING_LEASE, Drive
from ..errors import BotError
from ..files import write_text

LOCK_FILE = "live/posting.lock"
LEASE_FILE = POSTING_LEASE


class LeaseHeld(BotError):
    """Another run holds the Drive root's posting lock (or took it over from this one)."""


def _utc(ts: float) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def describe(lease: dict | None) -> str:
    if not lease:
        return "an unknown holder (no lease file)"
    state = "expired" if float(lease.get("expires_ts", 0)) < time.time() else "expires"
    return (f"{lease.get('owner', '?')} on host {lease.get('host', '?')} pid {lease.get('pid', '?')}, since "
            f"{lease.get('acquired_at', '?')}, last heartbeat {lease.get('heartbeat_at', '?')}; the lease {state} "
            f"at {lease.get('expires_at', '?')}")


class Lease:
    """A held posting lock; ``heartbeat()`` verifies it is still ours and extends it."""

    def __init__(self, drive: Drive, owner: str, ttl_s: float, clock: Callable[[], float] = time.time):
        self.drive, self.owner, self.ttl_s, self.clock = drive, owner, float(ttl_s), clock
        self.token = uuid.uuid4().hex
        self.acquired_at = _utc(clock())

    @property
    def shared(self) -> bool:
        """True where the lease file itself is the lock (Drive seen from several machines)."""
        return self.drive.backend != "local"

    def record(self) -> dict:
        now = self.clock()
        return {"owner": self.owner, "host": socket.gethostname(), "pid": os.getpid(), "token": self.token,
                "acquired_at": self.acquired_at, "heartbeat_at": _utc(now), "expires_at": _utc(now + self.ttl_s),
                "expires_ts": now + self.ttl_s}

    def read(self) -> dict | None:
        """The lease on Drive now (for gdrive: fetched afresh, never the local cache's copy)."""
        local = self.drive.path(LEASE_FILE)
        if self.drive.backend == "gdrive":
            with contextlib.suppress(FileNotFoundError):
                local.unlink()
            self.drive.pull(LEASE_FILE)
        try:
            return json.loads(local.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {"owner": "unreadable lease file", "expires_ts": float("inf"), "expires_at": "never"}

    def write(self) -> None:
        write_text(json.dumps(self.record(), indent=2) + "\n", self.drive.path(LEASE_FILE))
        self.drive.push(LEASE_FILE)

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.drive.path(LEASE_FILE).unlink()
        if self.drive.backend == "gdrive":
            remote = f"{self.drive.remote.rstrip('/')}/{LEASE_FILE}"
            if self.drive.fs.exists(remote):
                self.drive.fs.rm(remote)

    def heartbeat(self) -> None:
        """Before each post and after each ledger write: still ours? then extend. Raises LeaseHeld if taken over."""
        if self.shared:
            now = self.read()
            if not now or now.get("token") != self.token:
                raise LeaseHeld(f"the posting lease on {self.drive.rel(self.drive.path(LEASE_FILE))} is no longer "
                                f"this run's (now held by {describe(now)}); stopped before posting more")
        self.write()


def _holder(lease: Lease, tries: int = 20) -> dict | None:
    """Who holds the OS lock: its lease file, which the holder writes just after taking the lock."""
    for _ in range(tries):
        held = lease.read()
        if held:
            return held
        time.sleep(0.05)
    return None


def _waiting(lease: dict | None, wait_s: float) -> None:
    print(f"waiting up to {wait_s:.0f} s for the posting lock, held by {describe(lease)} (lease_wait_s; 0: stop at "
          "once)", flush=True)


@contextlib.contextmanager
def posting_lock(drive: Drive, owner: str = "06", *, ttl_s: float = 900.0, break_lease: bool = default("break_lease"),
                 wait_s: float = default("lease_wait_s", "06"), settle_s: float = 2.0, poll_s: float = 5.0,
                 sleep: Callable[[float], Any] = time.sleep) -> Iterator[Lease]:
    """Hold the Drive root's posting lock for the block. Held by another run: wait up to ``wait_s`` seconds (a line
    says for whom) for it to finish, then raise LeaseHeld naming the holder and expiry (0: at once). A lease that
    expired unreleased is not waited for: only ``break_lease`` takes it over."""
    lease = Lease(drive, owner, ttl_s)
    where = drive.rel(drive.path(LEASE_FILE))
    if not lease.shared:
        from filelock import FileLock, Timeout

        drive.path(LOCK_FILE).parent.mkdir(parents=True, exist_ok=True)
        os_lock = FileLock(str(drive.path(LOCK_FILE)), timeout=0)
        try:
            os_lock.acquire()
        except Timeout:
            if wait_s > 0:
                _waiting(_holder(lease), wait_s)
            try:
                if wait_s <= 0:
                    raise
                os_lock.acquire(timeout=wait_s, poll_interval=min(poll_s, 0.2))
            except Timeout:
                waited = f" (waited {wait_s:.0f} s)" if wait_s > 0 else ""
                raise LeaseHeld(f"another run is posting from this Drive root: {describe(lease.read())} "
                                f"({where}){waited}; try again when it has finished") from None
        try:
            lease.write()
            yield lease
        finally:
            lease.remove()
            os_lock.release()
        return
    waited, told = 0.0, None
    while True:
        held = lease.read()
        if held and not break_lease:
            expired = float(held.get("expires_ts", 0)) < time.time()
            if expired or waited >= wait_s:
                after = f" (waited {waited:.0f} s)" if waited else ""
                raise LeaseHeld(f"another run holds the posting lease {where}: {describe(held)}{after}. If that run "
                                f"is surely gone, run again with break_lease=True")
            if held.get("token") != told:
                _waiting(held, wait_s - waited)
                told = held.get("token")
            step = min(poll_s, wait_s - waited)
            sleep(step)
            waited += step
            continue
        lease.write()
        sleep(settle_s)  # let a writer that raced us land, then see whose lease survived
        now = lease.read()
        if now and now.get("token") == lease.token:
            break
        if waited >= wait_s or break_lease:
            raise LeaseHeld(f"lost the race for the posting lease {where} to {describe(now)}")
        waited += settle_s  # the winner holds it now: wait for it like for any holder
    try:
        yield lease
    finally:
        now = lease.read()
        if now and now.get("token") == lease.token:
            lease.remove()
