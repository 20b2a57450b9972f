"""The Python examples of py/README.md (the PyPI page) run, from a folder outside the
repository."""

from __future__ import annotations

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "py" / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_an_example_per_front_door():
    assert len(BLOCKS) == 3
    for name in ("shiftwatch.compare", "shiftwatch.detect", "stats."):
        assert any(name in block for block in BLOCKS), name
    assert all(len(block.strip().splitlines()) <= 11 for block in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example_runs(block, tmp_path, monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(tmp_path)
    exec(compile(block, str(README), "exec"), {})
