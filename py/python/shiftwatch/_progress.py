"""Progress bars for long engine calls: tqdm when installed and wanted, else nothing.

The engine calls ``update(done, total)`` about every 100 ms from the calling thread and checks
for Ctrl-C at the same time, so every long call is interruptible whether or not a bar shows.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

Update = Callable[[int, int], None]


def _interactive() -> bool:
    """A terminal on stderr, or a Jupyter/IPython kernel."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress_bar(progress: bool | None, desc: str) -> Iterator[Update | None]:
    """Yields the engine's callback, or ``None`` for no bar.

    ``progress=None`` (default): a bar when tqdm is installed and the session is interactive;
    ``True``: a bar when tqdm is installed; ``False``: never.
    """
    if progress is False or (progress is None and not _interactive()):
        yield None
        return
    if not isinstance(progress, bool) and progress is not None:
        raise TypeError(f"progress must be True, False or None, got {type(progress).__name__}")
    try:
        from tqdm.auto import tqdm
    except ImportError:
        yield None
        return
    bar: Any = None

    def update(done: int, total: int) -> None:
        # total == 0: not known in advance (CROPS): a counter instead of a bar.
        nonlocal bar
        known = total if total > 0 else None
        if bar is None:
            bar = tqdm(total=known, desc=desc, leave=False)
        bar.total = known
        bar.n = min(done, total) if known else done
        bar.refresh()

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
