#!/usr/bin/env bash
# tests/ci/pr_check_test.sh — scripts/ci/pr-check end to end, on the fixture
# project (tests/ci/fixture) in a temporary git repository with a bare
# origin, as GitHub runs it: a baseline recorded on main, each pull request
# merged into main's tip with `git merge --no-ff`, published as
# refs/pull/<n>/merge, and checked out detached at depth 2.
#
#   pr_check_test.sh setup            the origin: main with the fixture and its baseline
#   pr_check_test.sh CASE             one pull request; CASE is one of the functions case_* below
#
# Environment: GATE_BIN (the gate built in this build), CI_WORK (a scratch
# directory shared by the cases), PERFGATE_SOURCE_DIR (this repository).
# Exit 0 passed, 1 failed, 77 skipped (with the reason on stdout).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source_dir="${PERFGATE_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
pr_check="$source_dir/scripts/ci/pr-check"
fixture="$here/fixture"
: "${GATE_BIN:?GATE_BIN must name the gate binary}"
: "${CI_WORK:?CI_WORK must name a scratch directory}"
origin="$CI_WORK/origin.git"
runner="ci-fixture"

# shellcheck source=tests/ci/checks.sh
source "$here/checks.sh"

for tool in git jq cmake; do
  command -v "$tool" >/dev/null || skip "$tool is not installed"
done
[ -x "$GATE_BIN" ] || skip "no gate binary at $GATE_BIN: build the gate target first"

# Commits are made by a fixed identity, whatever the machine's git config.
export GIT_AUTHOR_NAME="perfgate test" GIT_AUTHOR_EMAIL="test@perfgate.invalid"
export GIT_COMMITTER_NAME="perfgate test" GIT_COMMITTER_EMAIL="test@perfgate.invalid"
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_EVENT_NAME GITHUB_EVENT_PATH GATE_RUNNER
identity() { git config user.name "$GIT_AUTHOR_NAME"; git config user.email "$GIT_AUTHOR_EMAIL"; }

# ---------------------------------------------------------------------------
setup() {
  rm -rf "$CI_WORK"
  mkdir -p "$CI_WORK"
  git init -q --bare -b main "$origin"
  local main="$CI_WORK/main"
  git clone -q "file://$origin" "$main" 2>/dev/null
  cp -r "$fixture/." "$main/"
  cd "$main"
  identity
  git checkout -q -b main
  git add -A
  git commit -qm "fixture: a library, a suite, a policy"
  # The baseline of main, recorded as a maintainer would; compiled objects
  # are cached with paths relative to the checkout, as pr-check does.
  export CCACHE_BASEDIR="$main" CCACHE_NOHASHDIR=1
  if ! { cmake --preset release && cmake --build build/release; } > build.log 2>&1; then
    cat build.log
    echo "FAIL: the fixture does not build"
    exit 1
  fi
  "$GATE_BIN" run --policy gate.json --build-dir build/release --out "$CI_WORK/main-run.json" --runner "$runner"
  "$GATE_BIN" baseline update "$CI_WORK/main-run.json" --runner "$runner" --commit
  # A second runner id judged on instruction counts too (case_profiles),
  # where valgrind is installed.
  if command -v valgrind > /dev/null; then
    "$GATE_BIN" run --policy gate.json --build-dir build/release --out "$CI_WORK/main-instrumented.json" \
      --runner "$runner-instrumented" --instrument
    "$GATE_BIN" baseline update "$CI_WORK/main-instrumented.json" --runner "$runner-instrumented" --commit
  fi
  git push -q origin main
  git log --oneline
  echo "origin ready: $origin"
}

# make_pr NUMBER CHANGE [MESSAGE] — a pull request branch from main with
# CHANGE applied (a function run in the author's clone), merged into main's
# tip as GitHub does and pushed as refs/pull/NUMBER/merge.
make_pr() {
  local n="$1" change="$2" message="${3:-a change}"
  local author="$case_dir/author"
  git clone -q "file://$origin" "$author"
  (
    cd "$author"
    identity
    git checkout -q -b "pr-$n" origin/main
    "$change"
    git add -A
    git commit -qm "$message"
    git push -q --force origin "pr-$n"
    git checkout -q --detach origin/main
    git merge -q --no-ff --no-edit "pr-$n"
    git push -q --force origin "HEAD:refs/pull/$n/merge"
  )
}

# checkout NUMBER — the merge commit as actions/checkout leaves it with
# fetch-depth: 2: a shallow clone, detached, both parents present.
checkout() {
  local n="$1"
  ci="$case_dir/ci"
  git init -q "$ci"
  (
    cd "$ci"
    git remote add origin "file://$origin"
    git fetch -q --no-tags --depth=2 origin "+refs/pull/$n/merge:refs/remotes/pull/$n/merge"
    git checkout -q --detach "refs/remotes/pull/$n/merge"
  )
}

# check ARGS... — runs pr-check in the checkout; its output goes to
# $case_dir/check.log and to this test's output; sets $status.
check() {
  status=0
  (cd "$ci" && "$pr_check" --gate "$GATE_BIN" --runner "$runner" --confirm-rounds 10 "$@") > "$case_dir/check.log" 2>&1 || status=$?
  sed 's/^/  | /' "$case_dir/check.log"
  echo "pr-check exited $status"
}

begin_case() {
  [ -d "$origin" ] || { echo "FAIL: no origin at $origin: the setup test did not run"; exit 1; }
  case_dir="$CI_WORK/$1"
  rm -rf "$case_dir"
  mkdir -p "$case_dir"
}

# The code change of a real regression: the checksum makes three passes over
# its input instead of one. Wall and CPU time triple; nothing allocates.
slower_code() { sed -i 's/constexpr int passes = 1;/constexpr int passes = 3;/' src/work.cpp; grep -q 'passes = 3' src/work.cpp; }
readme_change() { echo "A sentence about nothing that runs." >> README.md; }
broken_code() { echo "this is not C++" >> src/work.cpp; }

# The slower code, and main's recorded times made three times longer in the
# PR's tree: against those, the slower code would look unchanged.
hide_regression() {
  slower_code
  local f="baselines/$runner/bench_work.json"
  jq '.suite.benchmarks[] |= (
        .metrics |= with_entries(if .key == "cpu_time" or .key == "real_time"
                                 then .value.samples |= map(. * 3) else . end)
        | .aggregates |= with_entries(if .key == "cv" then . else
            .value |= with_entries(if .key == "cpu_time" or .key == "real_time" then .value *= 3 else . end) end))' \
    "$f" > "$f.new"
  mv "$f.new" "$f"
  ! git diff --quiet -- "$f"
}
drop_suite() { sed -i '/"name": "bench_small"/d' gate.json; ! grep -q bench_small gate.json; }

# Every suspect of the first comparison was decided by the confirmation:
# confirmed or cleared, none left waiting or unpaired.
every_suspect_decided() {
  local out="$ci/perfgate" first final
  first="$out/first-report.json"
  final="$out/report.json"
  jq -e '[.verdicts[] | select(.status == "suspect")] | length > 0' "$first" > /dev/null || {
    echo "  no suspect in the first comparison"
    return 1
  }
  jq -e '[.verdicts[] | select(.status == "suspect")] | length == 0' "$final" > /dev/null || {
    echo "  suspects left: $(jq -c '[.verdicts[] | select(.status == "suspect") | .benchmark]' "$final")"
    return 1
  }
  local undecided
  undecided="$(jq -r --slurpfile first "$first" '
      [$first[0].verdicts[] | select(.status == "suspect") | [.suite, .benchmark, .metric]] as $keys
      | .verdicts[] | select(.test != "target") | select([.suite, .benchmark, .metric] as $k | $keys | index([$k]))
      | (.note // "") as $note
      | select(($note | test("(^|; )(not )?confirmed: ")) and ($note | test("could not be confirmed") | not) | not)
      | "\(.benchmark) \(.metric): \(.note)"' "$final")" || {
    echo "  could not read $final"
    return 1
  }
  if [ -n "$undecided" ]; then
    echo "  undecided: $undecided"
    return 1
  fi
}

# ---------------------------------------------------------------------------
# An A/A pull request: a README change. It passes and the base is not built.
case_aa() {
  begin_case aa
  make_pr 1 readme_change "README: one more sentence"
  checkout 1
  check --preset release
  expect "exit 0" [ "$status" -eq 0 ]
  expect "the log says the base was not built" has "$case_dir/check.log" 'no suspects: base not built'
  expect "no base worktree was made" [ ! -e "$ci/perfgate/base-src" ]
  expect "report.md says PASSED" has "$ci/perfgate/report.md" '^## perfgate: PASSED'
  expect "report.json and the JUnit report written" [ -s "$ci/perfgate/report.json" ] && [ -s "$ci/perfgate/report.xml" ]
  expect "judged against the base commit's baselines" has "$ci/perfgate/report.md" "baselines/$runner @[^ ]* HEAD\\^1"
  # Outside GitHub Actions nothing GitHub-specific is printed or written.
  expect "no workflow commands outside GitHub Actions" lacks "$case_dir/check.log" '^::'
  expect "no PR number file outside GitHub Actions" [ ! -e "$ci/perfgate/pr-number.txt" ]
  expect "no warning about missing baselines" lacks "$case_dir/check.log" 'no baselines for runner'
  finish
}

# A real regression in wall time only: suspects, the base built, the
# suspects confirmed, the check fails naming the benchmark. Run as under
# GitHub Actions, to see the summary and the escaped annotations.
case_regression() {
  begin_case regression
  make_pr 2 slower_code "checksum: three passes"
  checkout 2
  local summary="$case_dir/summary.md"
  echo '{"pull_request": {"number": 2}}' > "$case_dir/event.json"
  GITHUB_ACTIONS=true GITHUB_STEP_SUMMARY="$summary" GITHUB_EVENT_NAME=pull_request \
    GITHUB_EVENT_PATH="$case_dir/event.json" check --preset release
  expect "exit 1" [ "$status" -eq 1 ]
  expect "suspects found" has "$case_dir/check.log" '[0-9]+ suspects: confirming them'
  expect "the base was built in its own worktree" [ -x "$ci/perfgate/base-src/build/release/bench_work" ]
  if command -v ccache > /dev/null; then
    # The suite's source is the same in both trees: compiled once, reused.
    expect "the base build reused compiled objects" has "$case_dir/check.log" 'ccache: [1-9][0-9]* compilations reused'
  fi
  expect "report.md says FAILED" has "$ci/perfgate/report.md" '^## perfgate: FAILED'
  expect "report.md names the regressed benchmark" \
    has "$ci/perfgate/report.md" '^\| :x: regressed \| bench\\_work:BM\\_Checksum/100%/2000000 \|'
  expect "every suspect was confirmed or cleared" every_suspect_decided
  expect "the regression was confirmed" \
    holds '[.verdicts[] | select(.benchmark == "BM_Checksum/100%/2000000" and .metric == "cpu_time"
            and .status == "regressed" and .fails_gate == true)] | length == 1' "$ci/perfgate/report.json"
  expect "the job summary holds the report" has "$summary" '^## perfgate: FAILED'
  expect "PR number written for the comment job" [ "$(cat "$ci/perfgate/pr-number.txt")" = 2 ]
  expect "the PR's output is fenced from workflow commands" has "$case_dir/check.log" '^::stop-commands::[0-9a-f]{32}$'
  expect "an annotation names the benchmark, its % escaped" \
    has "$case_dir/check.log" '^::error title=perfgate::bench_work:BM_Checksum/100%25/2000000 cpu_time regressed \+'
  finish
}

# A pull request that edits baselines/ to hide its regression is still judged
# against main's baselines. Built with --build-cmd instead of the preset.
case_baselines_edited() {
  begin_case baselines_edited
  make_pr 3 hide_regression "checksum: three passes; baselines re-recorded"
  checkout 3
  # shellcheck disable=SC2016 # expanded by pr-check's shell
  check --build-cmd 'cmake -S "$SOURCE_DIR" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build "$BUILD_DIR"'
  expect "exit 1" [ "$status" -eq 1 ]
  expect "the report lists the PR's baseline change" has "$ci/perfgate/report.md" "baselines/$runner/bench\\\\_work.json"
  expect "the regression is caught against main's baselines" \
    holds '[.verdicts[] | select(.benchmark == "BM_Checksum/100%/2000000" and .status == "regressed" and .fails_gate)]
           | length == 1' "$ci/perfgate/report.json"
  expect "every suspect was confirmed or cleared" every_suspect_decided
  finish
}

# A hosted runner: deterministic metrics against the stored baselines, timing
# only base against head in this job. The base is always built.
case_hosted() {
  begin_case hosted
  make_pr 4 slower_code "checksum: three passes"
  checkout 4
  check --preset release --kind hosted
  expect "exit 1" [ "$status" -eq 1 ]
  expect "the base was built before the suites ran" has "$case_dir/check.log" 'building the base'
  expect "an a/b run of base and head" [ -s "$ci/perfgate/ab-run.json" ]
  expect "the a/b run follows the policy's ab section" \
    holds '.ab.pairing == "benchmark" and (.ab.cpu | type) == "number"' "$ci/perfgate/ab-run.json"
  expect "the report says how the pairs were made" has "$ci/perfgate/report.md" 'interleaved benchmark by benchmark, all on CPU'
  expect "the timing section fails" has "$ci/perfgate/report.md" '^### Timing, same-job A/B: FAILED'
  expect "the stored section is there" has "$ci/perfgate/report.md" '^### Deterministic metrics, stored baselines: '
  expect "the timing section names the benchmark" \
    holds '.comparisons[0].report.verdicts | map(select(.benchmark == "BM_Checksum/100%/2000000" and .status == "regressed"))
           | length == 1' "$ci/perfgate/report.json"
  expect "no timing verdict against the stored baselines" \
    holds '[.comparisons[1].report.verdicts[] | select(.metric == "cpu_time" or .metric == "real_time")] | length == 0' \
    "$ci/perfgate/report.json"
  expect "one JUnit file of both" has "$ci/perfgate/report.xml" '<testsuite name="bench_work"'
  finish
}

# What cannot be judged is never a pass: a checkout without the base commit,
# and a head that does not build. Both leave a report that says why.
case_unjudged() {
  begin_case unjudged
  make_pr 8 readme_change "README: one more sentence"
  # actions/checkout's default, fetch-depth 1: the base commit is not there.
  ci="$case_dir/ci"
  git init -q "$ci"
  (cd "$ci" && git remote add origin "file://$origin" &&
     git fetch -q --no-tags --depth=1 origin "+refs/pull/8/merge:refs/remotes/pull/8/merge" &&
     git checkout -q --detach "refs/remotes/pull/8/merge")
  GITHUB_ACTIONS=true check --preset release
  expect "no base commit: exit 2" [ "$status" -eq 2 ]
  expect "the report says why" has "$ci/perfgate/report.md" 'fetch-depth: 2'
  expect "an error annotation says why" has "$case_dir/check.log" '^::error title=perfgate could not judge::.*fetch-depth: 2'

  rm -rf "$case_dir"
  mkdir -p "$case_dir"
  make_pr 9 broken_code "checksum: does not compile"
  checkout 9
  check --preset release
  expect "a head that does not build: exit 2" [ "$status" -eq 2 ]
  expect "the report says the build failed" has "$ci/perfgate/report.md" 'head build failed'
  expect "the build's error is in the log" has "$case_dir/check.log" 'error'
  finish
}

# A waived regression passes, with its accepted row.
case_waiver() {
  begin_case waiver
  make_pr 5 slower_code $'checksum: three passes\n\nPerf-Accepted: BM_Checksum* cpu_time: three passes are the new format'
  checkout 5
  check --preset release
  expect "exit 0" [ "$status" -eq 0 ]
  expect "an accepted row with its reason" has "$ci/perfgate/report.md" 'accepted.*three passes are the new format'
  finish
}

# A pull request that drops a judged suite from gate.json fails and names it.
case_missing_suite() {
  begin_case missing_suite
  make_pr 6 drop_suite "gate.json: drop bench_small"
  checkout 6
  check --preset release
  expect "exit 1" [ "$status" -eq 1 ]
  expect "the report names the missing suite" has "$ci/perfgate/report.md" 'bench\\_small'
  finish
}

# A runner with no baselines: the check warns, and says how to record them.
case_no_baseline_warning() {
  begin_case no_baseline_warning
  make_pr 7 readme_change "README: one more sentence"
  checkout 7
  runner="ci-fixture-unrecorded" GITHUB_ACTIONS=true check --preset release
  expect "a warning annotation names the runner" \
    has "$case_dir/check.log" "^::warning title=perfgate::no baselines for runner 'ci-fixture-unrecorded'"
  expect "it says how to record them" has "$case_dir/check.log" 'gate baseline update run.json --runner ci-fixture-unrecorded'
  finish
}

# A runner with no baselines says so in its headline.
case_no_baseline() {
  begin_case no_baseline
  make_pr 10 readme_change "README: one more sentence"
  checkout 10
  runner="ci-fixture-unrecorded" check --preset release
  expect "the headline says there is no baseline" has "$ci/perfgate/report.md" '^## perfgate: .*no baseline'
  finish
}

# The judged verdicts of a report, as "suite benchmark metric status" lines
# (timing statuses left out: they move with the machine; so is the suites'
# process memory, which shards do not record).
verdict_keys() {
  jq -r '.verdicts[] | select(.benchmark != "(process)") | "\(.suite) \(.benchmark) \(.metric) \(if .metric == "cpu_time" or .metric == "real_time"
                                                        then "timing" else .status end)"' "$1" | sort
}

# The same check split over shards, as the Actions matrix runs it: the run
# phase three times (one job per shard, each with its own output), the judge
# phase merging them. Its verdict equals the unsharded check's.
case_sharded() {
  begin_case sharded
  make_pr 11 readme_change "README: one more sentence"
  checkout 11
  check --preset release
  expect "unsharded: exit 0" [ "$status" -eq 0 ]
  cp "$ci/perfgate/report.json" "$case_dir/unsharded.json"
  mkdir -p "$case_dir/bundles"
  local i
  for i in 1 2 3; do
    check --preset release --phase run --shard "$i/3" --out "perfgate-shard-$i"
    expect "shard $i/3: exit 0" [ "$status" -eq 0 ]
    expect "shard $i/3 wrote its bundle" holds ".shard.index == $i and .shard.count == 3" "$ci/perfgate-shard-$i/run.json"
    expect "shard $i/3 judged nothing" [ ! -e "$ci/perfgate-shard-$i/report.md" ]
    # What download-artifact leaves: one folder per shard's artifact.
    cp -r "$ci/perfgate-shard-$i" "$case_dir/bundles/perfgate-run-$i"
  done
  check --phase judge --bundles "$case_dir/bundles" --preset release
  expect "judged: exit 0" [ "$status" -eq 0 ]
  expect "the report says how many shards ran" has "$ci/perfgate/report.md" '3 shards run and merged'
  expect "the merged run has every benchmark" \
    holds '[.suites[].benchmarks[] | select(.name != "(process)")] | length == 3' "$ci/perfgate/run.json"
  if holds '.suspects == 0' "$ci/perfgate/first-report.json"; then
    expect "the judge job did not build (the gate was at hand)" lacks "$case_dir/check.log" 'building the head'
  fi
  if [ "$(verdict_keys "$ci/perfgate/report.json")" = "$(verdict_keys "$case_dir/unsharded.json")" ]; then
    pass "the sharded verdicts equal the unsharded ones"
  else
    fail "the sharded verdicts equal the unsharded ones"
    diff <(verdict_keys "$case_dir/unsharded.json") <(verdict_keys "$ci/perfgate/report.json") || true
  fi
  expect "the report says the process memory was not judged" \
    has "$ci/perfgate/report.md" "process memory was not measured in .*shards"
  # A shard missing is the gate's refusal: could not judge.
  rm -rf "$case_dir/bundles/perfgate-run-2"
  check --phase judge --bundles "$case_dir/bundles" --preset release
  expect "a missing shard: exit 2" [ "$status" -eq 2 ]
  expect "the report says which shard" has "$ci/perfgate/report.md" 'shard 2/3 missing'
  finish
}

# A regression in instruction counts (under --instrument) against a stored
# baseline, which keeps no profiles: the check profiles the base build's
# regressed benchmarks, the verdict names the function, and the profiles of
# both sides are left for the artifact, decompressed, under callgrind's names.
case_profiles() {
  command -v valgrind > /dev/null || skip "valgrind is not installed: no instruction counts and no profiles to keep"
  begin_case profiles
  make_pr 12 slower_code "checksum: three passes"
  checkout 12
  runner="$runner-instrumented" check --preset release --run-arg=--instrument
  expect "exit 1" [ "$status" -eq 1 ]
  local report="$ci/perfgate/report.json" dir="$ci/perfgate/profiles/bench_work"
  expect "the instruction counts regressed" \
    holds '[.verdicts[] | select(.metric == "instructions" and .status == "regressed")] | length == 3' "$report"
  expect "each names the function it grew in, from the base build's profile" \
    holds '[.verdicts[] | select(.metric == "instructions" and .status == "regressed")
            | select((.functions | length) > 0 and (.note | test("grew most in work::checksum")))] | length == 3' "$report"
  expect "the base build was profiled" has "$case_dir/check.log" 'building the base'
  local side
  for side in head base; do
    expect "the $side profile is kept for the artifact" [ -s "$dir/callgrind.out.BM_Checksum%2F1000.$side" ]
    expect "the $side profile is plain callgrind output" has "$dir/callgrind.out.BM_Checksum%2F1000.$side" '^events: '
  done
  expect "a profile of each regressed benchmark" [ -s "$dir/callgrind.out.BM_Checksum%2F100%25%2F2000000.head" ]
  # Two files (head and base) per benchmark with a regressed callgrind metric.
  local regressed
  regressed="$(jq '[.verdicts[] | select(.status == "regressed" and (.metric | test("instructions|misses|est_cycles")))
                   | [.suite, .benchmark]] | unique | length' "$report")"
  expect "two profiles per regressed benchmark, no others" \
    [ "$(find "$ci/perfgate/profiles" -type f | wc -l)" -eq $((2 * regressed)) ]
  if command -v callgrind_annotate > /dev/null; then
    callgrind_annotate --inclusive=yes "$dir/callgrind.out.BM_Checksum%2F1000.head" > "$case_dir/annotate.txt" 2>&1 || true
    expect "callgrind_annotate opens it as it is" has "$case_dir/annotate.txt" 'work::checksum'
  fi
  expect "the report says the profiles were kept" has "$ci/perfgate/report.md" "$((2 * regressed)) profiles kept"
  finish
}

refused_by() { ! RUNNERS="$2" "$1" > /dev/null 2>&1; }  # SCRIPT RUNNERS: true when it exits non-zero

# The workflow's plan: a runner of one shard is one whole check, a runner
# of n shards n run jobs and a judge; bad counts are refused.
case_shard_matrix() {
  local matrix="$source_dir/scripts/ci/shard-matrix" got
  got="$(RUNNERS='[{"runner-id": "a", "kind": "hosted"}, {"runner-id": "b", "runs-on": ["x"], "shards": 3}]' "$matrix")"
  expect "a runner of one shard: one whole check" \
    has <(sed -n 's/^checks=//p' <<< "$got" | jq -c '[.[] | select(."runner-id" == "a") | [.phase, .shard]]') \
    '^\[\["all",""\]\]$'
  expect "a runner of three shards: three run jobs" \
    has <(sed -n 's/^checks=//p' <<< "$got" | jq -c '[.[] | select(."runner-id" == "b") | .shard]') \
    '^\["1/3","2/3","3/3"\]$'
  expect "and one judge, keeping the runner's keys" \
    has <(sed -n 's/^judges=//p' <<< "$got" | jq -c '[.[] | [."runner-id", .shards, ."runs-on"]]') '^\[\["b",3,\["x"\]\]\]$'
  expect "no judge without shards" has <(RUNNERS='[{"runner-id": "a"}]' "$matrix") '^judges=\[\]$'
  local bad
  for bad in '[{"runner-id": "a", "shards": 0}]' '[{"runner-id": "a", "shards": 1.5}]' '[{"shards": 2}]' '{}' 'x'; do
    expect "refused: $bad" refused_by "$matrix" "$bad"
  done
  finish
}

what="${1:?usage: pr_check_test.sh setup|CASE}"
case "$what" in
  setup) setup ;;
  *)
    declare -F "case_$what" > /dev/null || { echo "no case '$what'"; exit 2; }
    "case_$what"
    ;;
esac
