# tests/ci/checks.sh — how the tests of the CI scripts report, sourced by
# each *_test.sh: every check prints one line (ok: / FAIL:), a skip prints
# its reason and exits 77 (CTest's SKIP_RETURN_CODE), and finish exits 1
# when any check failed.
# shellcheck shell=bash

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }
skip() { echo "SKIPPED: $*"; exit 77; }
expect() {  # DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
has() { grep -qE -- "$2" "$1"; }    # FILE REGEX
lacks() { ! grep -qE -- "$2" "$1"; }
holds() { jq -e "$1" "$2" > /dev/null; }  # FILTER FILE: true for the JSON file
equal() { [ "$1" = "$2" ] || { echo "  '$1' != '$2'"; return 1; }; }
finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$failures checks failed"
    exit 1
  fi
  echo "all checks passed"
  exit 0
}
