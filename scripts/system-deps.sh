#!/usr/bin/env bash
# Installs the real external parts some tests run against, from Debian's packages, when they are
# missing: a Prometheus server and promtool (live-source tests), Chromium (the HTML report in a
# headless browser) and a Java 17 runtime (local Spark). Sourced by scripts/test.sh.
#
# Where a part cannot be installed (not root, no apt-get, no registry), nothing fails here: the
# tests that need it skip with a loud message naming the part. Set SHIFTWATCH_NO_SYSTEM_DEPS=1 to
# never install anything.
system_deps_missing() {
  local missing=()
  command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  # Chromium brings no font; without one the HTML report's screenshots show empty boxes.
  [ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
  command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
  echo "${missing[@]:-}"
}

ensure_system_deps() {
  local missing
  missing=$(system_deps_missing)
  if [ -z "$missing" ]; then
    echo "system parts present: prometheus, promtool, chromium (+ fonts), java"
    return 0
  fi
  if [ "${SHIFTWATCH_NO_SYSTEM_DEPS:-0}" = 1 ]; then
    echo "SKIPPING install of system parts ($missing): SHIFTWATCH_NO_SYSTEM_DEPS=1; their tests will skip"
    return 0
  fi
  if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
    echo "CANNOT install system parts ($missing): needs root and apt-get; their tests will skip"
    return 0
  fi
  echo "installing system parts from Debian: $missing"
  # shellcheck disable=SC2086
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || true
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null \
      || echo "FAILED to install system parts ($missing); their tests will skip"
  fi
}
