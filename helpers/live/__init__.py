"""Stages 05–06 (stage05.py, stage06.py): candidate replies for live comments; then scoring, the selection rule
(select.py), the review sheet, the posting lock, the ledger and posting — nothing unapproved, nothing twice."""
