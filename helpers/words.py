"""How counts are said to a person: in the notebooks' printed lines, the stage cards and the run summary, so an
executed notebook reads "3 not approved", never ``{'not_approved': 3}``."""

from __future__ import annotations

from typing import Any, Mapping


def counts(d: Mapping[str, Any] | None, none: str = "none") -> str:
    """{'comment_deleted_or_removed': 3, 'not_approved': 1} -> '3 comment deleted or removed, 1 not approved' (largest
    first); ``none`` when there is nothing to count."""
    items = sorted((d or {}).items(), key=lambda kv: (-kv[1], str(kv[0])))
    return ", ".join(f"{v} {str(k).replace('_', ' ')}" for k, v in items) if items else none


def fields(d: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """The named fields of a summary as 'name value' pairs, in the order of ``names`` ({field: words}); fields the
    summary lacks are left out."""
    return ", ".join(f"{words} {d[k]}" for k, words in names.items() if d.get(k) is not None)
