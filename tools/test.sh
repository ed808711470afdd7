#!/usr/bin/env bash
# Install every workspace member and dev tool into .venv, start the local engines, run all checks
# and tests. This is the README's second command; .ci/run calls it. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "installing uv (fast, pip-compatible installer)"
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv
fi

step "creating .venv and installing core, testkit, plugins and dev tools"
[ -x .venv/bin/python ] || uv venv --quiet --python python3 .venv
members=(-e "core[yaml]" -e packages/testkit -e packages/all)
for plugin in plugins/*/; do
  plugin=${plugin%/}
  [ -f "$plugin/pyproject.toml" ] || continue
  # A plugin's `test` extra holds what its tests need beyond the client (an engine from PyPI, say).
  if grep -q '^test = \[' "$plugin/pyproject.toml"; then
    members+=(-e "$plugin[test]")
  else
    members+=(-e "$plugin")
  fi
done
uv pip install --quiet --python .venv/bin/python "${members[@]}" -r tools/requirements-dev.txt

step "starting local engines"
# Under CI (CI=true) the engines this run started are stopped again when it ends, so runs on a
# shared machine do not pile up servers; locally they keep running for the next run
# (tools/engines.sh down stops them). ENGINES_KEEP=1 keeps them under CI too.
already_running=$(tools/engines.sh status 2>/dev/null | awk '$2 == "up" && $0 ~ /started by tools/ {print $1}' || true)
if [[ "${CI:-}" =~ ^(1|true|yes)$ && "${ENGINES_KEEP:-}" != 1 ]]; then
  stop_started_engines() {
    local name started=()
    while read -r name; do
      [[ -n "$name" ]] && ! grep -qx "$name" <<<"$already_running" && started+=("$name")
    done < <(find .engines -maxdepth 1 -name '*.pid' -printf '%f\n' 2>/dev/null | sed 's/\.pid$//')
    ((${#started[@]})) && tools/engines.sh down "${started[@]}" >/dev/null || true
  }
  trap stop_started_engines EXIT
fi
tools/engines.sh up

step "lint (ruff), types (mypy), plugin folders (tools/check_plugins.py)"
.venv/bin/ruff check .
srcs=(core/src packages/testkit/src)
for src in plugins/*/src; do [ -d "$src" ] && srcs+=("$src"); done
.venv/bin/mypy "${srcs[@]}"
.venv/bin/python tools/check_plugins.py

step "tests"
before=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
status=0
.venv/bin/python -m pytest "$@" || status=$?
after=$(git status --porcelain --untracked-files=all 2>/dev/null || true)
if [ "$before" != "$after" ]; then
  echo "tests left files behind (git status changed):" >&2
  diff <(echo "$before") <(echo "$after") >&2 || true
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
