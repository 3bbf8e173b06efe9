"""Calling posting.post_replies from tests with one flat set of keyword arguments: the PostSettings fields go into
the settings object (whose other fields keep the contract's defaults), the rest are post_replies' runtime arguments."""

from __future__ import annotations

from dataclasses import fields

from helpers.live import posting
from helpers.live.posting_settings import PostSettings

SETTINGS = {f.name for f in fields(PostSettings)}


def post_replies(reddit, review, ledger, **kw):
    settings = PostSettings(**{k: v for k, v in kw.items() if k in SETTINGS})
    return posting.post_replies(reddit, review, ledger, settings, **{k: v for k, v in kw.items() if k not in SETTINGS})
