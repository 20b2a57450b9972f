"""The console script is the Rust CLI."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import shiftwatch
from shiftwatch._native import run_cli


def test_console_script_help_exits_zero():
    exe = shutil.which("shiftwatch")
    if exe is None:
        pytest.skip("console script not on PATH (package not installed)")
    out = subprocess.run([exe, "--help"], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "shiftwatch" in out.stdout.lower()


def test_module_entry_point_help_exits_zero():
    code = "from shiftwatch._cli import main; main()"
    out = subprocess.run(
        [sys.executable, "-c", code, "--help"], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr
    assert "Usage" in out.stdout


def test_usage_error_exits_two():
    assert run_cli(["shiftwatch", "--no-such-flag"]) == 2


def test_version_matches_package():
    out = subprocess.run(
        [sys.executable, "-c", "from shiftwatch._cli import main; main()", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0
    assert shiftwatch.__version__ in out.stdout
