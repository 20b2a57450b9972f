#!/usr/bin/env bash
# Creates (idempotently) the virtualenvs of the change-point peers that bench/vs_peers_changepoint.py
# and datasets/scripts/reference/changepoint_spa.py run as subprocesses. They cannot share one
# environment (nor the development virtualenv): signal-processing-algorithms 2.1.6 pins numpy 1.26 and apache-otava
# 0.8.0 needs numpy 2. Not needed by the test suite (the reference JSON is committed).
#
#   bench/peers_env.sh                  # create or reuse; prints SPA_PYTHON=... OTAVA_PYTHON=...
#   eval "$(bench/peers_env.sh)"        # ... as shell variables
#   PYTHON=python3.11 bench/peers_env.sh
#
# Every package is pinned exactly (direct and transitive) by bench/peers/{spa,otava,fastcpd,cpdoctor}.txt
# (pip freeze of a working install on CPython 3.11). Layout:
# ${SHIFTWATCH_CACHE:-$HOME/.cache/shiftwatch}/peers/{spa,otava,fastcpd,cpdoctor}/; a venv is reused while its
# stamp equals the sha256 of its pin file, and rebuilt when the pins change.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${SHIFTWATCH_CACHE:-$HOME/.cache/shiftwatch}/peers"
PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3)}"

make_env() {
    local name="$1" pins="$HERE/peers/$1.txt" dir="$CACHE/$1" sum
    sum="$(sha256sum "$pins" | cut -d' ' -f1)"
    if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$sum" && -x "$dir/bin/python" ]]; then
        return
    fi
    echo "peers_env: creating $dir from $pins with $PYTHON" >&2
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check -r "$pins" >&2
    echo "$sum" >"$dir/.stamp"
}

mkdir -p "$CACHE"
make_env spa
make_env otava
make_env fastcpd
make_env cpdoctor
echo "SPA_PYTHON=$CACHE/spa/bin/python"
echo "OTAVA_PYTHON=$CACHE/otava/bin/python"
echo "FASTCPD_PYTHON=$CACHE/fastcpd/bin/python"
echo "CPDOCTOR_PYTHON=$CACHE/cpdoctor/bin/python"
