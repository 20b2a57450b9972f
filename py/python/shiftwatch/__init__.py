"""shiftwatch: did the new release regress?

Statistics for comparing service metrics between a baseline and a candidate release.
"""

from shiftwatch._native import InsufficientDataError, __version__

__all__ = ["InsufficientDataError", "__version__"]
