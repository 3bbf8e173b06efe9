"""The generation engine (one graph, prompt as input) and stage 02's chunked, resumable fakes."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from gpt2corpus import WORDS, corpus
from helpers.errors import InputError
from helpers.text import END_TOKEN, clean_text

pytestmark = pytest.mark.tf1  # imports gpt-2-simple in-process, which turns eager execution off for good


@pytest.fixture(scope="module")
def ckpt(tmp_path_factory):
    """A tiny checkpoint fine-tuned a few steps (checkpoint_dir, run_name)."""
    from helpers.generator.gpt2_finetune import finetune

    root = tmp_path_factory.mktemp("gen")
    finetune({"train": corpus(120), "validation": []}, root / "checkpoint", root / "models", steps=6,
             learning_rate=1e-3, save_every=0, seed=3, eval_windows=1)
    return root / "checkpoint"


@pytest.fixture(scope="module")
def engine(ckpt):
    from helpers.generator.generation import GenerationEngine

    with GenerationEngine(ckpt, "run1", seed=11) as eng:
        yield eng


@pytest.mark.slow
def test_n_cleaned_candidates_per_comment_without_the_prompt(engine):
    comments = ["why is this not funny", "the cat said lol &amp;#x200B;"]
    df = engine.generate(comments, n=5, length=20)
    assert list(df.columns) == ["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"]
    assert engine.last_stats["requested"] == 10
    assert len(df) + engine.last_stats["dropped_empty"] == 10
    assert df.groupby("comment_idx").size().max() <= 5 and set(df["comment_idx"]) <= {0, 1}
    assert (df["comment"] == df["comment_idx"].map(dict(enumerate(comments)))).all()
    assert (df["reply"].str.len() > 0).all()
    assert (df["reply"] == df["reply"].map(clean_text)).all()
    assert not df["reply"].str.startswith(comments[0]).any()
    assert not df["reply"].str.contains(END_TOKEN, regex=False).any()


@pytest.mark.slow
def test_reproducible_with_a_seed(ckpt, engine):
    from helpers.generator.generation import GenerationEngine

    a = engine.generate(["hello there", "you are right"], n=4, length=16)
    with GenerationEngine(ckpt, "run1", seed=11) as same, GenerationEngine(ckpt, "run1", seed=12) as other:
        assert a.equals(same.generate(["hello there", "you are right"], n=4, length=16))
        assert not a.equals(other.generate(["hello there", "you are right"], n=4, length=16))
    c = engine.generate(["hello there", "you are right"], n=4, length=16, temperature=1.5, top_k=0, top_p=0.9)
    assert c["reply"].tolist() != a["reply"].tolist()


@pytest.mark.slow
def test_forward_matches_gpt2_simple_and_padding_changes_nothing(ckpt, engine):
    """The batched forward pass computes gpt-2-simple's logits; a left-padded row gets its unpadded logits."""
    import numpy as np
    import tensorflow as tf
    from gpt_2_simple.src import model

    from helpers.generator.generation import forward

    toks = engine.prompt_tokens("why is this not funny at all", 10)[0]
    short = engine.prompt_tokens("lol", 10)[0]
    width = len(toks)
    graph = tf.Graph()
    with graph.as_default(), tf.compat.v1.Session(graph=graph) as sess:
        x = tf.compat.v1.placeholder(tf.int32, [None, None])
        pad = tf.compat.v1.placeholder(tf.int32, [None])
        ours, _ = forward(engine.hparams, x, pad)
        theirs = model.model(hparams=engine.hparams, X=x, reuse=True)["logits"]
        tf.compat.v1.train.Saver(var_list=tf.compat.v1.trainable_variables("model")).restore(
            sess, tf.train.latest_checkpoint(str(ckpt / "run1")))
        a, b = sess.run([ours, theirs], {x: [toks], pad: [0]})
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
        batch = sess.run(ours, {x: [toks, [0] * (width - len(short)) + short], pad: [0, width - len(short)]})
        alone = sess.run(ours, {x: [short], pad: [0]})
        np.testing.assert_allclose(batch[1, width - len(short):], alone[0], rtol=1e-4, atol=1e-4)


@pytest.mark.slow
def test_greedy_replies_do_not_depend_on_batch_mates(engine):
    mates = ["lol", "why is this not funny at all you know, said the cat to the dog"]
    together = engine.generate(mates, n=2, top_k=1, length=12)
    for i, comment in enumerate(mates):  # noqa: B007 (i: read by the query string, "@i")
        alone = engine.generate([comment], n=2, top_k=1, length=12)
        assert together.query("comment_idx == @i")["reply"].tolist() == alone["reply"].tolist()


@pytest.mark.slow
def test_a_comment_longer_than_the_context_is_cut_from_the_front(engine):
    long = " ".join(["start"] + ["filler words here"] * 800 + ["the very end"])
    prompt, length, cut = engine.prompt_tokens(long, 100)
    assert cut and len(prompt) + length == engine.n_ctx
    assert engine.enc.decode(prompt).endswith("the very end [SEP]")
    _, capped, _ = engine.prompt_tokens("short", 5000)  # an absurd length is capped to what the context holds
    assert capped == engine.n_ctx - len(engine.prompt_tokens("", 10)[0]) - 1
    df = engine.generate([long, None, "", float("nan")], n=2, length=30)  # never an exception
    assert engine.last_stats["comments_cut"] == 1
    assert len(df) + engine.last_stats["dropped_empty"] == 8


@pytest.mark.slow
def test_decode_cuts_at_endoftext_and_cleans(engine):
    enc = engine.enc
    toks = enc.encode("  nice one&amp;#x200B;\n\n\n\nreally" + END_TOKEN + "junk after")
    assert engine.decode_reply(toks) == "nice one\n\nreally"
    assert engine.decode_reply(enc.encode("&amp;#x200B; \n" + END_TOKEN)) == ""
    assert engine.decode_reply(enc.encode("ok") + [engine.eot_id] + enc.encode("more")) == "ok"
    assert engine.decode_reply(enc.encode("fair point <|endoftextext|> junk")) == "fair point"  # a misspelt marker
    assert engine.decode_reply(enc.encode("sure thing [SEP] a second reply")) == "sure thing"
    assert engine.decode_reply(enc.encode("just the bestendoftext and more")) == "just the best"


@pytest.mark.slow
def test_decode_says_whether_the_sample_reached_its_end_marker(engine):
    enc = engine.enc
    assert engine.decode(enc.encode("ok") + [engine.eot_id] + enc.encode("more")) == ("ok", True)
    assert engine.decode(enc.encode("nice one" + END_TOKEN + "junk")) == ("nice one", True)
    assert engine.decode(enc.encode("fair point <|endoftextext|> junk")) == ("fair point", True)
    assert engine.decode(enc.encode("sure thing [SEP] a second reply")) == ("sure thing", True)
    assert engine.decode(enc.encode("cut off right in the")) == ("cut off right in the", False)  # the length limit


@pytest.mark.slow
def test_generate_records_per_candidate_whether_the_end_marker_was_reached(engine):
    """One token leaves no room for a reply and its end marker: every kept candidate ran to the limit. With room,
    the column agrees with the stats and with the decoded tokens."""
    comments = ["why is this not funny", "the cat said lol", "you are right"]
    short = engine.generate(comments, n=6, length=1)
    assert len(short) and not short["generation_ended"].any()
    roomy = engine.generate(comments, n=6, length=60)
    assert roomy["generation_ended"].dtype == bool and roomy["generation_ended"].any()
    assert engine.last_stats["ended"] == int(roomy["generation_ended"].sum())


@pytest.mark.slow
def test_empty_candidates_are_dropped_and_counted(engine, monkeypatch):
    calls = iter(range(10 ** 6))
    real = engine.decode
    monkeypatch.setattr(engine, "decode", lambda t: ("", True) if next(calls) % 3 == 0 else real(t))
    df = engine.generate(["a comment"], n=6, length=8)
    assert engine.last_stats["dropped_empty"] >= 2 and len(df) == 6 - engine.last_stats["dropped_empty"]
    assert 0 not in df["candidate_idx"].tolist()


# ---- stage 02 ----------------------------------------------------------------------------------------------------
def generate_frame(n: int = 11) -> pd.DataFrame:
    rng = random.Random(5)
    return pd.DataFrame({
        "comment": [" ".join(rng.choice(WORDS) for _ in range(8)) for _ in range(n)],
        "comment_id": [f"c{i}" for i in range(n)], "thread_id": [f"t{i}" for i in range(n)],
        "subreddit": "test", "split": ["test" if i == 3 else "train" for i in range(n)],
    })


def test_select_comments_is_clear_about_bad_input():
    from helpers.generator.fakes import select_comments

    df = generate_frame()
    got = select_comments(df.assign(comment=df["comment"].where(df.index != 1, None)))
    assert len(got) == 9 and "c1" not in set(got["comment_id"]) and "c3" not in set(got["comment_id"])
    assert len(select_comments(df, max_comments=4)) == 4
    with pytest.raises(InputError, match="no rows"):
        select_comments(df.iloc[:0])
    with pytest.raises(InputError, match="empty or NaN"):
        select_comments(df.assign(comment=float("nan")))
    with pytest.raises(InputError, match=r"split in \['train'\]"):
        select_comments(df.assign(split="test"))


def test_select_comments_over_several_splits_takes_turns_under_a_cap():
    from helpers.generator.fakes import select_comments

    df = generate_frame().assign(split=["train"] * 7 + ["validation"] * 2 + ["test"] * 2)
    assert len(select_comments(df, split=["train", "validation", "test"])) == 11
    capped = select_comments(df, split=["train", "validation", "test"], max_comments=6)
    assert capped["split"].value_counts().to_dict() == {"train": 2, "validation": 2, "test": 2}
    assert list(capped["comment_id"]) == ["c0", "c1", "c7", "c8", "c9", "c10"]  # file order kept
    assert set(select_comments(df, split=["validation"])["comment_id"]) == {"c7", "c8"}


class Interrupting:
    """The real engine, but the run is 'killed' (KeyboardInterrupt) when chunk number `after` starts."""

    def __init__(self, engine, after: int):
        self.engine, self.after, self.calls = engine, after, 0
        self.last_stats = {}

    def __getattr__(self, name):  # checkpoint, seed, ...: the wrapped engine's
        return getattr(self.engine, name)

    def generate(self, *a, **kw):
        if self.calls == self.after:
            raise KeyboardInterrupt
        self.calls += 1
        out = self.engine.generate(*a, **kw)
        self.last_stats = self.engine.last_stats
        return out


@pytest.mark.slow
def test_fakes_resume_after_an_interrupted_run(engine, tmp_path):
    from helpers.generator.fakes import FAKE_COLUMNS, generate_fakes, select_comments

    comments = select_comments(generate_frame())
    kw = dict(chunk_size=4, n=2, length=10, progress=False)
    with pytest.raises(KeyboardInterrupt):
        generate_fakes(Interrupting(engine, after=1), comments, tmp_path / "a", **kw)
    first = sorted(p.name for p in (tmp_path / "a").iterdir() if p.suffix != ".json")
    assert first == ["bert_gan_fake_0000.csv"], "only the finished chunk, no temp file"
    mtime = (tmp_path / "a" / first[0]).stat().st_mtime_ns
    stats = generate_fakes(engine, comments, tmp_path / "a", **kw)
    assert stats["chunks"] == 3 and stats["chunks_skipped"] == 1 and stats["chunks_written"] == 2
    assert (tmp_path / "a" / first[0]).stat().st_mtime_ns == mtime
    generate_fakes(engine, comments, tmp_path / "b", **kw)
    for k in range(3):
        a = pd.read_csv(tmp_path / "a" / f"bert_gan_fake_{k:04d}.csv")
        b = pd.read_csv(tmp_path / "b" / f"bert_gan_fake_{k:04d}.csv")
        assert list(a.columns) == FAKE_COLUMNS and (a["real"] == 0).all()
        pd.testing.assert_frame_equal(a, b)  # resumed == uninterrupted
    again = generate_fakes(engine, comments, tmp_path / "a", **kw)
    assert again["chunks_written"] == 0 and again["chunks_skipped"] == 3


@pytest.mark.slow
def test_fakes_start_over_when_the_checkpoint_or_sampling_changed(engine, tmp_path):
    from helpers.generator.fakes import generate_fakes, select_comments

    comments = select_comments(generate_frame())
    kw = dict(chunk_size=4, n=2, length=10, progress=False)
    generate_fakes(engine, comments, tmp_path, **kw)
    before = pd.read_csv(tmp_path / "bert_gan_fake_0000.csv")
    changed = generate_fakes(engine, comments, tmp_path, **{**kw, "temperature": 1.5})
    assert changed["stale_chunks_removed"] == 3 and changed["chunks_written"] == 3

    class Retrained:  # the same engine, as if 01 had trained further and saved model-<later step>
        def __init__(self, inner):
            self.inner, self.checkpoint = inner, str(inner.checkpoint) + "0"

        def __getattr__(self, name):
            return getattr(self.inner, name)

    again = generate_fakes(Retrained(engine), comments, tmp_path, **{**kw, "temperature": 1.5})
    assert again["stale_chunks_removed"] == 3 and again["chunks_skipped"] == 0
    same = generate_fakes(Retrained(engine), comments, tmp_path, **{**kw, "temperature": 1.5})
    assert same["stale_chunks_removed"] == 0 and same["chunks_skipped"] == 3
    assert len(before) > 0


@pytest.mark.slow
def test_fakes_refuse_to_mix_runs_with_another_chunking(engine, tmp_path):
    from helpers.errors import ConfigError
    from helpers.generator.fakes import generate_fakes, select_comments

    comments = select_comments(generate_frame())
    generate_fakes(engine, comments, tmp_path, chunk_size=2, n=1, length=4, progress=False)
    with pytest.raises(ConfigError, match="chunk"):
        generate_fakes(engine, comments, tmp_path, chunk_size=4, n=1, length=4, progress=False)


@pytest.mark.slow
def test_fakes_on_gdrive_upload_each_chunk_as_written_and_delete_stale_ones_remotely(engine, tmp_path):
    """A Colab disconnect mid-run keeps every finished chunk on Drive, and a fresh runtime pulls the signature, so
    chunks of an older generator are never mixed with new ones."""
    import fsspec

    from helpers import drive as drv
    from helpers.generator.fakes import generate_fakes, select_comments

    fs = fsspec.filesystem("memory")
    fs.store.clear()
    comments = select_comments(generate_frame())
    kw = dict(chunk_size=4, n=2, length=10, progress=False)

    def remote_names():
        return sorted(p.rsplit("/", 1)[-1] for p in fs.find("/bot"))

    first = drv.open_drive(tmp_path / "runtime1", "gdrive", "/bot", fs=fs)
    with pytest.raises(KeyboardInterrupt):
        generate_fakes(Interrupting(engine, after=1), comments, first.path(), on_write=first.push_path,
                       on_remove=first.remove, **kw)
    assert remote_names() == ["bert_gan_fake_0000.csv", drv.BERT_GAN_FAKE_SIGNATURE]

    second = drv.open_drive(tmp_path / "runtime2", "gdrive", "/bot", fs=fs)  # a fresh runtime
    second.pull(drv.BERT_GAN_FAKE_GLOB, drv.BERT_GAN_FAKE_SIGNATURE)
    stats = generate_fakes(engine, comments, second.path(), on_write=second.push_path, on_remove=second.remove,
                           **{**kw, "temperature": 1.5})
    assert stats["stale_chunks_removed"] == 1 and stats["chunks_written"] == 3
    assert remote_names() == [f"bert_gan_fake_{k:04d}.csv" for k in range(3)] + [drv.BERT_GAN_FAKE_SIGNATURE]
    for k in range(3):
        name = f"bert_gan_fake_{k:04d}.csv"
        assert fs.cat(f"/bot/{name}") == second.path(name).read_bytes()
