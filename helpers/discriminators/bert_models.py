"""BERT text-pair classifiers over (comment, reply), built with keras-hub (Keras 3, TensorFlow backend).

A *base* names where the pretrained encoder comes from:
- ``"tiny"``: a small BertBackbone with a WordPiece vocabulary learned from our own corpus, saved once as a local
  preset (models/bert_base/tiny) and shared by 03 and 04. Offline, seconds to train; the demo and tests use it.
- a keras-hub preset name (``"bert_base_en_uncased"``, the seed's uncased L-12 H-768 BERT) or handle
  (``kaggle://...``, ``hf://google-bert/bert-base-uncased``): downloaded by keras-hub on first use.
- a local folder: a keras-hub preset, or a Hugging Face BERT checkpoint (config.json, model.safetensors, vocab.txt).

TensorFlow and keras-hub are imported inside the functions, so importing helpers stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..contract import default
from ..errors import ConfigError, InputError
from ..files import atomic_dir

TINY = "tiny"
ONLINE_DEFAULT = "bert_base_en_uncased"
RESERVED_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
HF_FILES = ("config.json", "model.safetensors", "vocab.txt")


def is_hf_bert_folder(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and all((p / f).exists() for f in HF_FILES) and not (p / "metadata.json").exists()


def is_keras_preset(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / "metadata.json").exists() and (p / "config.json").exists()


def build_tiny_base(
    texts: Iterable[str],
    out_dir: str | Path,
    vocab_size: int = default("bert_tiny_vocab_size", "03"),
    num_layers: int = default("bert_tiny_layers", "03"),
    num_heads: int = 2,
    hidden_dim: int = default("bert_tiny_hidden_dim", "03"),
    intermediate_dim: int = 128,
    max_sequence_length: int = 512,
    seed: int = default("seed", "03"),
) -> Path:
    """Learn a WordPiece vocabulary from ``texts`` and save a randomly initialised small BERT as a local preset.

    Published whole (atomic_dir), so a killed run never leaves a base that 04 would half-load.
    """
    import keras
    import keras_hub
    import tensorflow as tf

    texts = [t for t in texts if isinstance(t, str) and t.strip()]
    if not texts:
        raise InputError("no text to learn the tiny BERT vocabulary from")
    keras.utils.set_random_seed(seed)
    vocab = keras_hub.tokenizers.compute_word_piece_vocabulary(
        tf.data.Dataset.from_tensor_slices(texts).batch(1024),
        vocabulary_size=vocab_size,
        lowercase=True,
        strip_accents=True,
        reserved_tokens=RESERVED_TOKENS,
    )
    tokenizer = keras_hub.models.BertTokenizer(vocabulary=vocab, lowercase=True)
    backbone = keras_hub.models.BertBackbone(
        vocabulary_size=len(vocab),
        num_layers=num_layers,
        num_heads=num_heads,
        hidden_dim=hidden_dim,
        intermediate_dim=intermediate_dim,
        max_sequence_length=max_sequence_length,
    )
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        backbone.save_to_preset(str(tmp))
        tokenizer.save_to_preset(str(tmp))
    return out_dir


def resolve_base(base: str, bases_dir: str | Path, texts: Iterable[str] | None = None, **tiny_kwargs) -> str:
    """Turn the ``base`` parameter into something ``from_preset`` accepts; builds the tiny base when missing."""
    base = (base or "").strip()
    if not base:
        raise ConfigError("bert_base is empty: use 'tiny', a keras-hub preset name such as "
                          f"'{ONLINE_DEFAULT}', an hf:// handle, or a local folder")
    if base == TINY:
        out = Path(bases_dir, TINY)
        if is_keras_preset(out):
            return str(out)
        if texts is None:
            raise ConfigError(f"tiny BERT base {out} does not exist yet and no texts were given to build it")
        return str(build_tiny_base(texts, out, **tiny_kwargs))
    local = Path(base).expanduser()
    if local.exists() or base.startswith((".", "/", "~")):
        if not local.is_dir():
            raise ConfigError(f"bert_base folder {local} does not exist")
        if is_keras_preset(local) or is_hf_bert_folder(local):
            return str(local.resolve())
        raise ConfigError(f"bert_base folder {local} is neither a keras-hub preset (metadata.json, config.json) "
                          f"nor a Hugging Face BERT checkpoint ({', '.join(HF_FILES)})")
    return base  # a preset name or a kaggle:// / hf:// handle: keras-hub downloads it


def _from_preset(fn, base: str, **kwargs):
    """Call a keras-hub ``from_preset``; a failed download becomes a ConfigError that says what to do."""
    try:
        return fn(base, **kwargs)
    except (OSError, ValueError, ImportError, ConnectionError) as e:
        if Path(base).exists():
            raise
        raise ConfigError(
            f"could not load BERT base {base!r} ({type(e).__name__}: {str(e)[:300]}). Online presets need "
            "network access (and Kaggle/Hugging Face access); offline, use bert_base='tiny' or a local folder."
        ) from e


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("+")[0].split(".")[:2] if p.isdigit())


def _names_layer_norms_weight_bias(path: Path) -> bool:
    """Newer HF checkpoints call LayerNorm parameters weight/bias; the original BERT ones gamma/beta."""
    from safetensors import safe_open

    with safe_open(str(path), framework="np") as f:
        keys = list(f.keys())
    return any(k.endswith("LayerNorm.weight") for k in keys) and not any(k.endswith("LayerNorm.gamma") for k in keys)


def load_hf_backbone(folder: str | Path):
    """A BertBackbone from a Hugging Face checkpoint, built with the checkpoint's own number of positions.

    keras-hub 0.26 (Colab's) converts a HF BERT config without max_position_embeddings, so it builds 512 positions
    and fails on a checkpoint with fewer; newer keras-hub reads it. Passing it explicitly works on both.
    """
    import json

    import keras_hub

    config_path = Path(folder, "config.json")
    try:
        positions = int(json.loads(config_path.read_text())["max_position_embeddings"])
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"no usable max_position_embeddings ({type(e).__name__}: {e})", file=config_path) from e
    if _names_layer_norms_weight_bias(Path(folder, "model.safetensors")) and _version(keras_hub.__version__) < (0, 32):
        raise ConfigError(
            f"the Hugging Face BERT checkpoint {folder} names its LayerNorm tensors weight/bias; keras-hub "
            f"{keras_hub.__version__} reads only gamma/beta (as in google-bert/bert-base-uncased). Install "
            "keras-hub>=0.32 (pip install -U keras-hub), or use a checkpoint with gamma/beta names."
        )
    try:
        return keras_hub.models.BertBackbone.from_preset(str(folder), max_sequence_length=positions)
    except (ValueError, TypeError) as e:
        raise ConfigError(
            f"keras-hub {keras_hub.__version__} could not load the Hugging Face BERT checkpoint {folder} "
            f"({positions} positions): {str(e)[:200]}. The versions tested are keras-hub 0.26 (Colab's) and 0.32."
        ) from e


def build_classifier(
    base: str,
    num_classes: int,
    sequence_length: int = default("bert_sequence_length", "03"),
    dropout: float = 0.1,
    learning_rate: float = default("bert_learning_rate", "03"),
    seed: int = default("seed", "03"),
):
    """A compiled BertTextClassifier (logits out) whose preprocessor packs [CLS] comment [SEP] reply [SEP]."""
    import keras
    import keras_hub

    if num_classes < 2:
        raise ConfigError(f"num_classes must be at least 2, not {num_classes}")
    keras.utils.set_random_seed(seed)
    if is_hf_bert_folder(base) and not Path(base, "tokenizer_config.json").exists():
        # keras-hub reads do_lower_case from tokenizer_config.json; a bare checkpoint is taken as uncased BERT
        tokenizer = keras_hub.models.BertTokenizer(vocabulary=str(Path(base, "vocab.txt")), lowercase=True)
        pre = keras_hub.models.BertTextClassifierPreprocessor(tokenizer, sequence_length=int(sequence_length))
    else:
        pre = _from_preset(keras_hub.models.BertTextClassifierPreprocessor.from_preset, base,
                           sequence_length=int(sequence_length))
    if is_hf_bert_folder(base):
        clf = keras_hub.models.BertTextClassifier(backbone=load_hf_backbone(base), preprocessor=pre,
                                                  num_classes=int(num_classes), dropout=float(dropout))
    else:
        clf = _from_preset(keras_hub.models.BertTextClassifier.from_preset, base,
                           num_classes=int(num_classes), preprocessor=pre, dropout=float(dropout))
    max_len = clf.backbone.max_sequence_length
    if sequence_length > max_len:
        raise ConfigError(f"bert_sequence_length {sequence_length} exceeds the base's maximum {max_len}")
    compile_classifier(clf, learning_rate)
    return clf


def compile_classifier(clf, learning_rate: float = default("bert_learning_rate", "03")) -> None:
    import keras

    clf.compile(
        optimizer=keras.optimizers.AdamW(learning_rate=float(learning_rate), weight_decay=0.01),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=None,  # not keras-hub's "auto", which would add an unweighted accuracy twice
        weighted_metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")],
    )


def save_classifier(clf, out_dir: str | Path) -> Path:
    """save_to_preset into a temp folder that replaces ``out_dir`` whole."""
    out_dir = Path(out_dir)
    with atomic_dir(out_dir) as tmp:
        clf.save_to_preset(str(tmp))
    return out_dir


def load_classifier(path: str | Path):
    """Load a classifier saved by save_classifier (or any keras-hub TextClassifier preset)."""
    import warnings

    import keras_hub

    path = Path(path)
    if not (path / "task.json").exists():
        raise InputError("not a saved classifier (task.json missing); run its training notebook first", file=path)
    with warnings.catch_warnings():  # optimizer state is not needed for scoring
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        return keras_hub.models.TextClassifier.from_preset(str(path))


def classifier_info(clf) -> dict:
    """Small JSON-able description, shown in the notebooks and stored next to the metrics."""
    bb = clf.backbone
    return {
        "num_classes": int(clf.num_classes),
        "sequence_length": int(clf.preprocessor.sequence_length),
        "vocabulary_size": int(bb.vocabulary_size),
        "num_layers": int(bb.num_layers),
        "hidden_dim": int(bb.hidden_dim),
        "parameters": int(clf.count_params()),
    }


def predict_proba(clf, comments: Sequence[str], replies: Sequence[str], batch_size: int = 256) -> np.ndarray:
    """Class probabilities (softmax of the logits) for clean string pairs, via keras predict."""
    import keras

    if len(comments) == 0:
        return np.zeros((0, int(clf.num_classes)), dtype="float32")
    x = (np.asarray(list(comments), dtype=object), np.asarray(list(replies), dtype=object))
    logits = clf.predict(x, batch_size=batch_size, verbose=0)
    return np.asarray(keras.ops.softmax(logits, axis=-1))

