"""Stages 08 and 09, the rounds that learn from fresh fakes.

08 (stage08.py): adversarial refresh of the realism classifier on fresh fakes (adversarial.py, adversarial_fakes.py).
09 (stage09.py): generator rounds, reward-ranked fine-tuning of GPT-2 judged by a classifier that did not choose
(generator_rounds.py; its data rounds_data.py, its table rounds_table.py). Both sample and fine-tune GPT-2 through its
one process, helpers.generator.worker."""
