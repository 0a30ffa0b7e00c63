#!/usr/bin/env bash
# Benchmark (issue 13): seed N members once (default 1,000,000; a separate
# process, so the fan-out's peak RSS is its own), then fan one campaign out
# over them against the sqlite3 shell running the same statements.
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000000}
bin=${TIDINGS:-.build/release/tidings}
work=$(mktemp -d /tmp/tidings-bench-campaigns.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$bin" demo seed --members "$members" --anchor 2026-11-20 --database "$work/seed.sqlite" --json > /dev/null
"$bin" rfm --database "$work/seed.sqlite" > /dev/null
/usr/bin/time -f "fan-out process: %e s wall, %M KB peak RSS" "$bin" bench fanout --database "$work/seed.sqlite"
