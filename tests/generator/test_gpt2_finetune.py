"""Stage 01 helpers: the tiny base, gpt-2-simple fine-tuning (loss goes down), resume after a kill, the online path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from gpt2corpus import corpus
from helpers.errors import InputError
from helpers.text import END_TOKEN

pytestmark = pytest.mark.tf1  # imports gpt-2-simple in-process, which turns eager execution off for good

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    from helpers.generator.gpt2_finetune import finetune

    root = tmp_path_factory.mktemp("gpt2")
    docs = {"train": corpus(150), "validation": corpus(15, seed=1)}
    metrics = finetune(docs, root / "checkpoint", root / "models", steps=12, learning_rate=1e-3, save_every=6,
                       sample_every=6, samples_dir=root, seed=7)
    return root, docs, metrics


@pytest.mark.slow
def test_learn_bpe_is_deterministic_and_round_trips():
    from gpt_2_simple.src.encoder import Encoder

    from helpers.offline.gpt2_tiny import learn_bpe

    texts = corpus(40)
    enc1, merges1 = learn_bpe(texts, 64)
    assert (enc1, merges1) == learn_bpe(texts, 64)
    assert len(merges1) == 64 and enc1[END_TOKEN] == len(enc1) - 1
    enc = Encoder(enc1, merges1)
    sample = "Ünïcode & emoji 🙂 " + texts[0]
    tokens = enc.encode(sample)
    assert enc.decode(tokens) == sample
    assert len(tokens) < len(sample.encode()), "learned merges compress the corpus"


@pytest.mark.slow
def test_tiny_base_is_a_gpt2_simple_model_folder(trained):
    root, _, _ = trained
    base = root / "models" / "tiny"
    hp = json.loads((base / "hparams.json").read_text())
    assert hp["n_ctx"] == 1024 and hp["n_layer"] <= 4 and 128 <= hp["n_embd"] <= 256
    enc = json.loads((base / "encoder.json").read_text())
    assert hp["n_vocab"] == len(enc) and END_TOKEN in enc
    assert (base / "vocab.bpe").read_text().startswith("#version")
    assert (base / "checkpoint").exists() and list(base.glob("model.ckpt.data-*"))


@pytest.mark.slow
def test_finetune_lowers_the_loss_and_saves_a_relocatable_checkpoint(trained):
    root, _, m = trained
    assert m["steps_before"] == 0 and m["steps_after"] == 12
    assert m["train_loss_after"] < m["train_loss_before"] - 0.5
    assert m["validation_loss_after"] < m["validation_loss_before"]
    assert [s for s, _ in m["loss_history"]] == list(range(1, 13))
    run = root / "checkpoint" / "run1"
    assert (run / "counter").read_text().strip() == "12"
    assert (run / "checkpoint").read_text().startswith('model_checkpoint_path: "model-12"')  # relative, not absolute
    assert list((root / "samples" / "run1").glob("samples-*")), "sample_every wrote samples under samples_dir"


@pytest.mark.slow
def test_save_metrics_writes_json_and_png(trained, tmp_path):
    from helpers.generator.gpt2_finetune import save_metrics

    _, _, m = trained
    summary = save_metrics(m, tmp_path / "m.json", tmp_path / "loss.png")
    assert "loss_history" not in json.loads((tmp_path / "m.json").read_text())
    assert summary["final_train_loss"] == m["loss_history"][-1][1]
    assert (tmp_path / "loss.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow
def test_rerun_with_the_same_total_trains_nothing(trained):
    from helpers.generator.gpt2_finetune import finetune

    root, docs, _ = trained
    m = finetune(docs, root / "checkpoint", root / "models", steps=12, seed=7)
    assert m["steps_before"] == 12 and m["steps_after"] == 12 and "train_tokens" not in m


def test_repair_checkpoint_uses_the_last_complete_save(tmp_path):
    from helpers.generator.gpt2_checkpoint import repair_checkpoint

    run = tmp_path / "run1"
    run.mkdir()
    assert repair_checkpoint(run) is None
    for step in (5, 10):
        (run / f"model-{step}.index").write_bytes(b"i")
        (run / f"model-{step}.data-00000-of-00001").write_bytes(b"d")
    (run / "model-15.index").write_bytes(b"i")  # killed while saving step 15: no data file
    (run / "checkpoint").write_text('model_checkpoint_path: "/old/drive/checkpoint/run1/model-15"\n')
    (run / "counter").write_text("")  # killed while gpt-2-simple rewrote its counter
    assert repair_checkpoint(run) == 10
    assert (run / "counter").read_text().strip() == "10"
    assert '"model-10"' in (run / "checkpoint").read_text() and "/old/" not in (run / "checkpoint").read_text()


@pytest.mark.slow
def test_resume_after_a_killed_finetune(trained, tmp_path):
    """SIGKILL a long run after its first save past step 12, then resume: it continues from that save."""
    import shutil

    from helpers.generator.gpt2_finetune import finetune

    root, docs, _ = trained
    work = tmp_path / "drive"
    shutil.copytree(root / "checkpoint", work / "checkpoint")
    shutil.copytree(root / "models", work / "models")
    (tmp_path / "docs.json").write_text(json.dumps(docs))
    script = textwrap.dedent(f"""
        import json
        from pathlib import Path
        from helpers.generator.gpt2_finetune import finetune
        docs = json.loads(Path({str(tmp_path / 'docs.json')!r}).read_text())
        w = Path({str(work)!r})
        finetune(docs, w / "checkpoint", w / "models", steps=10000, learning_rate=1e-3, save_every=4, seed=7)
    """)
    counter = work / "checkpoint" / "run1" / "counter"
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    try:
        deadline = time.time() + 90
        while time.time() < deadline and proc.poll() is None:
            text = counter.read_text().strip() if counter.exists() else ""
            if text.isdigit() and int(text) >= 16:
                break
            time.sleep(0.2)
        assert proc.poll() is None, "the long run ended by itself"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    from helpers.generator.gpt2_checkpoint import repair_checkpoint

    saved = repair_checkpoint(work / "checkpoint" / "run1")
    assert saved is not None and saved >= 16 and saved % 4 == 0
    m = finetune(docs, work / "checkpoint", work / "models", steps=saved + 2, learning_rate=1e-3, seed=7)
    assert m["steps_before"] == saved and m["steps_after"] == saved + 2
    assert m["train_loss_before"] < 4.0, "resumed from the fine-tuned weights, not the random base"
    assert [s for s, _ in m["loss_history"]][-2:] == [saved + 1, saved + 2]


def test_prepare_documents_drops_empty_rows_and_needs_train():
    from helpers.generator.gpt2_finetune import prepare_documents

    df = pd.DataFrame({"text": ["a [SEP] b", None, "  ", f"c [SEP] d{END_TOKEN}", "v [SEP] w"],
                       "split": ["train", "train", "train", "train", "validation"]})
    docs = prepare_documents(df)
    assert docs == {"train": ["a [SEP] b", "c [SEP] d"], "validation": ["v [SEP] w"]}
    with pytest.raises(InputError, match="split == 'train'"):
        prepare_documents(df.assign(split="validation"))
    with pytest.raises(InputError, match="missing column 'text'"):
        prepare_documents(df.rename(columns={"text": "body"}))


def test_online_base_models_go_through_gpt2_simple_download(tmp_path, monkeypatch):
    from gpt_2_simple import gpt_2

    from helpers.errors import ConfigError
    from helpers.generator.gpt2_finetune import ensure_base_model

    calls = []
    monkeypatch.setattr(gpt_2, "download_gpt2", lambda **kw: calls.append(kw))
    assert ensure_base_model(tmp_path, "355M") == tmp_path / "355M"
    assert calls == [{"model_dir": str(tmp_path), "model_name": "355M"}]
    with pytest.raises(ConfigError, match="base_model"):
        ensure_base_model(tmp_path, "gpt-5")


def test_a_corpus_under_one_window_is_repeated_so_gpt2_simple_can_sample(tmp_path):
    from gpt_2_simple.src.encoder import Encoder

    from helpers.generator.gpt2_finetune import encode_docs, write_dataset
    from helpers.offline.gpt2_tiny import learn_bpe

    docs = corpus(3)
    enc = Encoder(*learn_bpe(docs, 16))
    write_dataset(docs, tmp_path / "train.csv", enc)
    written = pd.read_csv(tmp_path / "train.csv")["text"].tolist()
    assert written[:3] == docs and len(written) % 3 == 0
    assert len(encode_docs(written, enc)) > 1025
