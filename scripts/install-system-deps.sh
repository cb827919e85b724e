#!/usr/bin/env bash
# System packages the test suite uses, from Debian's archive: a CJK font (PDF fixtures, Word charts),
# Chromium (browser tests through Playwright) and PostgreSQL (the PostgreSQL store tests).
# Installs only what is missing, and only where it can (root with apt-get); elsewhere it says what
# is missing and the tests that need it skip with that reason. In CI (CI=true) a failed install fails.
set -u
PKGS=(fonts-wqy-microhei chromium postgresql)
missing=()
for p in "${PKGS[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "could not install: ${missing[*]}" >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
echo "not installed (needs root and apt-get): ${missing[*]}; tests that need them will be skipped" >&2
[ "${CI:-}" = "true" ] && exit 1
exit 0
