"""Optional toxicity scorers for 06's ``toxicity`` filter: Detoxify (what ssi-bot uses) or a small local classifier.

Both give ``{label: [score per text]}`` (helpers.filters.ToxicityScorer). Detoxify needs torch and downloads its
checkpoint on first use (Colab preinstalls torch: ``pip install detoxify``); the local kind is a joblib file of
scikit-learn classifiers, one per label, so a user can train their own on their subreddits' removed comments and the
tests need no multi-gigabyte install.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..filters import ToxicityScorer

DETOXIFY_VARIANTS = ("original", "unbiased", "multilingual")


def load_toxicity_scorer(spec: str) -> ToxicityScorer | None:
    """``""``/``"off"``: no scorer; ``"detoxify:<variant>"``; or the path of a local scorer (``save_local_scorer``)."""
    spec = str(spec or "").strip()
    if spec.lower() in ("", "off", "none"):
        return None
    if spec.lower().startswith("detoxify"):
        variant = spec.partition(":")[2] or "original"
        return detoxify_scorer(variant)
    return local_scorer(spec)


def detoxify_scorer(variant: str = "original", device: str = "cpu") -> ToxicityScorer:
    """Detoxify's model (downloaded by torch.hub on first use, then cached)."""
    if variant not in DETOXIFY_VARIANTS:
        raise ConfigError(f"toxicity_model: Detoxify variant {variant!r} is not one of {list(DETOXIFY_VARIANTS)}")
    try:
        from detoxify import Detoxify
    except ImportError as e:
        raise ConfigError(f"toxicity_model = 'detoxify:{variant}' needs the detoxify package and torch "
                          f"(pip install detoxify; Colab has torch); import failed: {e}") from None
    model = Detoxify(variant, device=device)

    def score(texts: list[str]) -> dict[str, list[float]]:
        return {k: [float(x) for x in v] for k, v in model.predict(list(texts)).items()}

    return score


def save_local_scorer(classifiers: dict[str, Any], path: str | Path) -> Path:
    """Save ``{label: fitted classifier whose predict_proba takes raw texts}`` (e.g. a TF-IDF + LogisticRegression
    pipeline) for ``toxicity_model = "<path>"``."""
    import joblib

    from ..files import atomic_write

    if not classifiers or not all(hasattr(c, "predict_proba") for c in classifiers.values()):
        raise ConfigError("a local toxicity scorer needs {label: classifier with predict_proba}")
    with atomic_write(path, "wb", encoding=None) as fh:
        joblib.dump(dict(classifiers), fh)
    return Path(path)


def local_scorer(path: str | Path) -> ToxicityScorer:
    """A scorer from ``save_local_scorer``'s file: each label's score is its classifier's P(class 1)."""
    import joblib

    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"toxicity_model: no such file {path} (give 'off', 'detoxify:original' or a local scorer "
                          "written by helpers.live.toxicity.save_local_scorer)")
    classifiers = joblib.load(path)
    if not isinstance(classifiers, dict) or not classifiers:
        raise ConfigError(f"toxicity_model: {path} does not hold {{label: classifier}}")

    def score(texts: list[str]) -> dict[str, list[float]]:
        out = {}
        for label, clf in classifiers.items():
            col = list(clf.classes_).index(1) if 1 in list(clf.classes_) else -1
            out[label] = [float(p) for p in clf.predict_proba(list(texts))[:, col]]
        return out

    return score
