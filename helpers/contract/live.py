"""Stages 05–06 of the contract: candidate replies for live comments, then scoring, selection, review and posting."""

from __future__ import annotations

from .. import drive as drv
from .generator import CONTEXT_DEPTH, GENERATOR, GENERATOR_READS, sampling
from .spec import File, P, Stage

# How 05, 06 and 07 reach Reddit.
REDDIT = (
    P("reddit", "recorded", "recorded (offline demo: bundled threads on a loopback server; 06 never posts there) | "
                            "live (Reddit via praw_site)"),
    P("praw_site", "bot",
      "live: the praw.ini site with the bot's credentials (else praw_* env vars, else Colab secrets)"),
    P("bot_allowed_subreddits", [],
      "subreddits whose rules forbid bots or AI text but whose moderators gave you permission: each by name "
      "(never all at once); the preflight then allows them"),
    P("nsfw_allowed_subreddits", [],
      "NSFW (over 18) subreddits the bot may use anyway, each by name; others are skipped (since 2026 Reddit's age "
      "verification stops registered bots there)"),
    P("confirm_rules", [],
      "subreddits whose full rules you read (the preflight prints them): recorded in live/rules_confirmed.json "
      "with the rules' hash; nothing is posted where no person confirmed the current rules. A plain name confirms "
      "a first time; after a change of the rules, name@<hash> as printed"),
)
# Conversation turns (issue 27): who the bot never answers, and how long it keeps talking in one thread.
TURNS = P("max_bot_turns_per_thread", 3,
          "never answer in a thread where the bot already has this many comments (05 counts on Reddit, 06 again in "
          "the ledger)", low=1)
CONVERSATION = (
    P("targets", ["rising"],
      "what to answer: \"rising\" (comments of rising posts) and/or \"inbox\" (answers to the bot's comments and "
      "u/ mentions from its unread inbox; private messages never)", non_empty=True),
    P("never_reply_to", [], "accounts the bot never answers (it never answers itself or AutoModerator anyway)"),
    P("skip_bot_names", True, "True: never answer accounts whose names end in bot/Bot"),
    P("stop_phrases", ["stop", "bad bot", "unsubscribe", "opt out", "leave me alone"],
      "an inbox answer saying one of these (whole words, any case) puts its author on live/optouts.json: never "
      "answered again"),
    TURNS,
)
DISCLOSURE = "^(I am a bot: this reply was written by a language model and approved by a person before posting.)"

STAGE_05 = Stage(
    key="05", name="generate_replies", part="live", title="Fetch live comments and generate candidate replies",
    runtime="GPU", talks_to_reddit=True,
    reads=(File(f"{drv.CHECKPOINT_DIR}/<run_name>/"), *GENERATOR_READS, File(drv.HOLDS, "07's holds"),
           File(drv.OPTOUTS), File(drv.INBOX_LOG), File(drv.RULES_CONFIRMED, "rules a person confirmed"),
           File(drv.DATA_SUMMARY, "the depth 00 trained with, when the checkpoint records none")),
    writes=(File(drv.PROPOSED_REPLIES), File(drv.FETCH_SUMMARY), File(drv.PREFLIGHT),
            File(drv.OPTOUTS, "when someone asks the bot to stop; added on Drive by compare-and-swap", synced=False),
            File(drv.INBOX_LOG, "inbox items skipped; appended on Drive by compare-and-swap", synced=False),
            File(drv.RULES_CONFIRMED, "when confirm_rules or the panel confirms a subreddit's rules; compare-and-swap",
                 synced=False)),
    reads_also="Reddit (rising posts and their comments; with targets \"inbox\" the bot's unread inbox)",
    params=(
    *REDDIT,
    P("subreddits", ["sciencefiction", "gardening", "boardgames"],
      "where to look; the seed used a few like [\"sciencefiction\", ...]", non_empty=True),
    P("posts_per_subreddit", 5, "the top N rising posts of each subreddit (the seed's 5)", low=1),
    P("min_comment_score", 3, "keep comments with a score above this (the seed's 3)"),
    *CONVERSATION,
    P("run_date", "", "names the output file, YYYY-MM-DD; empty: today (UTC). 06 reads the same date"),
    *sampling("replies"),
    GENERATOR,
    CONTEXT_DEPTH,
    P("seed", 1234, "reproducibility of the sampling", low=0),
    ),
)

STAGE_06 = Stage(
    key="06", name="score_and_post", part="live", title="Score, select, review and post replies", runtime="GPU",
    talks_to_reddit=True,
    reads=(File(drv.PROPOSED_REPLIES), File(drv.BERT_REALISM + "/"), File(drv.ADVERSARIAL_MODEL + "/"),
           File(drv.BERT_UPVOTE + "/"), File(drv.REVIEW_SHEET), File(drv.POSTING_LEDGER), File(drv.BERT_GAN_REAL),
           File(drv.HOLDS, "07's holds"), File(drv.INBOX_LOG), File(drv.RULES_CONFIRMED, "rules a person confirmed")),
    writes=(File(drv.REPLY_SCORES),
            File(drv.REVIEW_SHEET, "merged with Drive's copy by compare-and-swap", synced=False),
            File(drv.REVIEW_BACKUP, "written on Drive by choose", synced=False), File(drv.WOULD_POST),
            File(drv.INBOX_LOG, "conversation turns decided, before they are marked read; compare-and-swap",
                 synced=False),
            File(drv.PREFLIGHT), File(drv.HOLDS, "when clear_holds clears one; compare-and-swap", synced=False),
            File(drv.RULES_CONFIRMED, "when confirm_rules or the panel confirms a subreddit's rules; compare-and-swap",
                 synced=False),
            File(drv.POSTING_LEDGER, "appended on Drive by compare-and-swap under the posting lock", synced=False),
            File(drv.POSTING_LEASE, "while posting", synced=False), File(drv.QUALITY_METRICS)),
    params=(
    *REDDIT,
    P("run_date", "",
      "which day's live/proposed_replies_<date>.csv to use, YYYY-MM-DD; empty: the newest one 05 wrote"),
    P("realism_model", "auto",
      "auto: 08's refreshed classifier when a round has finished, else 03's | bert_realism | a folder"),
    P("min_prob_real", 0.9,
      "keep replies the realism classifier finds this likely to be human (the seed's 0.9)", low=0, high=1),
    P("max_reply_chars", 1000, "keep replies shorter than this many characters (the seed's 1000)", low=1),
    P("blocklist", ["kill yourself", "kys", "http://", "https://", "as an ai", "i am a bot"],
      "words/phrases that remove a candidate (whole words, any case; an entry like \"https://\" matches the "
      "start of a URL)"),
    P("allow_links", False,
      "False: a reply with a link (URL, www., a bare domain, a markdown link) is rejected with reason "
      "\"link\""),
    P("parrot_threshold", 0.9,
      "reject a reply at least this similar (0..1) to its comment or the post title (ssi-bot: 0.95)"),
    P("max_repeated_trigrams", 0.3,
      "reject a reply whose word trigrams repeat an earlier one of it more often than this share"),
    P("max_word_run", 3, "reject a reply with one word more often than this in a row"),
    P("min_reply_words", 2, "reject replies with fewer words (too_short)"),
    P("unfinished_min_words", 40, "proposals without 05's generation_ended column (older files): a reply this long "
                                  "that ends mid-sentence was cut at the length limit (unfinished)"),
    P("allow_mentions", False, "False: reject replies naming u/users or r/subreddits"),
    P("repeat_window_days", 30,
      "reject what the bot already posted (same or nearly the same text) within this many days"),
    P("posted_before_threshold", 0.9, "similarity (0..1) to an earlier posted reply that counts as the same text"),
    P("toxicity_model", "",
      "\"\" (off) | \"detoxify:original\" (pip install detoxify; Colab has torch) | a local scorer file"),
    P("toxicity_thresholds", {"toxicity": 0.5},
      "with toxicity_model: reject when a label's score reaches its threshold"),
    P("quality_real_max", 500,
      "real test-split replies of bert_gan_real.csv scored for the quality comparison (0: none)"),
    P("n_runner_ups", 2, "runner-up replies shown beside the chosen one in the review sheet", low=0),
    P("approve_ids", [],
      "comment ids to approve from this notebook (or mark them True in the approved column of "
      "live/review_<date>.csv)"),
    P("auto_approve", False, "True: post every chosen reply WITHOUT a person's approval; only if you mean it"),
    P("dry_run", True, "True: send nothing; what would be posted goes to live/would_post_<date>.csv"),
    P("max_posts_per_run", 5, "at most this many replies per run; the rest wait for the next run", low=0),
    TURNS,
    P("max_posts_per_subreddit_per_day", 3,
      "at most this many replies per subreddit per UTC day (counted in the ledger)", low=0),
    P("delay_min_s", 60,
      "random pause between posts: at least this many seconds (the seed's 60 s)", low=0, at_most='delay_max_s'),
    P("delay_max_s", 660, "... and at most this many (the seed's 60 s plus up to 10 min)", low=0),
    P("disclosure_footer", DISCLOSURE,
      "appended to every reply (dry runs show it in would_post); \"\" only if you mean it: each live run then "
      "prints a warning"),
    P("clear_holds", [],
      "holds 07 set after trouble (a removed reply, a ban, a suspension) that you looked into and clear: "
      "\"r/<name>\" each, or \"account\""),
    P("max_rate_limit_wait_s", 900, "a rate limit asking for a longer wait leaves the rest for the next run instead"),
    P("lease_wait_s", 900,
      "another run holds the posting lease: wait this many seconds for it to finish (saying for whom), then stop; "
      "0: stop at once", low=0),
    P("break_lease", False,
      "True: take over a posting lease another run left on Drive (only when that run is surely gone)"),
    P("seed", 1234, "reproducibility of the random delays", low=0),
    ),
)
