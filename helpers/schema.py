"""The shared schema: the columns of the CSVs stages hand each other, the splits and the upvote bins.

Why here: the sample (offline), the sources (00) and every later stage read and write these columns; one place keeps
them from drifting.
"""

# The seed's get_reddit_from_gbq.py columns, in its order; then the ids this project adds for the thread split.
SEED_COLUMNS = ["subreddit", "submission", "comment", "reply", "submission_score", "comment_score", "reply_score",
                "submission_author", "comment_author", "reply_author"]
ID_COLUMNS = ["thread_id", "comment_id", "reply_id"]
RAW_COLUMNS = SEED_COLUMNS + ID_COLUMNS
SCORE_COLUMNS = ["submission_score", "comment_score", "reply_score"]
ISSUE = "source_issue"  # optional column a reader fills with a drop reason it found (e.g. "non_utf8")

SPLITS = ("train", "validation", "test")

FINETUNE_COLUMNS = ["text", "split", "thread_id", "subreddit"]
GENERATE_COLUMNS = ["comment", "comment_id", "thread_id", "subreddit", "split"]
REAL_COLUMNS = ["comment", "reply", "real", "rating", "reply_score", "comment_score", "subreddit", "thread_id",
                "comment_id", "reply_id", "split"]


NUM_RATING_BINS = 4  # rating_bin's bins: the upvote classifier's classes
