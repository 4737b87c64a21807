#!/usr/bin/env bash
# tests/ci/comment_test.sh — scripts/ci/comment on fake reports and a fake
# GitHub API (a `gh` on PATH that serves files and logs what it was asked):
# what the comment says, what it defuses, what it downloads, when it posts,
# updates, deletes or stays silent.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source_dir="${PERFGATE_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
comment="$source_dir/scripts/ci/comment"
work="$(mktemp -d "${TMPDIR:-/tmp}/perfgate-comment-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/ci/checks.sh
source "$here/checks.sh"
for tool in jq perl zip unzip; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/install-deps installs it)"
done

zwsp=$'\u200b'
sha="0123456789abcdef0123456789abcdef01234567"
other_sha="fedcba9876543210fedcba9876543210fedcba98"

# event CONCLUSION [PR_NUMBERS_JSON] [EVENT] — a workflow_run event.
event() {
  jq -n --arg c "$1" --argjson prs "${2:-[]}" --arg e "${3:-pull_request}" --arg sha "$sha" '
    {workflow_run: {id: 4242, event: $e, conclusion: $c, head_sha: $sha, head_branch: "feature",
                    head_repository: {full_name: "alice/perfgate"}, html_url: "https://github.com/o/r/actions/runs/4242",
                    pull_requests: ($prs | map({number: .}))},
     repository: {full_name: "o/r"}}' > "$work/event.json"
}

# ---------------------------------------------------------------------------
# Defusing, on a hostile report given as a local directory (--print).
mkdir -p "$work/local/perfgate-report-r1"
cat > "$work/local/perfgate-report-r1/report.md" <<'EOF'
## perfgate: PASSED

> [x]: https://evil.example/pixel.png
> ![y][x]
- [z]: https://evil.example/z
  [w]: https://evil.example/w
See [here](https://evil.example) and <img src="https://evil.example/p.png"> and <details open>.
cc @alice and @org/team, fixes #12 and GH-34, &#64;bob &#x40;carol &commat;dave &#35;5
| ok | BM\_Sum\[64\] | \\[q]: https://evil.example/q
<details><summary>1 unchanged</summary>

rows
</details>
EOF
printf '7\n' > "$work/local/perfgate-report-r1/pr-number.txt"
event success
body="$("$comment" --event "$work/event.json" --artifacts "$work/local" --print)"
printf '%s\n' "$body" > "$work/body.md"

if [ "$(head -n 1 "$work/body.md")" = '<!-- perfgate -->' ]; then pass "the marker opens the body"; else fail "no marker on the first line"; fi
# No '[' that is not backslash-escaped may remain: it could open a link, an
# image or a link reference definition.
if perl -ne 'my $l = $_; $l =~ s/\\.//g; exit 1 if $l =~ /\[/ and $l !~ /^\Q<sub>\E/ and $l !~ /\[workflow run\]/' "$work/body.md"; then
  pass "no raw '[' left"
else
  fail "a raw '[' survived: $(grep -n '\[' "$work/body.md" | grep -v 'workflow run' | head -3)"
fi
if grep -qF "@${zwsp}alice" "$work/body.md"; then pass "mention broken"; else fail "@alice not broken"; fi
if grep -qF "@${zwsp}org/team" "$work/body.md"; then pass "team mention broken"; else fail "@org/team not broken"; fi
if grep -qF "#${zwsp}12" "$work/body.md"; then pass "issue reference broken"; else fail "#12 not broken"; fi
if grep -qF "GH-${zwsp}34" "$work/body.md"; then pass "GH- reference broken"; else fail "GH-34 not broken"; fi
if grep -qE "&amp;#(${zwsp})?64;bob" "$work/body.md" && grep -qF '&amp;commat;dave' "$work/body.md"; then pass "entities cannot spell a mention"; else fail "an entity survived: $(grep -o '&[^ ]*bob\|&[^ ]*dave' "$work/body.md")"; fi
if grep -qF '&lt;img src=' "$work/body.md" && grep -qF '&lt;details open>' "$work/body.md"; then pass "raw HTML escaped"; else fail "raw HTML survived"; fi
if grep -qF '<details><summary>1 unchanged</summary>' "$work/body.md"; then pass "the gate's own <details> kept"; else fail "the gate's <details> was broken"; fi
if grep -qF 'BM\_Sum\[64\]' "$work/body.md"; then pass "the gate's escapes kept"; else fail "the gate's escapes changed"; fi
if grep -qF 'commit 0123456789ab' "$work/body.md"; then pass "footer names the commit"; else fail "no footer"; fi

# A report over the per-file cap is not read.
head -c $((300 * 1024)) /dev/zero | tr '\0' 'a' > "$work/local/perfgate-report-r1/report.md"
"$comment" --event "$work/event.json" --artifacts "$work/local" --print > "$work/big.md"
if grep -q 'left no readable report.md' "$work/big.md"; then pass "a report over 256 KiB is not read"; else fail "an oversized report was read"; fi

# A long report is cut at a line end and its open blocks closed.
{
  echo "## perfgate: FAILED"
  echo "<details><summary>many</summary>"
  for i in $(seq 1 4000); do echo "| unchanged | BM\_Row$i | cpu\_time | 1 | 1 |"; done
} > "$work/local/perfgate-report-r1/report.md"
"$comment" --event "$work/event.json" --artifacts "$work/local" --print > "$work/long.md"
n="$(perl -CSD -0777 -ne 'print length' "$work/long.md")"
if [ "$n" -le 60000 ]; then pass "a long report fits ($n characters)"; else fail "the body is $n characters"; fi
if grep -q 'Truncated to fit one comment' "$work/long.md" && grep -q '^</details>$' "$work/long.md"; then pass "cut with a note, <details> closed"; else fail "the cut report is not closed or has no note"; fi

# ---------------------------------------------------------------------------
# The whole flow against a fake API.
fake="$work/fake"
mkdir -p "$fake" "$work/bin"
cat > "$work/bin/gh" <<'EOF'
#!/usr/bin/env bash
# A fake `gh api`: serves $FAKE/<what>.json, logs each call to $FAKE/calls.log.
set -euo pipefail
[ "$1" = api ] || exit 64
shift
method=GET paginate="" input=""
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --paginate) paginate=yes; shift ;;
    --input) input="$2"; shift 2 ;;
    *) path="$1"; shift ;;
  esac
done
echo "$method $path" >> "$FAKE/calls.log"
serve() { if [ -f "$FAKE/$1" ]; then cat "$FAKE/$1"; else echo '{"message":"Not Found"}'; exit 1; fi; }
case "$method $path" in
  "GET repos/o/r/actions/runs/4242/artifacts?per_page=100") serve artifacts.json ;;
  "GET repos/o/r/actions/artifacts/"*"/zip") id="${path#repos/o/r/actions/artifacts/}"; serve "${id%/zip}.zip" ;;
  "GET repos/o/r/pulls/"*) serve "pull-${path#repos/o/r/pulls/}.json" ;;
  "GET repos/o/r/pulls?"*) serve pulls.json ;;
  "GET repos/o/r/issues/"*"/comments?per_page=100") serve comments.json ;;
  "POST repos/o/r/issues/"*"/comments") cp "$input" "$FAKE/posted.json"; echo '{"id": 900, "html_url": "https://x/900"}' ;;
  "PATCH repos/o/r/issues/comments/"*) cp "$input" "$FAKE/posted.json"; echo '{"id": 1, "html_url": "https://x/1"}' ;;
  "DELETE repos/o/r/issues/comments/"*) ;;
  *) echo "fake gh: no answer for $method $path" >&2; exit 1 ;;
esac
EOF
chmod +x "$work/bin/gh"
export FAKE="$fake" PATH="$work/bin:$PATH" GITHUB_REPOSITORY=o/r RUNNER_TEMP="$work"

# artifact ID RUNNER NUMBER — a zipped report artifact.
artifact() {
  local d="$work/a$1"
  mkdir -p "$d"
  printf '## perfgate: PASSED\n\nrunner %s is fine, @alice\n' "$2" > "$d/report.md"
  printf '%s\n' "$3" > "$d/pr-number.txt"
  echo '{}' > "$d/report.json"
  echo 'not for the comment' > "$d/run.json"
  (cd "$d" && zip -q "$fake/$1.zip" report.md pr-number.txt report.json run.json)
}
reset_fake() {
  rm -f "$fake"/*.json "$fake"/*.zip "$fake/calls.log"
  touch "$fake/calls.log"
}
pull() { jq -n --arg sha "$2" --arg repo "${3:-alice/perfgate}" '{number: 7, head: {sha: $sha, repo: {full_name: $repo}}}' > "$fake/pull-$1.json"; }
comments() { printf '%s' "$1" > "$fake/comments.json"; }
run_comment() { "$comment" --event "$work/event.json" > "$work/out.log" 2>&1; }

# First run: two runners, one oversized artifact, one foreign name.
reset_fake
artifact 11 r1 7
artifact 12 r2 7
head -c $((2 * 1024 * 1024)) /dev/urandom > "$fake/13.zip"
jq -n '{artifacts: [
  {id: 11, name: "perfgate-report-r1", size_in_bytes: 600, expired: false},
  {id: 12, name: "perfgate-report-r2", size_in_bytes: 600, expired: false},
  {id: 13, name: "perfgate-report-huge", size_in_bytes: 2097152, expired: false},
  {id: 14, name: "perfgate-run-r1", size_in_bytes: 600, expired: false}]}' > "$fake/artifacts.json"
pull 7 "$sha"
comments '[]'
event success '[7]'
if run_comment; then
  if grep -q '^POST repos/o/r/issues/7/comments$' "$fake/calls.log"; then pass "a first run creates the comment"; else fail "no comment created: $(cat "$fake/calls.log")"; fi
  if grep -q 'artifacts/13/zip\|artifacts/14/zip' "$fake/calls.log"; then
    fail "an oversized or foreign artifact was downloaded"
  else
    pass "only the capped report artifacts downloaded"
  fi
  if grep -q 'ignoring perfgate-report-huge' "$work/out.log"; then pass "the oversized artifact is named"; else fail "no warning for the huge artifact"; fi
  posted="$(jq -r .body "$fake/posted.json")"
  if [[ "$posted" == *"### runner \`r1\`"*"### runner \`r2\`"* ]]; then pass "one section per runner"; else fail "runner sections missing"; fi
  if [[ "$posted" == *"@${zwsp}alice"* ]]; then pass "downloaded reports are defused"; else fail "downloaded report not defused"; fi
  if [[ "$posted" != *"not for the comment"* ]]; then pass "other files of the artifact are not read"; else fail "run.json was read"; fi
else
  fail "the first run failed: $(cat "$work/out.log")"
fi

# Second run: our comment exists, someone planted the marker, and a duplicate of ours.
: > "$fake/calls.log"
comments '[{"id": 1, "user": {"login": "github-actions[bot]", "type": "Bot"}, "body": "<!-- perfgate -->\nold"},
           {"id": 2, "user": {"login": "mallory", "type": "User"}, "body": "<!-- perfgate -->\nplanted"},
           {"id": 3, "user": {"login": "github-actions[bot]", "type": "Bot"}, "body": "<!-- perfgate -->\ndup"}]'
if run_comment; then
  if grep -q '^PATCH repos/o/r/issues/comments/1$' "$fake/calls.log"; then pass "the bot's comment is updated"; else fail "not updated: $(cat "$fake/calls.log")"; fi
  if grep -q 'comments/2' "$fake/calls.log"; then fail "the planted comment was touched"; else pass "a planted marker is ignored"; fi
  if grep -q '^DELETE repos/o/r/issues/comments/3$' "$fake/calls.log"; then pass "the duplicate is deleted"; else fail "duplicate kept"; fi
  if grep -q '^POST' "$fake/calls.log"; then fail "a second comment was created"; else pass "no second comment"; fi
else
  fail "the second run failed: $(cat "$work/out.log")"
fi

# The PR moved on: the newer run will post.
: > "$fake/calls.log"
pull 7 "$other_sha"
if run_comment && ! grep -q '^POST\|^PATCH' "$fake/calls.log"; then
  pass "nothing posted when the PR has moved on"
else
  fail "posted for a stale commit: $(cat "$fake/calls.log")"
fi

# A PR number from the artifact that the event does not list.
: > "$fake/calls.log"
pull 7 "$sha"
event success '[8]'
if ! run_comment && ! grep -q '^POST\|^PATCH' "$fake/calls.log"; then
  pass "a number the event does not list is refused"
else
  fail "posted on a PR the run was not for"
fi

# The artifacts disagree on the number.
reset_fake
artifact 11 r1 7
artifact 12 r2 9
jq -n '{artifacts: [{id: 11, name: "perfgate-report-r1", size_in_bytes: 600, expired: false},
                    {id: 12, name: "perfgate-report-r2", size_in_bytes: 600, expired: false}]}' > "$fake/artifacts.json"
pull 7 "$sha"
comments '[]'
event success '[]'
if ! run_comment && grep -q 'disagree' "$work/out.log" && ! grep -q '^POST' "$fake/calls.log"; then
  pass "artifacts that disagree on the number post nothing"
else
  fail "disagreeing numbers: $(cat "$work/out.log")"
fi

# A PR from another repository than the one measured.
reset_fake
artifact 11 r1 7
jq -n '{artifacts: [{id: 11, name: "perfgate-report-r1", size_in_bytes: 600, expired: false}]}' > "$fake/artifacts.json"
pull 7 "$sha" "mallory/perfgate"
comments '[]'
if ! run_comment && ! grep -q '^POST' "$fake/calls.log"; then
  pass "a PR from another repository is refused"
else
  fail "posted on a PR of another repository"
fi

# Cancelled (or timed out) with no artifact, on a fork PR the event does not
# list: found through the measured branch, and the comment says so.
for c in cancelled timed_out; do
  reset_fake
  echo '{"artifacts": []}' > "$fake/artifacts.json"
  jq -n --arg sha "$sha" '[{number: 7, head: {sha: $sha}}]' > "$fake/pulls.json"
  pull 7 "$sha"
  comments '[{"id": 1, "user": {"login": "github-actions[bot]", "type": "Bot"}, "body": "<!-- perfgate -->\n## perfgate: PASSED"}]'
  event "$c" '[]'
  if run_comment && grep -q '^PATCH repos/o/r/issues/comments/1$' "$fake/calls.log" \
     && grep -q '## perfgate: no verdict' <<< "$(jq -r .body "$fake/posted.json")"; then
    pass "a $c run updates the comment to say there is no verdict"
  else
    fail "$c: $(cat "$work/out.log") $(cat "$fake/calls.log")"
  fi
done

# Not a pull request, or a conclusion that says nothing.
reset_fake
event success '[]' merge_group
if run_comment && [ ! -s "$fake/calls.log" ]; then pass "a merge_group run posts nothing"; else fail "merge_group: $(cat "$fake/calls.log")"; fi
event skipped '[7]'
if run_comment && [ ! -s "$fake/calls.log" ]; then pass "a skipped run posts nothing"; else fail "skipped: $(cat "$fake/calls.log")"; fi

finish
