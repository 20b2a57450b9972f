"""The Examples sections of the docstrings run and print what they claim."""

from __future__ import annotations

import doctest

import pytest
import shiftwatch._compare
import shiftwatch._convert
import shiftwatch._detect
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
    shiftwatch._compare,
    shiftwatch._convert,
    shiftwatch._detect,
]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__ for m in MODULES])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
