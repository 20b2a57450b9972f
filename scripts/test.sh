#!/usr/bin/env bash
# Runs every test of shiftwatch: Rust (fmt, clippy, unit, integration, doc, benches in test
# mode), the Python package (built with maturin into a cached virtualenv), the notebooks and
# the Spark helper on local Spark (PySpark from scripts/requirements-spark.txt, Java 17+).
# Idempotent: the virtualenv and Cargo's build directory are cached under
# ${SHIFTWATCH_CACHE:-~/.cache/shiftwatch} and reused while requirements are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
cache=${SHIFTWATCH_CACHE:-$HOME/.cache/shiftwatch}
mkdir -p "$cache"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$cache/target}
export CARGO_TERM_COLOR=never

step() { printf '\n== %s\n' "$*"; }

step "python environment"
venv=${SHIFTWATCH_VENV:-$cache/venv}
requirements="$root/scripts/requirements-dev.txt"
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --upgrade pip
  "$venv/bin/python" -m pip install -q -r "$requirements"
  echo "$want" > "$stamp"
fi
# PySpark (the Spark tests; large, so a stage of its own with its own stamp). Where it cannot be
# installed the Spark tests skip, saying so.
spark_requirements="$root/scripts/requirements-spark.txt"
spark_stamp="$venv/.requirements-spark.sha256"
spark_want=$(sha256sum "$spark_requirements" | cut -d' ' -f1)
if [ "$(cat "$spark_stamp" 2>/dev/null)" != "$spark_want" ]; then
  echo "installing PySpark (scripts/requirements-spark.txt)"
  if "$venv/bin/python" -m pip install -q -r "$spark_requirements"; then
    echo "$spark_want" > "$spark_stamp"
  else
    echo "FAILED to install PySpark; the Spark tests will skip"
  fi
fi
export VIRTUAL_ENV=$venv
export PATH="$venv/bin:$PATH"
python --version

step "system parts (Prometheus, Chromium, Java) for the live-source, browser and Spark tests"
# shellcheck source=scripts/system-deps.sh
source "$root/scripts/system-deps.sh"
ensure_system_deps

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

step "cargo test (unit, integration, doctests)"
cargo test -p shiftwatch

step "cargo test --benches (criterion benches run once, in test mode)"
cargo test -p shiftwatch --benches -q

step "build the Python package (maturin develop --release)"
maturin develop --release -q

step "type stubs match the compiled module (mypy.stubtest)"
python -m mypy.stubtest shiftwatch._native --allowlist "$root/py/stubtest-allowlist.txt"

step "pytest (Python API, CLI parity, notebooks)"
python -m pytest -q "$root/tests"
