"""`detect(cost="biweight")` and `crops(cost="biweight")` from Python: the bounded loss ignores
spikes and stall windows, and CROPS runs the same exact search."""

import numpy as np
import shiftwatch


def corrupted(seed=0):
    rng = np.random.default_rng(seed)
    x = np.r_[np.zeros(300), np.full(300, 3.0)] + rng.standard_normal(600)
    x[[50, 51, 400]] += 30.0  # spikes
    x[200:203] = -100.0  # a stall of three points
    return x


def test_spikes_and_stalls_are_not_changes():
    d = shiftwatch.detect(corrupted(), cost="biweight")
    assert d.cost == "biweight"
    assert len(d.indices) == 1 and abs(d.indices[0] - 300) <= 3
    # The Gaussian-mean cost on the raw values (numeric penalty) splits at the outliers.
    raw = shiftwatch.detect(corrupted(), cost="l2", penalty=50.0, alpha=1.0)
    assert len(raw.indices) > 1


def test_crops_path_contains_the_detect_segmentation():
    x = corrupted(1)
    path = shiftwatch.crops(x, 5.0, 500.0, cost="biweight")
    assert any(len(s.indices) == 1 and abs(s.indices[0] - 300) <= 3 for s in path.path)
