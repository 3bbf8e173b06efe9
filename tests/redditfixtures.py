"""A tiny Reddit month in the fh-bigquery schema, shared by the BigQuery (DuckDB) and Pushshift tests so both
sources can be checked to return the same pairs."""

POST_COLUMNS = {"id": "VARCHAR", "subreddit": "VARCHAR", "author": "VARCHAR", "title": "VARCHAR",
                "selftext": "VARCHAR", "score": "BIGINT", "num_comments": "BIGINT", "created_utc": "BIGINT",
                "url": "VARCHAR", "is_self": "BOOLEAN"}
COMMENT_COLUMNS = {"id": "VARCHAR", "subreddit": "VARCHAR", "author": "VARCHAR", "body": "VARCHAR",
                   "parent_id": "VARCHAR", "link_id": "VARCHAR", "score": "BIGINT", "created_utc": "BIGINT",
                   "controversiality": "BIGINT", "gilded": "BIGINT"}


def post(id, subreddit, author, selftext, score=10):
    return {"id": id, "subreddit": subreddit, "author": author, "title": f"title {id}", "selftext": selftext,
            "score": score, "num_comments": 3, "created_utc": 1514764800, "url": f"https://reddit.test/{id}",
            "is_self": True}


def comment(id, parent, link, author, body, score=1, subreddit="writing"):
    return {"id": id, "subreddit": subreddit, "author": author, "body": body, "parent_id": parent,
            "link_id": f"t3_{link}", "score": score, "created_utc": 1514764900, "controversiality": 0, "gilded": 0}


POSTS = [
    post("p1", "writing", "op1", "How do I finish a draft?"),
    post("p2", "writing", "op2", ""),  # empty selftext: excluded
    post("p3", "Cooking", "op3", "Soup tips?\nI burn everything."),  # mixed-case subreddit: included
    post("p4", "news", "op4", "Unwanted subreddit"),  # not chosen: excluded
    post("p5", "writing", "op5", None),  # link post, NULL selftext: excluded
]
COMMENTS = [
    comment("c1", "t3_p1", "p1", "alice", "Write the ending first.", 5),
    comment("r1", "t1_c1", "p1", "bob", "That worked for me, \"really\".", 3),  # kept
    comment("r2", "t1_c1", "p1", "alice", "Replying to myself", 1),  # comment's author: excluded
    comment("r3", "t1_c1", "p1", "op1", "Thanks!", 2),  # submission's author: excluded
    comment("r4", "t1_c1", "p1", "carl", None, 1),  # NULL body: excluded
    comment("c2", "t3_p2", "p2", "alice", "Comment on an empty post", 1),
    comment("r5", "t1_c2", "p2", "bob", "Reply on an empty post", 1),  # empty selftext: excluded
    comment("c3", "t3_p3", "p3", "dan", "Lower the heat.", 7, "Cooking"),
    comment("r6", "t1_c3", "p3", "erin", "And stir more.", -2, "Cooking"),  # kept
    comment("r7", "t1_r6", "p3", "fay", "A reply to a reply", 1, "Cooking"),  # parent not top-level: excluded
    comment("c4", "t3_p4", "p4", "gus", "News comment", 1, "news"),
    comment("r8", "t1_c4", "p4", "hal", "News reply", 1, "news"),  # unwanted subreddit: excluded
    comment("c5", "t3_p5", "p5", "ivy", "On a link post", 1),
    comment("r9", "t1_c5", "p5", "jay", "Reply on a link post", 1),  # NULL selftext: excluded
]
SUBREDDITS = ["writing", "cooking"]
EXPECTED = [  # (thread_id, comment_id, reply_id, subreddit, comment, reply, reply_score)
    ("p1", "c1", "r1", "writing", "Write the ending first.", "That worked for me, \"really\".", 3),
    ("p3", "c3", "r6", "Cooking", "Lower the heat.", "And stir more.", -2),
]
