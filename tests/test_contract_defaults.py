"""Defaults from one place: a helper function's parameter named like a notebook parameter has the notebook's default
(helpers.contract), so calling helpers from Python trains, generates and selects like the notebooks do.

Why: `finetune` once defaulted to 1e-4/60 steps while 01 used 1e-3/150, and `run_rounds` to 2 candidates/5e-5 while 08
used 10/1e-3. The fix is `def f(..., learning_rate=default("gpt2_learning_rate"))`.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil

import pytest

import helpers
from helpers import contract
from helpers.errors import ConfigError

SKIP = {"helpers.__main__"}  # the CLI: argparse, no helper defaults
# A helper parameter that only shares its name with a notebook parameter: qualified name -> why it differs.
UNRELATED = {
    "helpers.colab.install_report(after)": "the installed package versions after pip, not 00's `after` date",
}


def contract_defaults() -> dict[str, object]:
    """Every contract parameter declared with one value across the stages that declare it."""
    out = {}
    for name in {p.name for s in contract.STAGES.values() for p in s.params}:
        try:
            out[name] = contract.default(name)
        except ConfigError:  # stages disagree (e.g. n_candidates): a helper must name the stage itself
            continue
    return out


def public_callables():
    """(qualified name, callable) of every public function and class defined in helpers, and classes' public
    methods."""
    for info in pkgutil.walk_packages(helpers.__path__, "helpers."):
        if info.name in SKIP:
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(obj):
                yield f"{module.__name__}.{name}", obj
            elif inspect.isclass(obj):
                yield f"{module.__name__}.{name}", obj
                for meth_name, meth in vars(obj).items():
                    if not meth_name.startswith("_") and inspect.isfunction(meth):
                        yield f"{module.__name__}.{name}.{meth_name}", meth


def same(a: object, b: object) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return list(a) == list(b)
    return type(a) is type(b) and a == b or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                             and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def mismatches(callables=None) -> list[str]:
    """'module.f(name=default): the notebooks' default is X' for each differing default."""
    wanted = contract_defaults()
    out = []
    for qualname, obj in callables if callables is not None else public_callables():
        try:
            params = inspect.signature(obj).parameters.values()
        except (TypeError, ValueError):
            continue
        factories = {f.name: f.default_factory for f in dataclasses.fields(obj)
                     if f.default_factory is not dataclasses.MISSING} if dataclasses.is_dataclass(obj) else {}
        for param in params:
            value = factories[param.name]() if param.name in factories else param.default
            if param.name in wanted and value is not inspect.Parameter.empty \
                    and not same(value, wanted[param.name]) and f"{qualname}({param.name})" not in UNRELATED:
                out.append(f"{qualname}({param.name}={value!r}): the notebooks' default is {wanted[param.name]!r}")
    return sorted(set(out))


def test_the_check_sees_a_differing_default():
    """The check can fail: a helper whose default differs from the notebooks' is listed; an equal one is not."""
    def differs(seed: int = 12345, bert_learning_rate: float = 0.001) -> None:
        """A helper whose seed default differs from the contract's."""

    assert contract.default("seed") != 12345 and contract.default("bert_learning_rate") == 1e-3
    assert mismatches([("differs", differs)]) == [
        f"differs(seed=12345): the notebooks' default is {contract.default('seed')!r}"]


def test_reddit_client_defaults_are_the_notebooks():
    """Fixed here (helpers/reddit is not being converted elsewhere): connect/make_reddit/resolve_settings."""
    from helpers.reddit import client

    found = mismatches([(f"client.{f.__name__}", f) for f in (client.connect, client.make_reddit,
                                                                client.resolve_settings)])
    assert not found, found


# Other engineers are moving the defaults of helpers/generator/*, helpers/offline/gpt2_tiny.py,
# helpers/tracking/adversarial*.py, helpers/live/* and helpers/data/* to contract.default in parallel (issue 12);
# make this strict once their branches are merged.
@pytest.mark.xfail(strict=False, reason="helper defaults in generator/, offline/, tracking/, live/, data/ are being "
                                         "moved to contract.default on other branches")
def test_helper_defaults_are_the_notebooks():
    found = mismatches()
    print("\n".join(found))
    assert not found, "helper defaults differ from the contract's:\n" + "\n".join(found)


# Helper parameters named differently from the notebook parameter that sets them (discriminators, pipeline):
# (module, function, parameter) -> (contract parameter, stage or "" when every stage agrees).
RENAMED = {
    ("helpers.discriminators.bert_models", "build_tiny_base", "vocab_size"): ("bert_tiny_vocab_size", ""),
    ("helpers.discriminators.bert_models", "build_tiny_base", "hidden_dim"): ("bert_tiny_hidden_dim", ""),
    ("helpers.discriminators.bert_models", "build_tiny_base", "num_layers"): ("bert_tiny_layers", ""),
    ("helpers.discriminators.bert_models", "build_classifier", "sequence_length"): ("bert_sequence_length", ""),
    ("helpers.discriminators.bert_models", "build_classifier", "learning_rate"): ("bert_learning_rate", ""),
    ("helpers.discriminators.bert_models", "compile_classifier", "learning_rate"): ("bert_learning_rate", ""),
    ("helpers.discriminators.bert_inputs", "check_pairs", "sequence_length"): ("bert_sequence_length", ""),
    ("helpers.discriminators.bert_train", "realism_frame", "sequence_length"): ("bert_sequence_length", ""),
    ("helpers.discriminators.bert_train", "upvote_frame", "sequence_length"): ("bert_sequence_length", ""),
    ("helpers.discriminators.bert_train", "split", "max_train_rows"): ("bert_max_train_rows", ""),
    ("helpers.discriminators.bert_train", "train_classifier", "epochs"): ("bert_epochs", ""),
    ("helpers.discriminators.bert_train", "train_classifier", "batch_size"): ("bert_batch_size", ""),
    ("helpers.discriminators.bert_train", "train_classifier", "patience"): ("bert_patience", ""),
    ("helpers.discriminators.scoring", "realism_model_dir", "choice"): ("realism_model", ""),
    ("helpers.pipeline.evaluate", "evaluate", "n_candidates"): ("n_candidates", "05"),
}


@pytest.mark.parametrize("where", list(RENAMED), ids=lambda w: f"{w[1]}.{w[2]}")
def test_renamed_helper_defaults_are_the_notebooks(where):
    """`build_tiny_base` once built a 2,000-word vocabulary where 03/04 build 4,000; `train_classifier` ran 3 epochs
    with patience 1 where the notebooks run 6 with patience 2."""
    module, name, param = where
    got = inspect.signature(getattr(importlib.import_module(module), name)).parameters[param].default
    assert same(got, contract.default(*RENAMED[where])), f"{module}.{name}({param}={got!r})"
