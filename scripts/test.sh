#!/usr/bin/env bash
# `npm test`: bootstrap, type-check, lint, then every vitest suite against real services.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup
echo "[test] type-check"; npm run -s build
echo "[test] lint"; npm run -s lint
mkdir -p .data
rc=0
npx --no-install vitest run --reporter=default --reporter=json --outputFile.json=.data/vitest.json "$@" || rc=$?
node -e '
try {
  const r = require("./.data/vitest.json");
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
} catch { console.log("tests: 0 passed, 1 failed"); process.exit(1); }'
exit $rc
