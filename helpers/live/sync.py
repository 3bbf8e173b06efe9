"""The live stages' name for helpers.sync (Drive's compare-and-swap), which lives on the ground floor so that
helpers.reddit's rules confirmations write through it too; every name stays importable from here."""

from __future__ import annotations

from ..sync import TRIES, DriveConflict, current_revision, machine_lock, read, revision_of, swap, update

__all__ = ["TRIES", "DriveConflict", "current_revision", "machine_lock", "read", "revision_of", "swap", "update"]
