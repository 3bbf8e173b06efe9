"""Reddit reply bot: GPT-2 generates candidate replies, two BERT classifiers choose which (if any) to post.

Each pipeline stage is a notebook in notebooks/ that calls the small modules of this package; nothing runs at import.
"""

__version__ = "0.1.0"
