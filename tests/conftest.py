"""Shared fixtures: a seeded generator per test and the repository root."""

from __future__ import annotations

import os
import pathlib
import zlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

# Live comparisons against scipy: statistic and p-value to this relative tolerance.
RTOL = 1e-9


@pytest.fixture
def rng(request: pytest.FixtureRequest) -> np.random.Generator:
    """A generator seeded from the test's name, so each test sees its own reproducible data;
    set ``SHIFTWATCH_TEST_SEED`` to draw a different set of cases."""
    extra = int(os.environ.get("SHIFTWATCH_TEST_SEED", "0"))
    seed = zlib.crc32(request.node.nodeid.encode()) ^ extra
    return np.random.default_rng(seed)


@pytest.fixture
def root() -> pathlib.Path:
    return ROOT
