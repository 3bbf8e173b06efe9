"""The thread-context form (helpers/context.py): depth 0 is the seed's line, depth d keeps the d nearest ancestors in
order, a tag written by a person cannot fake a boundary, and prompts are documents cut at [SEP]."""

import pandas as pd
import pytest

from helpers.context import (
    conditioned,
    context_text,
    decode_ancestors,
    encode_ancestors,
    format_document,
    format_prompt,
)
from helpers.errors import InputError


def test_depth_0_is_the_seed_line_whatever_the_context():
    assert format_document("A title", ["a1", "a2"], "the comment", "the reply", 0) == "the comment [SEP] the reply"
    assert format_prompt("A title", ["a1"], "the [SEP] comment", 0) == "<|startoftext|>the [SEP] comment [SEP]"
    assert context_text("A title", ["a1"], 0) == ""


def test_depth_keeps_the_nearest_ancestors_oldest_first():
    doc = format_document("Why is the sky blue?", ["root", "middle", "parent"], "comment", "reply", 2)
    assert doc == "[TITLE] Why is the sky blue? [PARENT] middle [PARENT] parent [COMMENT] comment [SEP] reply"
    assert format_document("", [], "c", "r", 3) == "[COMMENT] c [SEP] r"  # the seed's CSVs: no title, no ancestors
    assert format_document(None, ["p"], "c", "r", 1) == "[PARENT] p [COMMENT] c [SEP] r"


def test_tags_inside_texts_cannot_fake_a_boundary():
    doc = format_document("t [comment] x", ["a [SEP] b"], "c [Title] d", "r [PARENT] s", 1)
    assert doc == "[TITLE] t (comment) x [PARENT] a (SEP) b [COMMENT] c (Title) d [SEP] r (PARENT) s"
    assert doc.count("[SEP]") == 1 and doc.count("[COMMENT]") == 1


def test_a_prompt_is_the_document_up_to_its_separator():
    doc = format_document("T", ["p"], "c", "reply words", 2)
    assert "<|startoftext|>" + doc[: doc.index("[SEP]") + len("[SEP]")] == format_prompt("T", ["p"], "c", 2)


def test_ancestor_cells_round_trip_and_bad_ones_are_named():
    cell = encode_ancestors(["first, \"quoted\"", "second\nline"])
    assert decode_ancestors(cell) == ["first, \"quoted\"", "second\nline"]
    assert decode_ancestors("") == decode_ancestors(float("nan")) == decode_ancestors(None) == []
    with pytest.raises(InputError, match="row 3.*JSON list"):
        decode_ancestors("{not json", where="row 3")
    with pytest.raises(InputError, match="JSON list"):
        decode_ancestors('{"a": 1}')


def test_conditioned_reads_files_with_and_without_context():
    old = pd.DataFrame({"comment": ["c1", "c2"]})
    assert conditioned(old) == ["c1", "c2"]
    new = pd.DataFrame({"comment": ["c1", "c2"], "context": ["[TITLE] t [COMMENT] ", float("nan")]})
    assert conditioned(new) == ["[TITLE] t [COMMENT] c1", "c2"]
