"""A live Prometheus server as a source: the tidy frame of :func:`shiftwatch.read`."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import os
from collections.abc import Mapping, Sequence
from typing import Any, Union

from shiftwatch import _native
from shiftwatch._io import LabelsAs, Library, _frame, _report

__all__ = ["Prometheus", "read_prometheus"]

TimeLike = Union[str, int, float, _dt.datetime]


def _time(t: TimeLike) -> str:
    if isinstance(t, _dt.datetime):
        if t.tzinfo is None:
            raise ValueError("datetime without a timezone: give an aware datetime (e.g. UTC)")
        return str(int(round(t.timestamp() * 1000)))
    if isinstance(t, bool):
        raise TypeError("a time must be a string, a number or a datetime")
    if isinstance(t, (int, float)):
        return repr(t)
    return str(t)


def _queries(query: str | Sequence[str]) -> list[str]:
    queries = [query] if isinstance(query, str) else list(query)
    if not all(isinstance(q, str) for q in queries):
        raise TypeError("query must be a string or a list of strings")
    return queries


@dataclasses.dataclass(frozen=True)
class Prometheus:
    """A live Prometheus source for :func:`shiftwatch.analyze`, with the arguments of
    :func:`read_prometheus`; ``query`` may be empty when the config has ``[[queries]]``.

    Example:
        >>> import shiftwatch
        >>> src = shiftwatch.Prometheus("http://localhost:9090", "latency_seconds",
        ...                             start="now-2h", step="15s")
        >>> shiftwatch.analyze(src, baseline="base-*", candidate="cand-*")  # doctest: +SKIP
    """

    url: str
    query: Union[str, Sequence[str]] = ()
    start: TimeLike = "now-1h"
    end: TimeLike = "now"
    step: Union[str, None] = None
    ca_file: Union[str, "os.PathLike[str]", None] = None
    timeout: Union[str, None] = None
    retries: Union[int, None] = None

    def _native_args(
        self, step: str | None = None
    ) -> tuple[str, list[str], str, str, str | None, str | None, str | None, int | None]:
        """Positional arguments of the native functions (``step``: the fallback step)."""
        return (
            self.url,
            _queries(self.query),
            _time(self.start),
            _time(self.end),
            self.step if self.step is not None else step,
            None if self.ca_file is None else os.fspath(self.ca_file),
            self.timeout,
            self.retries,
        )


def read_prometheus(
    url: str,
    query: str | Sequence[str],
    start: TimeLike,
    end: TimeLike = "now",
    step: str | None = None,
    *,
    ca_file: str | os.PathLike[str] | None = None,
    timeout: str | None = None,
    retries: int | None = None,
    target_label: str | None = None,
    kinds: Mapping[str, str] | None = None,
    labels: LabelsAs = "string",
    library: Library = "polars",
    with_report: bool = False,
) -> Any:
    """Runs PromQL queries against a Prometheus server and returns the tidy frame of
    :func:`shiftwatch.read`.

    The answers of ``/api/v1/query_range`` go through the same reader as an exported
    ``query_range`` JSON file, so the frame equals ``shiftwatch.read`` of that export and
    everything downstream (:func:`shiftwatch.prepare`, :func:`shiftwatch.analyze` with the frame)
    is shared. A range with more than 11,000 points per series is split into several requests
    and stitched without duplicates. Transient failures (no answer, 429, 5xx) are retried with
    exponential backoff (``Retry-After`` respected).

    Query raw series: counters as counters (``http_requests_total``, not ``rate(...)``;
    shiftwatch computes rates and reports resets) and histograms by their ``_bucket`` series.

    Credentials come from the environment only, never from arguments:
    ``SHIFTWATCH_PROMETHEUS_TOKEN`` (or ``..._TOKEN_FILE``) for a bearer token,
    ``SHIFTWATCH_PROMETHEUS_USER`` with ``SHIFTWATCH_PROMETHEUS_PASSWORD`` (or
    ``..._PASSWORD_FILE``) for basic auth. They are never part of errors or reports.

    Args:
        url: Base URL of the server, e.g. ``"http://prometheus:9090"``.
        query: One PromQL expression or a list of them.
        start: Range start: ``"now-2h"``, RFC 3339, epoch seconds (or ms), or an aware
            ``datetime``.
        end: Range end (inclusive), as ``start``; default ``"now"``.
        step: Resolution, e.g. ``"15s"`` (default ``15s``); match the scrape interval.
        ca_file: PEM bundle of CA certificates to trust for ``https`` (default:
            ``SHIFTWATCH_PROMETHEUS_CA_FILE``, else the built-in Mozilla roots).
        timeout: Timeout of each request, e.g. ``"30s"`` (default ``60s``).
        retries: Retries of a request that got no answer, 429 or 5xx (default 4; backoff
            from 0.5 s, doubling).
        target_label: Label whose value is the series' target (default ``"target"``).
        kinds: Kinds by metric or family name, e.g. ``{"http_requests": "counter"}`` (the API
            does not say which series are counters).
        labels: ``"string"`` or ``"struct"``, as in :func:`shiftwatch.read`.
        library: ``"polars"`` (default) or ``"pandas"``.
        with_report: Also return the read report (with ``prometheus``: URL, queries, range).

    Returns:
        The frame of :func:`shiftwatch.read` (``timestamp, metric, target, labels, kind,
        value``), or ``(frame, report)`` with ``with_report=True``.

    Raises:
        ValueError: A bad argument, or the server refused the query (HTTP 4xx); the message
            names the URL and the query.
        ConnectionError: No answer, or the server kept failing after the retries.
        OSError: An unreadable CA or credential file.

    Example:
        >>> import shiftwatch
        >>> frame = shiftwatch.read_prometheus(  # doctest: +SKIP
        ...     "http://localhost:9090", ["http_requests_total", "latency_seconds"],
        ...     start="now-2h", step="15s")
        >>> shiftwatch.analyze(frame, baseline="base-*", candidate="cand-*")  # doctest: +SKIP

    See also :class:`Prometheus`: ``shiftwatch.analyze(shiftwatch.Prometheus(...))`` reads the
    same source and records it in the report's ``inputs.prometheus``.
    """
    src = Prometheus(url, query, start, end, step, ca_file, timeout, retries)
    out = _native.read_prometheus(*src._native_args(), target_label, dict(kinds or {}))
    frame = _frame(out, labels, (), library)
    return (frame, _report(out)) if with_report else frame

