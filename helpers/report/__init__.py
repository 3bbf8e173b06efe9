"""The run report and everything a person reads about a run: report.html (report.py: the first screen, then one part
per stage), each stage's one-line outcome (outcome_lines.py, the strip's cards and the runner's console), its status
(stage_status.py) and the run summary the command line prints (run_summary.py). It reads only what the stages left on
Drive, so it can be rebuilt any time; the HTML building blocks are html_parts.py."""
