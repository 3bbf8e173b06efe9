"""Stage 07 (stage07.py): what happened to the posted replies: their scores, replies and removals read back from
Reddit (outcomes.py), and the metrics and figures drawn from them (outcome_metrics.py)."""
