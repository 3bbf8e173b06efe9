"""One generation engine for stage 02 (fakes) and the live stage 05: load the checkpoint once, build ONE sampling graph.

The seed rebuilt the TF graph and reloaded the checkpoint for every comment. Here the prompt tokens, the reply length,
temperature, top_k, top_p and the random seed are all graph inputs, so every comment is one ``sess.run`` on the same
graph. The loop stops early once every row has written <|endoftext|>. Sampling is stateless and seeded per
(seed, prompt, batch), so a comment's candidates do not depend on which other comments share the call: a resumed
stage 02 writes exactly what an uninterrupted one would have.

Prompts are ``<|startoftext|>comment [SEP]`` — the documents gpt-2-simple's CSV loader trained on start with
<|startoftext|>, and the space after [SEP] is left to the model because GPT-2's tokenizer glues a space to the word
after it (a prompt ending in a bare space is a token pair the model never saw in training).
"""

from __future__ import annotations

import json
import logging
import time
import zlib
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from .text import END_TOKEN, SEP, START_TOKEN, clean_text

log = logging.getLogger(__name__)

COLUMNS = ["comment_idx", "candidate_idx", "comment", "reply"]


class GenerationEngine:
    """Sample replies from a fine-tuned gpt-2-simple checkpoint (checkpoint_dir/run_name) or a base model folder."""

    def __init__(self, checkpoint_dir: Path, run_name: str = "run1", seed: int | None = None,
                 model_dir: Path | None = None, threads: int = -1):
        import numpy as np
        import tensorflow as tf

        from gpt_2_simple.src import encoder, model

        from .gpt2_finetune import checkpoint_prefix

        self.folder = Path(model_dir) if model_dir else Path(checkpoint_dir) / run_name
        if not (self.folder / "hparams.json").exists():
            from .errors import InputError

            raise InputError("no gpt-2-simple checkpoint (hparams.json) here; run 01_finetune_gpt2 first",
                             file=self.folder)
        self.seed = int(seed) if seed is not None else int(np.random.SeedSequence().entropy % (2 ** 31))
        self.enc = encoder.get_encoder(str(self.folder))
        self.hparams = model.default_hparams()
        self.hparams.override_from_dict(json.loads((self.folder / "hparams.json").read_text()))
        self.n_ctx = self.hparams.n_ctx
        self.eot_id = self.enc.encoder.get(END_TOKEN, -1)
        self.end_seq = self.enc.encode(END_TOKEN)
        self.prefix_tokens = self.enc.encode(START_TOKEN)
        self.sep_tokens = self.enc.encode(" " + SEP)
        self.last_stats: dict = {}
        self.graph = tf.Graph()
        with self.graph.as_default():
            self._build()
            config = tf.compat.v1.ConfigProto()
            config.gpu_options.allow_growth = True
            if threads > 0:
                config.intra_op_parallelism_threads = config.inter_op_parallelism_threads = threads
            self.sess = tf.compat.v1.Session(graph=self.graph, config=config)
            saver = tf.compat.v1.train.Saver(var_list=tf.compat.v1.trainable_variables("model"))
            saver.restore(self.sess, checkpoint_prefix(self.folder))
        self.graph.finalize()

    # ---- the one graph ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        import tensorflow as tf

        from gpt_2_simple.src import model

        hp = self.hparams
        v1 = tf.compat.v1
        self.ph_context = v1.placeholder(tf.int32, [None, None], name="context")
        self.ph_length = v1.placeholder(tf.int32, [], name="length")
        self.ph_temperature = v1.placeholder(tf.float32, [], name="temperature")
        self.ph_top_k = v1.placeholder(tf.int32, [], name="top_k")
        self.ph_top_p = v1.placeholder(tf.float32, [], name="top_p")
        self.ph_seed = v1.placeholder(tf.int64, [], name="seed")
        batch = tf.shape(self.ph_context)[0]
        end_seq = tf.constant(self.end_seq or [-2], dtype=tf.int32)
        k_end = len(self.end_seq or [-2])

        def step(tokens, past=None):
            out = model.model(hparams=hp, X=tokens, past=past, reuse=v1.AUTO_REUSE)
            presents = out["present"]
            presents.set_shape(model.past_shape(hparams=hp, batch_size=None))
            return out["logits"][:, :, : hp.n_vocab], presents

        def filter_logits(logits):
            logits = logits / tf.maximum(self.ph_temperature, 1e-6)
            neg = tf.ones_like(logits) * -1e10

            def top_k():
                k = tf.minimum(self.ph_top_k, hp.n_vocab)
                kth = tf.math.top_k(logits, k=k).values[:, -1:]
                return tf.where(logits < kth, neg, logits)

            def top_p():
                srt = tf.sort(logits, direction="DESCENDING")
                before = tf.cumsum(tf.nn.softmax(srt), axis=1, exclusive=True)
                cutoff = tf.reduce_min(tf.where(before < self.ph_top_p, srt, tf.ones_like(srt) * 1e10), 1, True)
                return tf.where(logits < cutoff, neg, logits)

            logits = tf.cond(self.ph_top_k > 0, top_k, lambda: logits)
            return tf.cond((self.ph_top_p > 0.0) & (self.ph_top_p < 1.0), top_p, lambda: logits)

        _, past0 = step(self.ph_context[:, :-1])

        def body(i, past, prev, output, tail, done):
            logits, present = step(prev[:, tf.newaxis], past=past)
            logits = filter_logits(logits[:, -1, :])
            seed = tf.stack([self.ph_seed, tf.cast(i, tf.int64)])
            nxt = tf.random.stateless_categorical(logits, 1, seed=seed, dtype=tf.int32)[:, 0]
            tail = tf.concat([tail[:, 1:], nxt[:, tf.newaxis]], axis=1)
            done = done | tf.equal(nxt, self.eot_id) | tf.reduce_all(tf.equal(tail, end_seq), axis=1)
            return (i + 1, tf.concat([past, present], axis=-2), nxt,
                    tf.concat([output, nxt[:, tf.newaxis]], axis=1), tail, done)

        def cond(i, past, prev, output, tail, done):
            return tf.logical_not(tf.reduce_all(done))

        loop = tf.while_loop(
            cond, body, maximum_iterations=self.ph_length,
            loop_vars=[tf.constant(0), past0, self.ph_context[:, -1], self.ph_context[:, :0],
                       tf.fill([batch, k_end], -1), tf.zeros([batch], tf.bool)],
            shape_invariants=[tf.TensorShape([]), tf.TensorShape(model.past_shape(hparams=hp, batch_size=None)),
                              tf.TensorShape([None]), tf.TensorShape([None, None]),
                              tf.TensorShape([None, k_end]), tf.TensorShape([None])],
        )
        self.out_tokens = tf.stop_gradient(loop[3])

    # ---- prompts and replies ------------------------------------------------------------------------------------
    def prompt_tokens(self, comment: str, length: int) -> tuple[list[int], int, bool]:
        """(tokens, reply length, cut?) — a long comment loses its FRONT so prompt + reply fit in n_ctx."""
        comment = "" if comment is None or (isinstance(comment, float) and comment != comment) else str(comment)
        fixed = len(self.prefix_tokens) + len(self.sep_tokens)
        length = max(1, min(int(length), self.n_ctx - fixed - 1))
        room = self.n_ctx - fixed - length
        body = self.enc.encode(comment.strip())
        cut = len(body) > room
        body = body[len(body) - room:] if cut else body
        return self.prefix_tokens + body + self.sep_tokens, length, cut

    def decode_reply(self, tokens: Sequence[int]) -> str:
        tokens = list(tokens)
        if self.eot_id in tokens:
            tokens = tokens[: tokens.index(self.eot_id)]
        text = self.enc.decode(tokens).split(END_TOKEN, 1)[0].replace(START_TOKEN, " ")
        return clean_text(text)

    def _seed_for(self, prompt: list[int], chunk: int) -> int:
        key = ",".join(map(str, prompt)).encode()
        return (self.seed * 1_000_003 + zlib.crc32(key) * 101 + chunk) % (2 ** 62)

    # ---- the public call ----------------------------------------------------------------------------------------
    def generate(self, comments: Sequence[str], n: int = 10, temperature: float = 0.7, top_k: int = 40,
                 top_p: float = 0.0, length: int = 100, batch_size: int | None = None,
                 on_comment: Callable[[int], None] | None = None) -> pd.DataFrame:
        """``n`` cleaned candidate replies per comment -> DataFrame[comment_idx, candidate_idx, comment, reply].

        Empty candidates are dropped and counted in ``last_stats``; ``candidate_idx`` keeps the sample's number.
        ``batch_size`` caps the rows of one run (default: all n at once). ``on_comment(k)`` is called after each
        comment with the number of candidates kept, e.g. to drive a progress bar.
        """
        n, batch_size = max(int(n), 0), max(int(batch_size or n or 1), 1)
        rows, dropped, cut_count, t0 = [], 0, 0, time.perf_counter()
        for ci, comment in enumerate(comments):
            prompt, reply_len, cut = self.prompt_tokens(comment, length)
            cut_count += cut
            kept = 0
            for chunk, start in enumerate(range(0, n, batch_size)):
                size = min(batch_size, n - start)
                out = self.sess.run(self.out_tokens, {
                    self.ph_context: [prompt] * size, self.ph_length: reply_len,
                    self.ph_temperature: float(temperature), self.ph_top_k: int(top_k or 0),
                    self.ph_top_p: float(top_p or 0.0), self.ph_seed: self._seed_for(prompt, chunk)})
                for j, toks in enumerate(out):
                    reply = self.decode_reply(toks)
                    if reply:
                        rows.append((ci, start + j, comment, reply))
                        kept += 1
                    else:
                        dropped += 1
            if on_comment:
                on_comment(kept)
        secs = time.perf_counter() - t0
        self.last_stats = {"comments": len(comments), "requested": n * len(comments), "kept": len(rows),
                           "dropped_empty": dropped, "comments_cut": cut_count, "seconds": round(secs, 3),
                           "candidates_per_s": round(n * len(comments) / secs, 2) if secs > 0 else None}
        if dropped:
            log.info("dropped %d empty candidate(s) of %d", dropped, n * len(comments))
        if cut_count:
            log.info("%d comment(s) longer than the context were cut from the front", cut_count)
        return pd.DataFrame(rows, columns=COLUMNS).astype({"comment_idx": int, "candidate_idx": int})

    def close(self) -> None:
        self.sess.close()

    def __enter__(self) -> "GenerationEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
