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


def _cli_json(tmp_path, baseline, candidate, *flags: str) -> dict:
    import json

    path = tmp_path / "series.csv"
    lines = ["baseline,candidate"]
    lines += [f"{'' if b != b else repr(float(b))},{'' if c != c else repr(float(c))}"
              for b, c in zip(baseline, candidate)]
    path.write_text("\n".join(lines) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", "from shiftwatch._cli import main; main()", "compare", str(path),
         "--baseline", "baseline", "--candidate", "candidate", "--format", "json", *flags],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    data.pop("input")
    return data


@pytest.mark.parametrize(
    "flags, kwargs",
    [
        ((), {}),
        (("--paired", "log-ratio"), {"paired": "log-ratio"}),
        (("--paired", "difference", "--alternative", "less"),
         {"paired": "difference", "alternative": "less"}),
        (("--method", "newey-west", "--alpha", "0.1"), {"method": "newey-west", "alpha": 0.1}),
        (("--method", "iid", "--alternative", "greater"),
         {"method": "iid", "alternative": "greater"}),
        (("--statistic", "median",), {"statistic": "median"}),
        (("--statistic", "median", "--paired", "difference"),
         {"statistic": "median", "paired": "difference"}),
    ],
)
def test_cli_json_equals_python_to_dict(tmp_path, flags, kwargs):
    import numpy as np

    rng = np.random.default_rng(len(flags))
    n = 300
    e = rng.normal(size=(2, n))
    z = np.zeros((2, n))
    for i in range(1, n):
        z[:, i] = 0.9 * z[:, i - 1] + e[:, i]
    baseline = 100 * np.exp(0.02 * z[0])
    candidate = 103 * np.exp(0.02 * z[1])
    expected = _cli_json(tmp_path, baseline, candidate, *flags)
    assert shiftwatch.compare(baseline, candidate, **kwargs).to_dict() == expected


def test_cli_and_python_agree_on_missing_cells(tmp_path):
    import numpy as np

    rng = np.random.default_rng(1)
    baseline = rng.normal(100, 5, 200)
    candidate = rng.normal(101, 5, 200)
    candidate[[3, 50]] = np.nan
    expected = _cli_json(tmp_path, baseline, candidate, "--paired", "difference")
    got = shiftwatch.compare(baseline, candidate, paired="difference", nan_policy="omit")
    assert got.to_dict() == expected
    expected = _cli_json(tmp_path, baseline, candidate)
    assert shiftwatch.compare(baseline, candidate, nan_policy="omit").to_dict() == expected


def test_cli_and_python_share_the_missing_value_policy_for_infinities(tmp_path):
    import json

    import numpy as np

    rng = np.random.default_rng(4)
    baseline = rng.normal(100, 5, 120)
    candidate = rng.normal(101, 5, 120)
    baseline[7] = np.inf
    candidate[[9, 30]] = [-np.inf, np.nan]
    path = tmp_path / "inf.csv"
    cell = {np.inf: "+Inf", -np.inf: "-Inf"}
    rows = ["baseline,candidate"] + [
        ",".join(cell.get(v, "" if v != v else repr(float(v))) for v in (b, c))
        for b, c in zip(baseline, candidate)
    ]
    path.write_text("\n".join(rows) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", "from shiftwatch._cli import main; main()", "compare", str(path),
         "--baseline", "baseline", "--candidate", "candidate", "--paired", "difference",
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0, out.stderr
    cli = json.loads(out.stdout)
    read = cli.pop("input")
    assert (read["missing_baseline"], read["missing_candidate"], read["rows_dropped"]) == (1, 2, 3)
    got = shiftwatch.compare(baseline, candidate, paired="difference", nan_policy="omit")
    assert got.baseline.n == 117
    assert got.to_dict() == cli


@pytest.mark.parametrize(
    "direction, regression", [("higher_is_worse", True), ("lower_is_worse", False), ("either", True)]
)
def test_cli_direction_and_exit_code_equal_python(tmp_path, direction, regression):
    import json

    import numpy as np

    rng = np.random.default_rng(3)
    baseline = rng.normal(100, 2, 300)
    candidate = rng.normal(104, 2, 300)
    path = tmp_path / "series.csv"
    rows = ["baseline,candidate"]
    rows += [f"{float(b)!r},{float(c)!r}" for b, c in zip(baseline, candidate)]
    path.write_text("\n".join(rows) + "\n")
    out = subprocess.run(
        [sys.executable, "-c", "from shiftwatch._cli import main; main()", "compare", str(path),
         "--baseline", "baseline", "--candidate", "candidate", "--direction", direction,
         "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == (1 if regression else 0), out.stderr
    cli = json.loads(out.stdout)
    cli.pop("input")
    got = shiftwatch.compare(baseline.tolist(), candidate.tolist(), direction=direction)
    assert got.regression is regression and got.significant
    assert got.to_dict() == cli


def test_cli_compare_missing_file_exits_two(tmp_path):
    code = run_cli(["shiftwatch", "compare", str(tmp_path / "nope.csv"), "--baseline", "a",
                    "--candidate", "b"])
    assert code == 2
