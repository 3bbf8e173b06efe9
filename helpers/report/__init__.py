"""The run report and everything a person reads about a run. Each stage's view is viewNN.py (its section, its card's
outcome line, its scorecard rows, its run-summary lines), all listed in views.py; report.py builds report.html (the
first screen, then one part per stage), stage_status.py says which stages ran, outcome_lines.py gives the runner its
console line per stage, run_summary.py prints the summary. It reads only what the stages left on Drive, so it can be
rebuilt any time; the HTML building blocks are html_parts.py."""
