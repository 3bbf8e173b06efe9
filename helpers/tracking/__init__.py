"""Stages 07–08 (stage07.py, stage08.py): how the posted replies fare, and adversarial refresh rounds of the
realism classifier."""
