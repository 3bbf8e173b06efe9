"""Stages 01–02 of the contract: fine-tune GPT-2, then generate the fakes the realism classifier learns from."""

from __future__ import annotations

from .. import drive as drv
from .spec import File, P, Param, Stage

CHECKPOINT = File(f"{drv.CHECKPOINT_DIR}/<run_name>/")


def sampling(what: str) -> tuple[Param, ...]:
    """The GPT-2 sampling parameters 02, 05 and 08 share (`what`: "replies", "fakes"), one default each."""
    return (
        P("run_name", "run1", "the fine-tuned checkpoint written by 01: checkpoint/<run_name>"),
        P("n_candidates", 10, f"{what} generated per comment (the seed's 10)", low=1),
        P("temperature", 0.7, "sampling temperature (the seed's 0.7)", low=0, low_open=True),
        P("top_k", 40, "sample among the k likeliest tokens (the seed used 40; 0: off)", low=0),
        P("top_p", 0.0, "nucleus sampling threshold (0: off)", low=0, high=1),
        P("max_reply_tokens", 100, f"length cap of one of the {what} in tokens; a long comment is cut from the front "
                                   "to make room", low=1),
    )

# 05, 08 and `python -m helpers evaluate` sample from the generator this picks (helpers.generator.lineage).
GENERATOR = P("generator", "auto",
              "auto: the newest accepted generator round descended from run_name (metrics/generator_rounds.csv), "
              "else run_name itself | a checkpoint folder name, e.g. \"run1_g1\", pins one (a rejected round too)",
              folder_name=True)
# 00 writes the training documents and 05 the live prompts in this form (helpers/context.py): the two must agree, so a
# preset or `-p context_depth=...` sets both (the runner passes a parameter to every stage that declares it).
CONTEXT_DEPTH = P("context_depth", 0,
                  "thread context: 0 gives the seed's lines (comment, separator, reply); d puts the post title and "
                  "up to d comments above the comment before it, tagged (drive_layout.md); 00 and 05 must agree",
                  low=0,
                  high=8)
GENERATOR_READS = (File(drv.GENERATOR_ROUNDS, "which round is the newest accepted generator"),
                   File(f"{drv.CHECKPOINT_DIR}/<generator>/", "pinned, or the round generator = auto chose"))

STAGE_01 = Stage(
    key="01", name="finetune_gpt2", part="generator", title="Fine-tune GPT-2 on comment → reply pairs", runtime="GPU",
    reads=(File(drv.GPT2_FINETUNE), File(f"{drv.GPT2_MODELS}/<base_model>/", "built or downloaded when missing"),
           File(f"{drv.CHECKPOINT_DIR}/<run_name>/", "to resume"),
           File(drv.DATA_SUMMARY, "the thread-context depth, recorded in the checkpoint")),
    writes=(File(f"{drv.GPT2_MODELS}/<base_model>/"), CHECKPOINT, File(f"{drv.GPT2_SAMPLES_DIR}/<run_name>/"),
            File(drv.GPT2_METRICS), File(drv.GPT2_LOSS_PNG)),
    params=(
    P("base_model", "tiny",
      "GPT-2 base: \"tiny\" (built offline from the corpus) or \"124M\" / \"355M\" (downloaded; the seed used "
      "355M)"),
    P("run_name", "run1", "checkpoint/<run_name> on the Drive root; 02 and 05 read it, a re-run resumes it"),
    P("gpt2_steps", 150,
      "TOTAL fine-tuning steps of this run (a re-run trains only the missing ones); ~1000+ for 124M/355M", low=0),
    P("gpt2_learning_rate", 1e-3,
      "1e-3 suits the tiny model trained from scratch; use 1e-4 (gpt-2-simple's default) for 124M/355M", low=0,
      low_open=True),
    P("gpt2_batch_size", 1, "1024-token windows per step", low=1),
    P("gpt2_save_every", 20, "save a checkpoint every N steps (and always at the end)"),
    P("gpt2_sample_every", 50, "print and save a sample every N steps (0: never)"),
    P("seed", 1234, "reproducibility: tiny model weights, window sampling, TF seed", low=0),
    ),
)

STAGE_02 = Stage(
    key="02", name="generate_gpt2_fakes", part="generator", title="Generate GPT-2 fakes for the realism classifier",
    runtime="GPU",
    reads=(File(drv.GPT2_GENERATE), CHECKPOINT, File(drv.BERT_GAN_REAL),
           File(drv.BERT_GAN_FAKE, "chunks already written"), File(drv.BERT_GAN_FAKE_SIGNATURE),
           File(drv.DATA_SUMMARY, "the comments' thread-context depth")),
    writes=(File(drv.BERT_GAN_FAKE), File(drv.BERT_GAN_FAKE_SIGNATURE), File(drv.FAKES_QUALITY)),
    params=(
    *sampling("fakes"),
    P("fake_chunk_size", 100, "comments per bert_gan_fake_NNNN.csv (the unit of resume)", low=1),
    P("fake_splits", ["train", "validation", "test"],
      "whose comments get fakes; 03 tests the realism model on held-out threads' fakes"),
    P("fake_max_comments", 0, "use only the first N comments, the splits taking turns (0: all)", low=0),
    P("seed", 1234, "reproducibility: the same seed gives the same fakes", low=0),
    ),
)
