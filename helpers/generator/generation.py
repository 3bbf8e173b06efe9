"""One generation engine for stage 02 (fakes) and the live stage 05: load the checkpoint once, build ONE sampling graph.

The seed rebuilt the TF graph and reloaded the checkpoint for every comment. Here the prompt tokens, the reply length,
temperature, top_k, top_p and the random seed are all graph inputs, so the whole call runs on one graph. Comments of
similar length share a run: prompts are left-padded and ``forward`` masks the padding (gpt-2-simple's model cannot),
and it grows one (k, v) cache per layer instead of re-stacking the whole cache every step. A run stops early once every
row has written <|endoftext|>. Sampling is stateless, seeded from (seed, the run's prompts): the same comments with the
same seed give the same replies, so a resumed stage 02 writes what an uninterrupted one would have.

Prompts are ``<|startoftext|>comment [SEP]`` — the documents gpt-2-simple's CSV loader trained on start with
<|startoftext|>, and the space after [SEP] is left to the model because GPT-2's tokenizer glues a space to the word
after it (a prompt ending in a bare space is a token pair the model never saw in training).
"""

from __future__ import annotations

import json
import logging
import re
import time
import zlib
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from ..contract import default
from ..text import END_TOKEN, SEP, START_TOKEN, clean_text

log = logging.getLogger(__name__)

COLUMNS = ["comment_idx", "candidate_idx", "comment", "reply", "generation_ended"]
# gpt-2-simple trains on the markers as plain text, so the model writes them as several tokens, and a half-trained one
# spells them wrong ("<|endoftextext|>", a bare "endoftext"); a reply ends at the first marker-like piece or a new
# "[SEP]".
# A model trained with thread context (helpers/context.py) may also start a new tagged part: that ends the reply too.
_MARKER = re.compile(r"<\||\|>|(?:start|end)oftext|" + re.escape(SEP) + r"|\[(?:TITLE|PARENT|COMMENT)\]")
DEFAULT_BATCH_ROWS = 64  # rows sampled together: several comments' candidates share one run


class GenerationEngine:
    """Sample replies from a fine-tuned gpt-2-simple checkpoint (checkpoint_dir/run_name) or a base model folder."""

    def __init__(self, checkpoint_dir: Path, run_name: str = "run1", seed: int | None = None,
                 model_dir: Path | None = None, threads: int = -1):
        import numpy as np
        import tensorflow as tf
        from gpt_2_simple.src import encoder, model

        from .gpt2_checkpoint import checkpoint_prefix

        self.folder = Path(model_dir) if model_dir else Path(checkpoint_dir) / run_name
        if not (self.folder / "hparams.json").exists():
            from ..errors import InputError

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
            self.checkpoint = checkpoint_prefix(self.folder)  # which save was loaded (e.g. ".../model-150")
            saver.restore(self.sess, self.checkpoint)
        self.graph.finalize()

    # ---- the one graph ------------------------------------------------------------------------------------------
    def _build(self) -> None:
        import tensorflow as tf

        hp = self.hparams
        v1 = tf.compat.v1
        self.ph_context = v1.placeholder(tf.int32, [None, None], name="context")  # left-padded prompts
        self.ph_pad = v1.placeholder(tf.int32, [None], name="pad")  # left-pad tokens per row
        self.ph_length = v1.placeholder(tf.int32, [], name="length")
        self.ph_temperature = v1.placeholder(tf.float32, [], name="temperature")
        self.ph_top_k = v1.placeholder(tf.int32, [], name="top_k")
        self.ph_top_p = v1.placeholder(tf.float32, [], name="top_p")
        self.ph_seed = v1.placeholder(tf.int64, [], name="seed")
        batch = tf.shape(self.ph_context)[0]
        end_seq = tf.constant(self.end_seq or [-2], dtype=tf.int32)
        k_end = len(self.end_seq or [-2])

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

        _, kv0 = forward(hp, self.ph_context[:, :-1], self.ph_pad)

        def body(i, prev, output, tail, done, *kv):
            logits, kv = forward(hp, prev[:, tf.newaxis], self.ph_pad, list(kv))
            logits = filter_logits(logits[:, -1, :])
            seed = tf.stack([self.ph_seed, tf.cast(i, tf.int64)])
            nxt = tf.random.stateless_categorical(logits, 1, seed=seed, dtype=tf.int32)[:, 0]
            tail = tf.concat([tail[:, 1:], nxt[:, tf.newaxis]], axis=1)
            done = done | tf.equal(nxt, self.eot_id) | tf.reduce_all(tf.equal(tail, end_seq), axis=1)
            return (i + 1, nxt, tf.concat([output, nxt[:, tf.newaxis]], axis=1), tail, done, *kv)

        def cond(i, prev, output, tail, done, *kv):
            return tf.logical_not(tf.reduce_all(done))

        kv_shape = tf.TensorShape([None, hp.n_head, None, hp.n_embd // hp.n_head])
        loop = tf.while_loop(
            cond, body, maximum_iterations=self.ph_length,
            loop_vars=[tf.constant(0), self.ph_context[:, -1], self.ph_context[:, :0],
                       tf.fill([batch, k_end], -1), tf.zeros([batch], tf.bool), *kv0],
            shape_invariants=[tf.TensorShape([]), tf.TensorShape([None]), tf.TensorShape([None, None]),
                              tf.TensorShape([None, k_end]), tf.TensorShape([None]), *[kv_shape] * len(kv0)],
        )
        self.out_tokens = tf.stop_gradient(loop[2])

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
        return self.decode(tokens)[0]

    def decode(self, tokens: Sequence[int]) -> tuple[str, bool]:
        """(the cleaned reply, ended?): ended when the sample reached an end marker (<|endoftext|>, a misspelled
        marker piece, a new [SEP]) before the length limit; a reply that was cut at the limit is not ended."""
        tokens = list(tokens)
        ended = self.eot_id in tokens
        if ended:
            tokens = tokens[: tokens.index(self.eot_id)]
        head, end, _ = self.enc.decode(tokens).partition(END_TOKEN)
        parts = _MARKER.split(head.replace(START_TOKEN, " "), 1)
        return clean_text(parts[0]), ended or bool(end) or len(parts) > 1

    def _seed_for(self, batch: list, prompts: list, index: int) -> int:
        """One stateless seed per run, from the engine's seed and what the run holds: same input, same replies."""
        key = repr([(prompts[ci][0], start, count) for ci, start, count in batch]).encode()
        return (self.seed * 1_000_003 + zlib.crc32(key) * 101 + index) % (2 ** 62)

    # ---- the public call ----------------------------------------------------------------------------------------
    def generate(self, comments: Sequence[str], n: int = default("n_candidates", "05"),
                 temperature: float = default("temperature", "05"), top_k: int = default("top_k", "05"),
                 top_p: float = default("top_p", "05"), length: int = default("max_reply_tokens", "05"),
                 batch_size: int | None = None, on_comment: Callable[[int], None] | None = None) -> pd.DataFrame:
        """``n`` cleaned candidate replies per comment -> DataFrame[comment_idx, candidate_idx, comment, reply,
        generation_ended] (generation_ended: the sample stopped at an end marker, not at the length limit).

        Empty candidates are dropped and counted in ``last_stats``; ``candidate_idx`` keeps the sample's number.
        ``batch_size`` caps the rows of one run (default max(n, 64)): prompts of similar length are batched together.
        ``on_comment(k)`` is called once per comment with the number of candidates kept (e.g. for a progress bar).
        """
        n = max(int(n), 0)
        batch_size = max(int(batch_size or max(n, DEFAULT_BATCH_ROWS)), 1)
        prompts = [self.prompt_tokens(c, length) for c in comments]
        order = sorted(range(len(comments)), key=lambda i: len(prompts[i][0]))  # little padding per batch
        jobs = [(ci, s, min(batch_size, n - s)) for ci in order for s in range(0, n, batch_size)]
        batches, cur = [], []
        for job in jobs:
            if cur and sum(j[2] for j in cur) + job[2] > batch_size:
                batches.append(cur)
                cur = []
            cur.append(job)
        batches += [cur] if cur else []
        rows, dropped, steps, t0 = [], 0, 0, time.perf_counter()
        kept = [0] * len(comments)
        left = [len(range(0, n, batch_size)) for _ in comments]
        for b, batch in enumerate(batches):
            ctx = [prompts[ci][0] for ci, _, count in batch for _ in range(count)]
            width = max(map(len, ctx))
            out = self.sess.run(self.out_tokens, {
                self.ph_context: [[0] * (width - len(t)) + t for t in ctx],
                self.ph_pad: [width - len(t) for t in ctx], self.ph_length: prompts[batch[0][0]][1],
                self.ph_temperature: float(temperature), self.ph_top_k: int(top_k or 0),
                self.ph_top_p: float(top_p or 0.0), self.ph_seed: self._seed_for(batch, prompts, b)})
            steps += out.shape[1]
            r = 0
            for ci, start, count in batch:
                for j in range(count):
                    reply, ended = self.decode(out[r])
                    r += 1
                    if reply:
                        rows.append((ci, start + j, comments[ci], reply, ended))
                        kept[ci] += 1
                    else:
                        dropped += 1
                left[ci] -= 1
                if on_comment and left[ci] == 0:
                    on_comment(kept[ci])
        secs = time.perf_counter() - t0
        cut = sum(p[2] for p in prompts)
        self.last_stats = {"comments": len(comments), "requested": n * len(comments), "kept": len(rows),
                           "dropped_empty": dropped, "ended": sum(row[4] for row in rows), "comments_cut": cut,
                           "runs": len(batches),
                           "sampling_steps": steps, "seconds": round(secs, 3),
                           "candidates_per_s": round(n * len(comments) / secs, 2) if secs > 0 else None}
        if dropped:
            log.info("dropped %d empty candidate(s) of %d", dropped, n * len(comments))
        if cut:
            log.info("%d comment(s) longer than the context were cut from the front", cut)
        df = pd.DataFrame(sorted(rows, key=lambda t: (t[0], t[1])), columns=COLUMNS)
        return df.astype({"comment_idx": int, "candidate_idx": int, "generation_ended": bool})

    def close(self) -> None:
        self.sess.close()

    def __enter__(self) -> "GenerationEngine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def forward(hp, tokens, pad, past: list | None = None):
    """GPT-2's forward pass over gpt-2-simple's variables ('model/h0/attn/c_attn/w', ...), for LEFT-PADDED rows.

    Unlike gpt_2_simple.src.model.model it masks each row's ``pad`` leading keys and starts its positions after them,
    so prompts of different lengths share one batch; and it keeps the cache as one growing (k, v) pair per layer,
    which copies the cache once per step instead of four times. Returns (logits, [k0, v0, k1, v1, ...]) where the
    caches include ``past``. With pad == 0 it computes exactly what model.model computes.
    """
    import tensorflow as tf
    from gpt_2_simple.src import model

    v1 = tf.compat.v1
    with v1.variable_scope("model", reuse=v1.AUTO_REUSE):
        wpe = v1.get_variable("wpe", [hp.n_ctx, hp.n_embd])
        wte = v1.get_variable("wte", [hp.n_vocab, hp.n_embd])
        batch, steps = tf.shape(tokens)[0], tf.shape(tokens)[1]
        start = 0 if past is None else tf.shape(past[0])[2]
        pos = tf.maximum(start + tf.range(steps)[tf.newaxis, :] - pad[:, tf.newaxis], 0)
        h = tf.gather(wte, tokens) + tf.gather(wpe, pos)
        keys = start + steps
        keep = tf.cast(tf.range(keys)[tf.newaxis, :] >= pad[:, tf.newaxis], tf.float32)  # [batch, keys]
        mask = model.attention_mask(steps, keys, dtype=tf.float32)[tf.newaxis, tf.newaxis] * keep[:, None, None, :]
        head_dim = hp.n_embd // hp.n_head
        caches = []
        for layer in range(hp.n_layer):
            with v1.variable_scope(f"h{layer}"):
                x = model.norm(h, "ln_1")
                with v1.variable_scope("attn"):
                    c = model.conv1d(x, "c_attn", hp.n_embd * 3)
                    q, k, v = (tf.transpose(model.split_states(t, hp.n_head), [0, 2, 1, 3])
                               for t in tf.split(c, 3, axis=2))
                    if past is not None:
                        k = tf.concat([past[2 * layer], k], axis=2)
                        v = tf.concat([past[2 * layer + 1], v], axis=2)
                    caches += [k, v]
                    w = tf.matmul(q, k, transpose_b=True) * (1.0 / float(head_dim) ** 0.5)
                    w = w * mask - 1e10 * (1 - mask)
                    a = tf.matmul(model.softmax(w), v)
                    a = model.conv1d(model.merge_states(tf.transpose(a, [0, 2, 1, 3])), "c_proj", hp.n_embd)
                h = h + a
                h = h + model.mlp(model.norm(h, "ln_2"), "mlp", hp.n_embd * 4, hparams=hp)
        h = model.norm(h, "ln_f")
        logits = tf.matmul(tf.reshape(h, [-1, hp.n_embd]), wte, transpose_b=True)
        return tf.reshape(logits, [batch, steps, hp.n_vocab]), caches
