#!/usr/bin/env bash
# tests/ci/action_test.sh — the composite action (action.yml) on the example
# project (examples/checksum), run locally: the scripts its steps call, with
# the arguments its steps pass, as GitHub would run them for another
# repository. This build is installed into a fresh prefix; install-gate takes
# it from there (`gate: installed`), as it would take a gate built from the
# action's source or its Debian package. The example lives in a temporary
# git repository with a bare origin: main with a baseline recorded by the
# installed gate, each pull request merged into main's tip and checked out
# detached at depth 2, as actions/checkout leaves it.
#
#   action_test.sh
#
# Environment: GATE_BUILD_DIR (this build, installed by the test),
# PERFGATE_SOURCE_DIR (this repository), CI_WORK (a scratch directory).
# Exit 0 passed, 1 failed, 77 skipped (with the reason on stdout).
# The checks below run functions through expect (checks.sh), which shellcheck
# cannot follow:
# shellcheck disable=SC2317
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source_dir="${PERFGATE_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
: "${GATE_BUILD_DIR:?GATE_BUILD_DIR must name this build}"
: "${CI_WORK:?CI_WORK must name a scratch directory}"
work="$CI_WORK/action"
runner="gha-example"

# shellcheck source=tests/ci/checks.sh
source "$here/checks.sh"

for tool in git jq cmake valgrind; do
  command -v "$tool" > /dev/null || skip "$tool is not installed"
done
[ -f "$GATE_BUILD_DIR/benchsuite/harness/libperfgate_harness.a" ] \
  || skip "this build has no harness (GATE_BUILD_HARNESS=OFF, or perfgate_harness not built)"
if grep -q '^GATE_SANITIZE:BOOL=ON' "$GATE_BUILD_DIR/CMakeCache.txt" 2> /dev/null; then
  skip "this build has sanitizers: its harness cannot be installed for a plain consumer; run the release preset"
fi

export GIT_AUTHOR_NAME="perfgate test" GIT_AUTHOR_EMAIL="test@perfgate.invalid"
export GIT_COMMITTER_NAME="perfgate test" GIT_COMMITTER_EMAIL="test@perfgate.invalid"
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
unset GITHUB_EVENT_NAME GITHUB_EVENT_PATH GITHUB_WORKSPACE GATE_RUNNER CMAKE_PREFIX_PATH
identity() { git config user.name "$GIT_AUTHOR_NAME"; git config user.email "$GIT_AUTHOR_EMAIL"; }

rm -rf "$work"
mkdir -p "$work"

# --- The "Get the gate" step: install-gate, as action.yml calls it. -------
prefix="$work/prefix"
cmake --install "$GATE_BUILD_DIR" --prefix "$prefix" > "$work/install.log" 2>&1 || {
  cat "$work/install.log"
  echo "FAIL: cmake --install of this build"
  exit 1
}
export RUNNER_TEMP="$work/runner-temp" GITHUB_ACTIONS=true
mkdir -p "$RUNNER_TEMP"
export GITHUB_OUTPUT="$work/gate-output" GITHUB_PATH="$work/gate-path" GITHUB_ENV="$work/gate-env"
: > "$GITHUB_OUTPUT"
: > "$GITHUB_PATH"
: > "$GITHUB_ENV"
# action.yml: --from "$GATE" --deb "$GATE_DEB" --install-deps "$INSTALL_DEPS"
"$source_dir/scripts/ci/install-gate" --from installed --deb "" --install-deps false --prefix "$prefix" \
  > "$work/install-gate.log" 2>&1 || { cat "$work/install-gate.log"; echo "FAIL: install-gate"; exit 1; }
gate="$(sed -n 's/^gate=//p' "$GITHUB_OUTPUT")"
expect "install-gate names the installed gate in its outputs" [ "$gate" = "$prefix/bin/gate" ]
expect "install-gate puts the prefix's bin on PATH" has "$GITHUB_PATH" "^$prefix/bin\$"
expect "install-gate puts the prefix on CMAKE_PREFIX_PATH" has "$GITHUB_ENV" "^CMAKE_PREFIX_PATH=$prefix\$"
# Inputs it cannot act on stop the step with one line that says why.
refused() {  # PATTERN ARGS... — install-gate exits 2 and its message matches
  local pattern="$1" out rc=0
  shift
  out="$("$source_dir/scripts/ci/install-gate" "$@" 2>&1 > /dev/null)" || rc=$?
  [ "$rc" -eq 2 ] && grep -qE -- "$pattern" <<< "$out"
}
expect "gate: deb without gate-deb is refused" \
  refused '^install-gate: error: --from deb needs --deb' --from deb --deb "" --install-deps false
expect "an unknown gate input is refused" \
  refused "^install-gate: error: --from 'sauce': source, deb, installed" --from sauce --install-deps false
expect "gate: source from a tree that is not perfgate is refused" \
  refused "is not perfgate's source" --from source --source "$work" --install-deps false
# What GitHub does with GITHUB_ENV and GITHUB_PATH before the next step.
export CMAKE_PREFIX_PATH="$prefix" PATH="$prefix/bin:$PATH"
[ -x "$gate" ] || { echo "FAIL: no gate to go on with"; exit 1; }

# --- The example's repository: main with a baseline. ----------------------
origin="$work/origin.git"
git init -q --bare -b main "$origin"
main="$work/main"
git clone -q "file://$origin" "$main" 2> /dev/null
cp -r "$source_dir/examples/checksum/." "$main/"
(
  cd "$main"
  identity
  git checkout -q -b main
  printf '/build/\n/perfgate/\n' > .gitignore
  git add -A
  git commit -qm "checksum: a library, its suite, a policy"
  # The baseline of main, recorded as the baseline update would.
  { cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build; } > "$work/main-build.log" 2>&1 || {
    cat "$work/main-build.log"
    echo "FAIL: the example does not build against the prefix"
    exit 1
  }
  "$gate" run --instrument --repetitions 3 --build-dir build --out "$work/main-run.json" --runner "$runner"
  "$gate" baseline update "$work/main-run.json" --runner "$runner" --commit
  git push -q origin main
) || exit 1

# make_pr NUMBER CHANGE MESSAGE — a pull request merged into main's tip as
# GitHub does, published as refs/pull/NUMBER/merge.
make_pr() {
  local n="$1" change="$2" message="$3" author="$work/author-$1"
  git clone -q "file://$origin" "$author"
  (
    cd "$author"
    identity
    git checkout -q -b "pr-$n" origin/main
    "$change"
    git add -A
    git commit -qm "$message"
    git checkout -q --detach origin/main
    git merge -q --no-ff --no-edit "pr-$n"
    git push -q --force origin "HEAD:refs/pull/$n/merge"
  )
}
readme_change() { echo "One more sentence." >> README.md; }
# One shift and one xor more per byte in FNV-1a's loop.
more_mixing() {
  sed -i 's/^    hash \*= 16777619U;$/    hash *= 16777619U;\n    hash ^= hash >> 15;/' src/checksum.cpp
  grep -q 'hash ^= hash >> 15;' src/checksum.cpp
}

# check NUMBER — the "Check" step of action.yml on the pull request's merge
# commit: action-check with the arguments the step passes (inputs kind:
# hosted, runner-id, check-args; the rest, phase and shard included, at their
# defaults); sets $status
# and $ci, the checkout.
check() {
  local n="$1"
  ci="$work/ci-$n"
  git init -q "$ci"
  (
    cd "$ci"
    git remote add origin "file://$origin"
    git fetch -q --no-tags --depth=2 origin "+refs/pull/$n/merge:refs/remotes/pull/$n/merge"
    git checkout -q --detach "refs/remotes/pull/$n/merge"
  )
  export GITHUB_OUTPUT="$work/check-output-$n" GITHUB_STEP_SUMMARY="$work/summary-$n.md"
  : > "$GITHUB_OUTPUT"
  : > "$GITHUB_STEP_SUMMARY"
  status=0
  (cd "$ci" && "$source_dir/scripts/ci/action-check" --defer-exit \
     --gate "$gate" --kind "hosted" --runner "$runner" \
     --build-dir "build" --build-command "" \
     --preset "" --cmake-args "" --policy "gate.json" \
     --instrument "auto" --run-args "" --check-args "--ab-rounds 3" \
     --phase "all" --shard "" --bundles perfgate-shards \
     --out perfgate) > "$work/check-$n.log" 2>&1 || status=$?
  sed 's/^/  | /' "$work/check-$n.log"
}
output() { sed -n "s/^$1=//p" "$GITHUB_OUTPUT"; }

# A pull request that changes no code passes.
make_pr 1 readme_change "README: one more sentence"
check 1
expect "action-check exits 0 with --defer-exit" [ "$status" -eq 0 ]
expect "exit-code 0 in the step's outputs" [ "$(output exit-code)" = 0 ]
expect "outcome passed" [ "$(output outcome)" = passed ]
expect "the artifact is named after the runner" [ "$(output artifact)" = "perfgate-report-$runner" ]
expect "instruction counts were measured (instrument: auto on a hosted runner)" \
  jq -e '[.suites[].benchmarks[] | select(.name != "(process)") | .metrics | has("instructions")] | all' "$ci/perfgate/run.json"
expect "the report files the upload step takes are there" \
  test -s "$ci/perfgate/report.md" -a -s "$ci/perfgate/report.json" -a -s "$ci/perfgate/report.xml"
expect "the job summary holds the report" has "$GITHUB_STEP_SUMMARY" '^## perfgate: PASSED'

# A pull request that adds work to FNV-1a's loop fails, by name.
make_pr 2 more_mixing "checksum: mix FNV-1a's bits once more per byte"
check 2
expect "action-check exits 0 with --defer-exit" [ "$status" -eq 0 ]
expect "exit-code 1 in the step's outputs: the Verdict step fails the job" [ "$(output exit-code)" = 1 ]
expect "outcome failed" [ "$(output outcome)" = failed ]
expect "an error annotation names BM_Fnv1a's instructions" \
  has "$work/check-2.log" '^::error title=perfgate::checksum_bench:BM_Fnv1a/4096 instructions'
lacks_adler() { ! grep -qE '^::error.*BM_Adler32' "$work/check-2.log"; }
expect "the job summary says FAILED" has "$GITHUB_STEP_SUMMARY" '^## perfgate: FAILED'
expect "Adler-32 is not blamed" lacks_adler
# The stored baseline keeps no profiles: the base build (built for the A/B
# run) is profiled, the verdict names the function, and the profiles of both
# sides are left for the artifact.
expect "the instruction count names the function it grew in" \
  jq -e '[.comparisons[1].report.verdicts[] | select(.benchmark == "BM_Fnv1a/4096" and .metric == "instructions")
          | .note | test("grew most in ")] | any' "$ci/perfgate/report.json"
expect "the profiles artifact is named after the runner" [ "$(output profiles-artifact)" = "perfgate-profiles-$runner" ]
expect "both sides' profiles of BM_Fnv1a/4096 are kept, decompressed" \
  test -s "$ci/perfgate/profiles/checksum_bench/callgrind.out.BM_Fnv1a%2F4096.head" \
    -a -s "$ci/perfgate/profiles/checksum_bench/callgrind.out.BM_Fnv1a%2F4096.base"

finish
