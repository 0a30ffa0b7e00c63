#!/usr/bin/env bash
# The whole loop on the demo database (make demo): the provider simulator and
# the worker run on loopback, orders and reservations are placed, and the
# automations' confirmations and reminders go out, come back as receipts and
# land in the member's timeline. Run from the repository root after
# `tidings init` and `tidings demo seed` in demo/.
set -euo pipefail
cd "$(dirname "$0")/../${DEMO_DIR:-demo}"
bin=../${TIDINGS:-.build/release/tidings}
export TIDINGS_WEBHOOK_SECRET=${TIDINGS_WEBHOOK_SECRET:-demo-$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")}
export TIDINGS_ADMIN_TOKEN=${TIDINGS_ADMIN_TOKEN:-demo-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
# Scan for due reminders and surveys every 5 s instead of 30, so they show within the demo.
sed -i 's/^  interval_seconds: 30 /  interval_seconds: 5  /' tidings.yaml
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT

# The simulator answers half the survey SMS and calls; the starter config points gateway "simulator" at it.
"$bin" simulator --bind 127.0.0.1:8787 --latency-ms 30 --callback-delay-ms 300 --undelivered-rate 0.05 --answer-rate 0.5 --lifetime 60 > simulator.log 2>&1 &
pids+=($!)
"$bin" run --lifetime 15 > worker.log 2>&1 &
worker=$!
pids+=($worker)
sleep 2
echo "== the call centre places 20 delivery orders and books 10 tables =="
"$bin" demo place --orders 20 --reservations 10
sleep 4
echo; echo "== /metrics while it runs (queue depth per lane, outcomes) =="
python3 - "$TIDINGS_ADMIN_TOKEN" <<'PY' | grep -E '^tidings_(queue_depth|dispatch_outcomes_total|gateway_breaker_state)' || true
import sys, urllib.request
request = urllib.request.Request("http://127.0.0.1:8080/metrics", headers={"Authorization": "Bearer " + sys.argv[1]})
print(urllib.request.urlopen(request, timeout=10).read().decode())
PY
wait "$worker"
echo; echo "== the worker stopped on its own (--lifetime) with exit status 0; its log =="
cat worker.log
echo; echo "== a member's timeline: order placed → confirmation queued → sent → delivered =="
"$bin" member show M00000001
echo; echo "== a member with a reservation: the reminder (held until 09:00 if it is quiet hours in Shanghai) =="
"$bin" member show M00000021
echo; echo "== summary =="
"$bin" db stats
