"""The Examples sections of the docstrings run and print what they claim."""

from __future__ import annotations

import doctest

import pytest
import shiftwatch._analyze
import shiftwatch._compare
import shiftwatch._convert
import shiftwatch._detect
import shiftwatch._extras
import shiftwatch._flat
import shiftwatch._io
import shiftwatch._results
import shiftwatch.datasets
import shiftwatch.spark
import shiftwatch.stats._dependence
import shiftwatch.stats._distribution
import shiftwatch.stats._effects
import shiftwatch.stats._location
import shiftwatch.stats._rank
import shiftwatch.stats._resampling

MODULES = [
    shiftwatch.stats._dependence,
    shiftwatch.stats._distribution,
    shiftwatch.stats._effects,
    shiftwatch.stats._location,
    shiftwatch.stats._rank,
    shiftwatch.stats._resampling,
    shiftwatch._analyze,
    shiftwatch._compare,
    shiftwatch._convert,
    shiftwatch._detect,
    shiftwatch._extras,
    shiftwatch._flat,
    shiftwatch._io,
    shiftwatch._results,
    shiftwatch.datasets,
    shiftwatch.spark,
]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__ for m in MODULES])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0


def test_every_public_function_has_an_example():
    import inspect

    import shiftwatch
    from shiftwatch import datasets, stats

    missing = []
    for module in (shiftwatch, stats, datasets):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) and ">>>" not in (inspect.getdoc(obj) or ""):
                missing.append(f"{module.__name__}.{name}")
            if inspect.isclass(obj):
                for attr, member in vars(obj).items():
                    if attr.startswith("_") or not inspect.isfunction(member):
                        continue
                    if ">>>" not in (inspect.getdoc(member) or ""):
                        missing.append(f"{module.__name__}.{name}.{attr}")
    assert not missing, f"no Examples section: {missing}"
