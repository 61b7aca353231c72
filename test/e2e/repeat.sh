#!/usr/bin/env bash
# The docker tests that must hold several runs in a row, run N times (default 5): the compose scale
# 3 -> 5 -> 2 under paced load (issue 12) and the NATS-cluster failover tests (issue 20). Each run is a
# fresh `vitest run` whose global setup rebuilds the image from the working tree. Prints each run's
# email-sink summaries and failover figures; exits non-zero if any run failed.
#   npm run verify:docker-repeat            # 5 runs
#   npm run verify:docker-repeat -- 3 test/e2e/scale.test.ts
# Needs a Docker engine (on a machine without a registry: eval "$(../shared/docker/prepare.sh)").
set -uo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
shift || true
files=("$@")
((${#files[@]})) || files=(test/e2e/scale.test.ts test/e2e/nats-failover.test.ts)
logdir=$(mktemp -d "${TMPDIR:-/tmp}/troupe-docker-repeat.XXXXXX")
failed=0
for i in $(seq 1 "$runs"); do
  log="$logdir/run-$i.log"
  start=$(date +%s)
  if npx vitest run --config vitest.docker.config.ts "${files[@]}" >"$log" 2>&1; then status=passed; else status=FAILED; failed=$((failed + 1)); fi
  echo "run $i/$runs: $status in $(($(date +%s) - start)) s (log: $log)"
  grep -hE "email-sink summary:|\] RESULT|^\[scale\]|^ *(✓|×) " "$log" | sed 's/^ */  /'
done
echo "runs: $((runs - failed)) of $runs passed"
[ "$failed" -eq 0 ]
