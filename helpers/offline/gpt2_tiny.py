"""The offline `tiny` GPT-2 base: a gpt-2-simple model folder built locally: `make demo` and the tests need no download.

The folder has what ``gpt2.download_gpt2`` would fetch: hparams.json (n_ctx=1024, because gpt-2-simple's finetune
samples 1024-token windows), encoder.json and vocab.bpe in GPT-2's byte-level BPE format (merges learned from the
corpus, so a few hundred tokens cover Reddit text), and an initial checkpoint with random weights. Everything is
deterministic from the seed.
"""

from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import Iterable

from ..files import atomic_dir
from ..text import END_TOKEN, START_TOKEN

TINY_HPARAMS = {"n_ctx": 1024, "n_embd": 128, "n_head": 4, "n_layer": 2}
GPT2_SPLIT = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""


def _byte_words(texts: Iterable[str]) -> collections.Counter:
    """Pre-tokenise like GPT-2 (same regex) and map bytes to GPT-2's printable unicode alphabet."""
    import regex
    from gpt_2_simple.src.encoder import bytes_to_unicode

    b2u = bytes_to_unicode()
    pat = regex.compile(GPT2_SPLIT)
    words: collections.Counter = collections.Counter()
    for text in texts:
        for tok in pat.findall(text):
            words["".join(b2u[b] for b in tok.encode("utf-8"))] += 1
    return words


def learn_bpe(texts: Iterable[str], n_merges: int = 256) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Learn up to ``n_merges`` BPE merges; returns (encoder, merges). Ids: 256 bytes, merges, then <|endoftext|>."""
    from gpt_2_simple.src.encoder import bytes_to_unicode

    alphabet = list(bytes_to_unicode().values())
    words = {tuple(w): c for w, c in _byte_words(texts).items()}
    merges: list[tuple[str, str]] = []
    for _ in range(n_merges):
        pairs: collections.Counter = collections.Counter()
        for w, c in words.items():
            for pair in zip(w, w[1:]):
                pairs[pair] += c
        if not pairs:
            break
        best, count = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))  # ties broken by the pair: deterministic
        if count < 2:
            break
        merges.append(best)
        joined = best[0] + best[1]
        new_words = {}
        for w, c in words.items():
            out, i = [], 0
            while i < len(w):
                if i < len(w) - 1 and (w[i], w[i + 1]) == best:
                    out.append(joined)
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            new_words[tuple(out)] = new_words.get(tuple(out), 0) + c
        words = new_words
    vocab = alphabet + [a + b for a, b in merges]
    encoder = {tok: i for i, tok in enumerate(dict.fromkeys(vocab))}
    encoder[END_TOKEN] = len(encoder)
    return encoder, merges


def write_tiny_model(
    out_dir: Path,
    texts: Iterable[str],
    seed: int = 1234,
    n_merges: int = 256,
    hparams: dict | None = None,
    pad_vocab_to: int = 0,
) -> Path:
    """Build the tiny base into ``out_dir`` (published whole, atomically) and return it.

    ``hparams``/``pad_vocab_to`` give other shapes, e.g. GPT-2 124M's (50257 tokens) with random weights for timings.
    """
    texts = list(texts) + [START_TOKEN + END_TOKEN]
    encoder, merges = learn_bpe(texts, n_merges)
    encoder.update({f"<|pad{i}|>": i for i in range(len(encoder), pad_vocab_to)})
    hp = {**TINY_HPARAMS, **(hparams or {}), "n_vocab": len(encoder)}
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        (tmp / "hparams.json").write_text(json.dumps(hp, indent=2) + "\n", encoding="utf-8")
        (tmp / "encoder.json").write_text(json.dumps(encoder, ensure_ascii=False), encoding="utf-8")
        bpe = "#version: 0.2 (tiny, learned from the corpus)\n" + "".join(f"{a} {b}\n" for a, b in merges)
        (tmp / "vocab.bpe").write_text(bpe, encoding="utf-8")
        _write_initial_checkpoint(tmp, hp, seed)
    return out_dir


def _write_initial_checkpoint(folder: Path, hp: dict, seed: int) -> None:
    """Random weights, in the variable layout gpt-2-simple's model.py creates ('model/wte', 'model/h0/...')."""
    import tensorflow as tf
    from gpt_2_simple.src import model

    hparams = model.default_hparams()
    hparams.override_from_dict(hp)
    graph = tf.Graph()
    with graph.as_default():
        tf.compat.v1.set_random_seed(seed)
        x = tf.compat.v1.placeholder(tf.int32, [1, None])
        model.model(hparams=hparams, X=x)
        saver = tf.compat.v1.train.Saver(save_relative_paths=True)
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            saver.save(sess, str(folder / "model.ckpt"), write_meta_graph=False)


def is_model_dir(path: Path) -> bool:
    """A usable gpt-2-simple base folder: config, vocabulary and a checkpoint."""
    path = Path(path)
    names = ["hparams.json", "encoder.json", "vocab.bpe", "checkpoint"]
    return all((path / n).exists() for n in names)
