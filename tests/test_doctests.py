"""The Examples sections of the docstrings run and print what they claim."""

from __future__ import annotations

import doctest

import pytest

import shiftwatch._compare
import shiftwatch._convert
import shiftwatch.stats

MODULES = [shiftwatch.stats, shiftwatch._compare, shiftwatch._convert]


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__ for m in MODULES])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
