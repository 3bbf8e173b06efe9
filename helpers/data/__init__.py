"""Stage 00 (stage00.py): comment → reply pairs from Reddit, Arctic Shift, BigQuery, Pushshift dumps, the seed's CSVs or
the bundled sample, cleaned and split into the seed's three training files."""
