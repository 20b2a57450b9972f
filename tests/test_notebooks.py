"""Every notebook in notebooks/ runs top to bottom on a real ipykernel without errors, from a
folder outside the repository (as after ``pip install``: data come from the package)."""

from __future__ import annotations

import os
import pathlib
import re
import shutil

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/*.ipynb missing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: pathlib.Path, tmp_path: pathlib.Path, monkeypatch):
    # Headless plotting; the kernel inherits the environment.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # A copy in a temporary folder: relative paths into the repository cannot resolve.
    copy = tmp_path / "outside" / path.name
    copy.parent.mkdir()
    shutil.copy(path, copy)
    assert ROOT not in copy.parents
    nb = nbformat.read(copy, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.get("outputs"), f"{path.name}: commit notebooks with outputs stripped"
            assert not re.search(r"\.\./|datasets/|synthetic", cell.source), (
                f"{path.name}: code reads repository files or makes up data: {cell.source[:80]}"
            )
    # `python3` is ipykernel's native kernel: the interpreter running pytest (this venv).
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(copy.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [
        out
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    assert not errors
    assert os.environ.get("MPLBACKEND") == "Agg"
