"""Input conversion: anything array-like → a contiguous 1-D float64 numpy array.

Accepted: lists and tuples of numbers, numpy arrays of any real dtype (float32, int64, bool,
strided views), pandas Series/Index and polars Series. pandas and polars are imported by
nobody here: they are recognised by their module name, so neither is a required dependency.

Missing values (``None``, ``pandas.NA``, polars nulls) become NaN, and the engine rejects NaN
with a ``ValueError`` that names the first offending index: shiftwatch never silently
propagates or drops NaN (unlike scipy's default ``nan_policy='propagate'``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["as_float64", "as_int"]


def _from_frame_library(x: Any) -> Any:
    """Unwraps pandas and polars containers into numpy, without importing either library."""
    module = type(x).__module__ or ""
    if module.startswith("polars"):
        if not hasattr(x, "dtype") or hasattr(x, "columns"):
            raise TypeError(
                f"expected a polars Series, got a {type(x).__name__}; select one column first"
            )
        # Nulls become NaN for numeric series (polars converts to float64 when needed).
        if x.null_count() > 0:
            return x.cast(float).to_numpy()
        return x.to_numpy()
    if module.startswith("pandas"):
        if hasattr(x, "columns"):
            raise TypeError(
                f"expected a pandas Series, got a {type(x).__name__}; select one column first"
            )
        try:
            return x.to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as err:
            raise TypeError(
                f"cannot convert pandas {type(x).__name__} of dtype {x.dtype} to float64: {err}"
            ) from err
    return x


def as_float64(x: Any, name: str = "x", masked: str = "refuse") -> NDArray[np.float64]:
    """Converts a sample to a contiguous 1-D float64 array (copying only when needed).

    Args:
        x: The sample: list, tuple, numpy array, pandas Series or polars Series of real numbers.
        name: The argument's name, used in error messages.
        masked: What a numpy masked array with masked values gets: ``"drop"`` removes them (as
            scipy does for samples), ``"refuse"`` raises (series in time order, where dropping
            points would silently join neighbours that are not neighbours).

    Returns:
        A C-contiguous ``float64`` array of shape ``(n,)``. A contiguous float64 input is
        returned as is (no copy).

    Raises:
        TypeError: If ``x`` is not array-like or holds non-numeric values (strings, objects,
            complex numbers), or is a whole DataFrame.
        ValueError: If ``x`` is not one-dimensional, or is a masked array with masked values
            and ``masked="refuse"``.

    Examples:
        >>> as_float64([1, 2, 3]).dtype
        dtype('float64')
    """
    if isinstance(x, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(x)
        if mask.any() and masked == "refuse":
            raise ValueError(
                f"{name}: a masked array with {int(mask.sum())} masked value(s); this series is "
                "used in time order, so masked points cannot be dropped silently: fill them "
                "(x.filled(np.nan)) or remove them yourself"
            )
        if x.ndim != 1:
            raise ValueError(f"{name}: expected a 1-D sample, got an array of shape {x.shape}")
        x = np.ma.getdata(x)[~mask]
    x = _from_frame_library(x)
    arr = numeric_array(x, name)
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D sample, got an array of shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def as_int(value: Any, name: str) -> int:
    """An integer argument: ``int``, numpy integers, or floats holding a whole number (``1e4``).

    Fractions are refused, never truncated (``n_resamples=1.5`` is not 1), and so are ``bool``,
    NaN and ±∞.

    Args:
        value: The argument as given.
        name: The argument's name, used in the error message.

    Returns:
        The value as a Python ``int``.

    Raises:
        TypeError: ``value`` is not a number (or is a ``bool``).
        ValueError: ``value`` is a float with a fractional part, or not finite.

    Examples:
        >>> as_int(1e4, "n_resamples")
        10000
        >>> as_int(1.5, "n_resamples")
        Traceback (most recent call last):
        ...
        ValueError: n_resamples must be a whole number, got 1.5
    """
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if not np.isfinite(value) or not float(value).is_integer():
            raise ValueError(f"{name} must be a whole number, got {value!r}")
        return int(value)
    raise TypeError(f"{name} must be an integer, got {type(value).__name__}")


def numeric_array(x: Any, name: str) -> NDArray[Any]:
    """``x`` as a numpy array of real numbers (any shape): ``None`` in object arrays becomes NaN;
    strings, bytes and non-numeric dtypes are refused.

    Args:
        x: A sequence or array.
        name: The argument's name, used in error messages.

    Returns:
        The array (not copied when already numeric).

    Raises:
        TypeError: ``x`` is a string, or holds values that are not real numbers.

    Examples:
        >>> numeric_array([1, None, 3], "x")
        array([ 1., nan,  3.])
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name}: expected a sequence of numbers, got {type(x).__name__}")
    arr = np.asarray(x)
    if arr.dtype == object:
        try:
            arr = np.asarray(
                [np.nan if v is None else v for v in arr.ravel()], dtype=np.float64
            ).reshape(arr.shape)
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name}: expected numbers, got values such as {err}") from err
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected real numbers, got dtype {arr.dtype}")
    return arr
