"""Helpers shared by the reference generators: seeded RNG, JSON writing with versions.

Each ``reference/<family>.py`` script computes expected values with an independent
implementation (scipy.stats, ruptures, …) and writes ``datasets/reference/<family>.json``
with the versions used, so the Rust tests can assert against them without Python.
"""

from __future__ import annotations

import json
import math
import platform
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "reference"


def clean(value):
    """Make numpy scalars/arrays JSON-friendly; non-finite floats become strings."""
    try:
        import numpy as np

        if isinstance(value, np.ndarray):
            value = value.tolist()
        elif isinstance(value, np.generic):
            value = value.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return value
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    return value


def write(name: str, cases: list, packages: list[str], **extra) -> Path:
    """Write ``datasets/reference/<name>.json`` with the cases and the package versions."""
    import importlib

    versions = {"python": sys.version.split()[0], "platform": platform.platform()}
    for pkg in packages:
        versions[pkg] = importlib.import_module(pkg).__version__
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    doc = {"generator": f"datasets/scripts/reference/{name}.py", "versions": versions, **extra,
           "cases": clean(cases)}
    path.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(cases)} cases)")
    return path


def draw_noise(rng, kind, n):
    """n noise values of a named kind from the numpy Generator ``rng`` (one draw each, so a
    script's stream of random numbers does not depend on this helper):
    ``gauss``, ``cauchy``, ``lognormal``, or ``ties`` (integers 0..2 as floats)."""
    if kind == "gauss":
        return rng.normal(size=n)
    if kind == "cauchy":
        return rng.standard_cauchy(size=n)
    if kind == "lognormal":
        return rng.lognormal(size=n)
    if kind == "ties":
        return rng.integers(0, 3, size=n).astype(float)
    raise ValueError(kind)
