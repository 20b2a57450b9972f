"""Console-script entry point: the same Rust `run` as the `shiftwatch` binary."""

import sys

from shiftwatch._native import run_cli


def main() -> None:
    """Run the shiftwatch command line with ``sys.argv`` and exit with its code."""
    sys.exit(run_cli(["shiftwatch", *sys.argv[1:]]))
