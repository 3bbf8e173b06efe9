"""Stages 03–04 (stage03.py, stage04.py): the two BERT text-pair classifiers (realism, upvote bins) built on
keras-hub, their training, metrics and the scorer 06 uses (scoring.py imports no training code)."""
