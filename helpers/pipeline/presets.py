"""Named presets: small TOML files of parameter values (helpers/pipeline/presets/NAME.toml), chosen with `--preset
NAME`.

Why files: the settings for the offline demo, the test suite's smoke run and real 124M/355M runs used to live in code
(DEMO_PARAMS, SMOKE_PARAMS) and in help comments ("use 2e-5 for a pretrained BERT"). A preset only lists values that
differ from the notebooks' defaults; `-p` values win over it, and every value is checked like a `-p` value (an
unknown name is an error, not ignored).
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from importlib import resources
from typing import Any

from .. import contract
from ..errors import ConfigError
from ..params import suggest


def preset_names() -> list[str]:
    folder = resources.files("helpers.pipeline") / "presets"
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_preset(name: str) -> dict[str, Any]:
    """The preset's parameter values; ConfigError naming the known presets for an unknown name or a malformed file."""
    names = preset_names()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ConfigError(f"unknown preset {name!r}{hint} (presets: {', '.join(names)})")
    path = resources.files("helpers.pipeline") / "presets" / f"{name}.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"preset {name!r} cannot be read: {e}", file=str(path)) from None


def for_stages(preset: dict[str, Any], keys: Iterable[str]) -> dict[str, Any]:
    """A preset's values for the stages being run, names checked against the stage contract (not the notebook files).
    A preset covers every stage, so a name of another stage is left out; a name no stage declares is an error (a typo
    in a preset must not be dropped silently)."""
    declared = {key: {p.name for p in contract.all_params(s)} for key, s in contract.STAGES.items()}
    everywhere = set().union(*declared.values())
    unknown = [suggest(name, everywhere) for name in preset if name not in everywhere]
    if unknown:
        raise ConfigError("preset: " + "; ".join(unknown))
    running = set().union(*(declared.get(k, set()) for k in keys))
    return {k: v for k, v in preset.items() if k in running}
