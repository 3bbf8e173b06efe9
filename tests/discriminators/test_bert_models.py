"""Model tests for the BERT discriminators: tiny base from the corpus, a Hugging Face folder as base, online presets
up to the download call, tiny classifiers that learn an easy split, and an exact save/load round trip."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from helpers.discriminators import bert_models as bm
from helpers.discriminators import bert_train as bt
from helpers.errors import ConfigError, InputError

pytestmark = pytest.mark.slow
TINY = dict(vocab_size=300, hidden_dim=32, intermediate_dim=64, num_layers=1, num_heads=2, max_sequence_length=64)
WORDS = "the a cat dog sat on mat tree house car road blue red seven green paper".split()
MARKS = ["awful bad", "good great", "fine okay", "superb wow"]


def easy_split(n: int, num_classes: int, seed: int = 0) -> pd.DataFrame:
    """Comments are noise; the reply's first two words give the class away."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, num_classes, n)
    return pd.DataFrame({
        "comment": [" ".join(rng.choice(WORDS, 8)) for _ in range(n)],
        "reply": [f"{MARKS[k]} " + " ".join(rng.choice(WORDS, 5)) for k in y], "label": y,
        "split": rng.choice(["train"] * 6 + ["validation", "test", "test"], n)})


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    data = easy_split(200, 4)
    return bm.resolve_base("tiny", tmp_path_factory.mktemp("bases"), texts=data["comment"].tolist() +
                           data["reply"].tolist(), seed=1, **TINY)


def test_tiny_base_is_a_local_preset_built_once(base, tmp_path):
    assert bm.is_keras_preset(base) and Path(base, "assets", "tokenizer", "vocabulary.txt").exists()
    vocab = Path(base, "assets", "tokenizer", "vocabulary.txt").read_text().split("\n")
    assert vocab[:5] == bm.RESERVED_TOKENS and "cat" in vocab
    stamp = Path(base, "config.json").stat().st_mtime_ns
    assert bm.resolve_base("tiny", Path(base).parent) == base  # reused, not rebuilt (texts not even needed)
    assert Path(base, "config.json").stat().st_mtime_ns == stamp
    with pytest.raises(ConfigError, match="no texts"):
        bm.resolve_base("tiny", tmp_path)
    with pytest.raises(InputError, match="no text"):
        bm.resolve_base("tiny", tmp_path, texts=[None, "  "])


def test_bad_base_names_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="empty"):
        bm.resolve_base("", tmp_path)
    with pytest.raises(ConfigError, match="does not exist"):
        bm.resolve_base(str(tmp_path / "nowhere"), tmp_path)
    (tmp_path / "junk").mkdir()
    with pytest.raises(ConfigError, match="neither a keras-hub preset"):
        bm.resolve_base(str(tmp_path / "junk"), tmp_path)
    assert bm.resolve_base(bm.ONLINE_DEFAULT, tmp_path) == bm.ONLINE_DEFAULT


@pytest.mark.parametrize("handle, expect", [
    ("bert_base_en_uncased", "keras/bert/keras/bert_base_en_uncased"),
    ("hf://google-bert/bert-base-uncased", "google-bert/bert-base-uncased"),
])
def test_online_presets_go_as_far_as_the_download_call(monkeypatch, handle, expect):
    """No network here: the download functions are replaced by ones that record the request and fail like offline."""
    from keras_hub.src.utils import preset_utils

    calls = []

    def offline(*args, **kwargs):
        calls.append(json.dumps([args, kwargs], default=str))
        raise OSError("network is unreachable")

    monkeypatch.setattr(preset_utils.kagglehub, "model_download", offline)
    monkeypatch.setattr(preset_utils.huggingface_hub, "hf_hub_download", offline)
    with pytest.raises(ConfigError, match=r"could not load BERT base .*offline, use bert_base='tiny'"):
        bm.build_classifier(handle, 2, sequence_length=128)
    assert calls and expect in calls[0]


@pytest.mark.parametrize("layer_norm", [("gamma", "beta"), ("weight", "bias")])
def test_a_hugging_face_bert_folder_works_as_a_base(tmp_path, layer_norm):
    """A 128-position checkpoint loads with its own positions (keras-hub 0.26 alone would build 512); LayerNorm
    weight/bias names need keras-hub 0.32, and an older one says so."""
    import keras_hub
    from safetensors.numpy import load_file

    vocab = bm.RESERVED_TOKENS + sorted(set(WORDS + " ".join(MARKS).split()))
    folder = write_hf_bert_folder(tmp_path / "hf_bert", vocab, layer_norm=layer_norm)
    base = bm.resolve_base(str(folder), tmp_path)
    if layer_norm[0] == "weight" and tuple(map(int, keras_hub.__version__.split(".")[:2])) < (0, 32):
        with pytest.raises(ConfigError, match=r"weight/bias.*keras-hub>=0\.32"):
            bm.build_classifier(base, 4, sequence_length=16)
        return
    clf = bm.build_classifier(base, 4, sequence_length=16)
    emb = clf.backbone.get_layer("token_embedding").embeddings.numpy()
    np.testing.assert_allclose(emb, load_file(folder / "model.safetensors")["bert.embeddings.word_embeddings.weight"])
    probs = bm.predict_proba(clf, ["the cat sat"], ["good great dog"])
    assert probs.shape == (1, 4) and probs.sum() == pytest.approx(1, abs=1e-5)
    with pytest.raises(ConfigError, match="exceeds"):
        bm.build_classifier(base, 2, sequence_length=1024)
    (folder / "tokenizer_config.json").unlink()  # a bare checkpoint: config.json, model.safetensors, vocab.txt
    bare = bm.build_classifier(bm.resolve_base(str(folder), tmp_path), 2, sequence_length=16)
    assert bare.preprocessor.tokenizer.get_vocabulary() == vocab


@pytest.mark.parametrize("num_classes", [2, 4])
def test_tiny_classifier_learns_an_easy_split_and_round_trips_exactly(base, tmp_path, num_classes):
    from helpers.discriminators import metrics

    parts = bt.split(easy_split(320, num_classes, seed=num_classes), num_classes, seed=1)
    clf = bm.build_classifier(base, num_classes, sequence_length=16, learning_rate=5e-3, dropout=0.0, seed=1)
    fit = bt.train_classifier(clf, parts, num_classes, epochs=12, batch_size=16, patience=3, seed=1)
    assert 1 <= fit["epochs_run"] <= 12 and fit["history"]["loss"][0] > min(fit["history"]["loss"])
    test = parts["test"]
    probs = bm.predict_proba(clf, test["comment"], test["reply"])
    accuracy = float((probs.argmax(1) == test["label"]).mean())
    assert accuracy > {2: 0.9, 4: 0.5}[num_classes], f"accuracy {accuracy} is not well above chance (1/{num_classes})"
    if num_classes == 2:
        assert metrics.binary_metrics(test["label"], probs[:, 1])["auc"] > 0.9
    saved = bm.save_classifier(clf, tmp_path / "clf")
    again = bm.load_classifier(saved)
    assert bm.classifier_info(again) == bm.classifier_info(clf)
    np.testing.assert_array_equal(bm.predict_proba(again, test["comment"], test["reply"]), probs)


def test_load_classifier_names_a_missing_model(tmp_path):
    with pytest.raises(InputError, match="run its training notebook first"):
        bm.load_classifier(tmp_path)


def write_hf_bert_folder(out_dir: str | Path, vocab: list[str], hidden_dim: int = 32, num_layers: int = 1,
                         num_heads: int = 2, intermediate_dim: int = 64, max_positions: int = 128,
                         seed: int = 0, layer_norm: tuple[str, str] = ("weight", "bias")) -> Path:
    """A random Hugging Face-format BERT checkpoint (config.json, model.safetensors, vocab.txt); for tests/demos."""
    from safetensors.numpy import save_file

    rng = np.random.default_rng(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    h, i_dim, v = hidden_dim, intermediate_dim, len(vocab)

    def w(*shape):
        return (rng.standard_normal(shape) * 0.02).astype("float32")

    t = {"bert.embeddings.word_embeddings.weight": w(v, h),
         "bert.embeddings.position_embeddings.weight": w(max_positions, h),
         "bert.embeddings.token_type_embeddings.weight": w(2, h),
         f"bert.embeddings.LayerNorm.{layer_norm[0]}": np.ones(h, "float32"),
         f"bert.embeddings.LayerNorm.{layer_norm[1]}": np.zeros(h, "float32"),
         "bert.pooler.dense.weight": w(h, h), "bert.pooler.dense.bias": np.zeros(h, "float32")}
    for i in range(num_layers):
        p = f"bert.encoder.layer.{i}."
        for name in ("query", "key", "value"):
            t[p + f"attention.self.{name}.weight"] = w(h, h)
            t[p + f"attention.self.{name}.bias"] = np.zeros(h, "float32")
        t[p + "attention.output.dense.weight"], t[p + "attention.output.dense.bias"] = w(h, h), np.zeros(h, "float32")
        t[p + "intermediate.dense.weight"], t[p + "intermediate.dense.bias"] = w(i_dim, h), np.zeros(i_dim, "float32")
        t[p + "output.dense.weight"], t[p + "output.dense.bias"] = w(h, i_dim), np.zeros(h, "float32")
        for ln in ("attention.output.LayerNorm", "output.LayerNorm"):
            t[f"{p}{ln}.{layer_norm[0]}"], t[f"{p}{ln}.{layer_norm[1]}"] = np.ones(h, "float32"), np.zeros(h, "float32")
    save_file(t, str(out / "model.safetensors"))
    config = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": v, "hidden_size": h,
              "num_hidden_layers": num_layers, "num_attention_heads": num_heads, "intermediate_size": i_dim,
              "max_position_embeddings": max_positions, "type_vocab_size": 2, "hidden_act": "gelu"}
    (out / "config.json").write_text(json.dumps(config, indent=2))
    (out / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True, "tokenizer_class": "BertTokenizer"}))
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n")
    return out
