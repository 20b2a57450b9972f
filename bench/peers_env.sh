#!/usr/bin/env bash
# Creates (idempotently) the virtualenvs of the change-point peers that bench/vs_peers_changepoint.py
# and datasets/scripts/reference/changepoint_spa.py run as subprocesses. They cannot share one
# environment (nor /work/venv): signal-processing-algorithms and apache-otava pin incompatible
# numpy/scipy versions. Not needed by the test suite (the reference JSON is committed).
#
#   bench/peers_env.sh            # create or reuse; prints the two interpreters
#   PYTHON=python3.11 bench/peers_env.sh
#
# Layout: ${SHIFTWATCH_CACHE:-$HOME/.cache/shiftwatch}/peers/{spa,otava}/ ; each venv is marked
# complete by a stamp file holding the pinned requirement, so a changed pin rebuilds it.
set -euo pipefail

SPA_PIN="signal-processing-algorithms==2.1.6"
OTAVA_PIN="apache-otava==0.8.0"

CACHE="${SHIFTWATCH_CACHE:-$HOME/.cache/shiftwatch}/peers"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

make_env() {
    local name="$1" pin="$2" dir="$CACHE/$1"
    if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$pin" && -x "$dir/bin/python" ]]; then
        return
    fi
    echo "peers_env: creating $dir ($pin) with $PYTHON" >&2
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "$pin" >&2
    "$dir/bin/python" -m pip freeze --disable-pip-version-check >"$dir/freeze.txt"
    echo "$pin" >"$dir/.stamp"
}

mkdir -p "$CACHE"
make_env spa "$SPA_PIN"
make_env otava "$OTAVA_PIN"
echo "SPA_PYTHON=$CACHE/spa/bin/python"
echo "OTAVA_PYTHON=$CACHE/otava/bin/python"
