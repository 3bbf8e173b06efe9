"""Defaults from one place, found by name: every public helper function whose parameter is named like a notebook
parameter (one default across the stages) has the notebook's default. test_contract_defaults.py lists the functions
known to take a notebook parameter; this walk finds the ones nobody listed yet (a new helper, a new parameter).
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


# Left for the owners of data/, filters, generator/, live/, offline/ and quality (issue 12): some are real drift
# (posts_per_subreddit 200 vs 05's 5), some may be meant (seed=None: unseeded; blocklist=(): none for a pure
# function; the bundled sample's fixed seed 2020). Make this strict once each is fixed or listed in UNRELATED.
@pytest.mark.xfail(strict=False, reason="helper defaults in data/, filters, generator/, live/, offline/, quality still "
                                         "differ from the contract (see the printed list)")
def test_helper_defaults_are_the_notebooks():
    found = mismatches()
    print("\n".join(found))
    assert not found, "helper defaults differ from the contract's:\n" + "\n".join(found)

