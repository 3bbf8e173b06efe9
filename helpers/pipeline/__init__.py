"""Above every stage: `python -m helpers` (the runner, run manifests, presets), the HTML report, evaluate."""
