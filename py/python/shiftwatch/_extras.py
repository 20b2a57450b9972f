"""Optional dependencies: import them with an error that names the extra to install."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require"]

_PURPOSE = {"frames": "data frames", "plot": "plots"}


def require(module: str, extra: str) -> Any:
    """Imports ``module`` or raises an ``ImportError`` saying which extra provides it.

    Args:
        module: The module to import, e.g. ``"polars"``.
        extra: The shiftwatch extra that installs it: ``"frames"`` or ``"plot"``.

    Returns:
        The imported module.

    Raises:
        ModuleNotFoundError: The module is not installed; the message says
            ``pip install 'shiftwatch[<extra>]'``.

    Examples:
        >>> require("numpy", "frames").__name__
        'numpy'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        if err.name is None or not module.startswith(err.name):
            raise
        purpose = _PURPOSE.get(extra, extra)
        raise ModuleNotFoundError(
            f"{module} is needed for {purpose} but is not installed; "
            f"install it with: pip install 'shiftwatch[{extra}]'",
            name=module,
        ) from err
