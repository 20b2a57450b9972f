"""Small example data sets shipped inside the package, so examples run from any folder.

Each loader returns a pandas DataFrame indexed by UTC timestamps (``library="pandas"``, the
default, needs only pandas) or a polars DataFrame with a ``timestamp`` column
(``library="polars"``). :func:`path` gives the file itself, e.g. for :func:`shiftwatch.read` or
the command line.

* ``gateway_ttfb.csv``: 2 h of 15 s scrapes of a gateway's time to first byte (ms), a baseline
  and a candidate release side by side; the candidate is about 6 % slower, two candidate scrapes
  are missing. Seeded synthetic data (``datasets/scripts/make_examples.py`` in the repository).
* ``gateway_memory.csv``: a gateway's resident memory (MiB) every 30 s, with a +35 MiB step at
  row 240 (seeded synthetic data, same script).
* ``experiment/*``: a by-2 Kubo release experiment (two baseline and two candidate targets, 6 h
  of 60 s scrapes; Grafana CSVs and a Prometheus JSON) with a p99 regression, a goroutine leak,
  more 5xx and a memory breach on every target; :func:`experiment_paths` lists it for
  :func:`shiftwatch.analyze`.
* ``nab_elb_request_count_8c0756.csv``: AWS ELB request counts every 5 minutes from the Numenta
  Anomaly Benchmark (MIT licence, ``NAB-LICENSE.txt`` next to it); naive UTC timestamps, so
  read it with ``timezone="UTC"``.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import pathlib
from typing import Any

from shiftwatch._extras import require

__all__ = [
    "EXPERIMENT",
    "FILES",
    "experiment_paths",
    "load_gateway_memory",
    "load_gateway_ttfb",
    "load_nab_elb",
    "path",
]

#: The by-2 Kubo release experiment (``datasets/examples/experiment`` in the repository).
EXPERIMENT = (
    "experiment/counters.json",
    "experiment/goroutines.csv",
    "experiment/memory.csv",
    "experiment/peers.csv",
    "experiment/ttfb.csv",
)

FILES = ("gateway_memory.csv", "gateway_ttfb.csv", "nab_elb_request_count_8c0756.csv", *EXPERIMENT)


def path(name: str) -> pathlib.Path:
    """Path of one of the shipped data files (see :data:`FILES`).

    Args:
        name: The file name, e.g. ``"gateway_ttfb.csv"``.

    Returns:
        A filesystem path inside the installed package.

    Raises:
        ValueError: ``name`` is not one of :data:`FILES`.

    Examples:
        >>> from shiftwatch import datasets
        >>> datasets.path("gateway_ttfb.csv").name
        'gateway_ttfb.csv'
    """
    if name not in FILES:
        raise ValueError(f"unknown data file {name!r}; shipped: {', '.join(FILES)}")
    resource = importlib.resources.files("shiftwatch").joinpath("data", *name.split("/"))
    # The package is installed as files (maturin wheels are not zipped); keep the context
    # manager for zip imports anyway: the path stays valid for the life of the process.
    return pathlib.Path(_STACK.enter_context(importlib.resources.as_file(resource)))


_STACK = contextlib.ExitStack()


def _load(name: str, library: str, index: str = "timestamp") -> Any:
    if library == "pandas":
        pd = require("pandas", "frames")
        frame = pd.read_csv(path(name))
        frame[index] = pd.to_datetime(frame[index], utc=True)
        return frame.set_index(index)
    if library == "polars":
        pl = require("polars", "frames")
        frame = pl.read_csv(path(name))
        stamp = pl.col(index).str.to_datetime(time_zone="UTC", time_unit="ms")
        return frame.with_columns(stamp)
    raise ValueError(f"library must be 'pandas' or 'polars', got {library!r}")


def load_gateway_ttfb(library: str = "pandas") -> Any:
    """Baseline and candidate time to first byte (ms) of a gateway, every 15 s for 2 h.

    Args:
        library: ``"pandas"`` (DataFrame indexed by UTC timestamps) or ``"polars"``.

    Returns:
        A frame with columns ``baseline`` and ``candidate`` (two candidate values missing).

    Examples:
        >>> from shiftwatch import datasets
        >>> df = datasets.load_gateway_ttfb()
        >>> df.shape, int(df["candidate"].isna().sum())
        ((480, 2), 2)
    """
    return _load("gateway_ttfb.csv", library)


def load_gateway_memory(library: str = "pandas") -> Any:
    """A gateway's resident memory (MiB) every 30 s, with a +35 MiB step at row 240.

    Args:
        library: ``"pandas"`` (DataFrame indexed by UTC timestamps) or ``"polars"``.

    Returns:
        A frame with one column, ``rss_mib``.

    Examples:
        >>> from shiftwatch import datasets
        >>> datasets.load_gateway_memory(library="polars").columns
        ['timestamp', 'rss_mib']
    """
    return _load("gateway_memory.csv", library)


def load_nab_elb(library: str = "pandas") -> Any:
    """AWS ELB request counts every 5 minutes (Numenta Anomaly Benchmark, MIT licence).

    Args:
        library: ``"pandas"`` (DataFrame indexed by UTC timestamps) or ``"polars"``.

    Returns:
        A frame with one column, ``value`` (4032 rows).

    Examples:
        >>> from shiftwatch import datasets
        >>> len(datasets.load_nab_elb())
        4032
    """
    return _load("nab_elb_request_count_8c0756.csv", library)


def experiment_paths() -> list[pathlib.Path]:
    """Paths of the example release experiment's exports (Grafana CSVs and a Prometheus JSON).

    Returns:
        The five files, ready for :func:`shiftwatch.analyze` or ``shiftwatch analyze``.

    Examples:
        >>> import shiftwatch
        >>> from shiftwatch import datasets
        >>> r = shiftwatch.analyze(datasets.experiment_paths(), baseline="kubo-base-*",
        ...                        candidate="kubo-cand-*", preset="kubo")
        >>> r.verdict, r.metric("go_goroutines")["verdict"]
        ('regression', 'regression')
    """
    return [path(name) for name in EXPERIMENT]
