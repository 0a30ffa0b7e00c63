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

echo "== campaigns: RFM scores, the example campaign files, one launched =="
"$bin" rfm
"$bin" campaign create ../campaigns/*.yaml
# The demo must show sends whatever the hour: its copy of the new-dishes campaign has no send window,
# and its config narrows quiet hours to one minute after midnight (the starter config has 21:00–09:00).
mkdir -p campaigns
# Throttled to 3,000 a minute so its progress shows while the worker runs.
grep -v '^window:' ../campaigns/new-dishes.yaml | sed 's/^name: new-dishes/name: new-dishes-demo/; s/^throttle: .*/throttle: 3000/' \
  > campaigns/new-dishes-demo.yaml
sed -i 's/^  start: "21:00"/  start: "00:00"/; s/^  end: "09:00"/  end: "00:01"/' tidings.yaml
"$bin" campaign launch campaigns/new-dishes-demo.yaml --yes

# The simulator answers half the survey SMS and calls; the starter config points gateway "simulator" at it.
"$bin" simulator --bind 127.0.0.1:8787 --latency-ms 30 --callback-delay-ms 300 --undelivered-rate 0.05 --answer-rate 0.5 --lifetime 60 > simulator.log 2>&1 &
pids+=($!)
"$bin" run --lifetime 20 > worker.log 2>&1 &
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
echo; echo "== the campaign draining (tidings campaign show new-dishes-demo) =="
for i in 1 2 3; do
  "$bin" campaign show new-dishes-demo | sed -n '/^variant/,/^events/p' | grep -v '^events'
  sleep 3
done
wait "$worker"
echo; echo "== the worker stopped on its own (--lifetime) with exit status 0; its log =="
cat worker.log
echo; echo "== a member's timeline: order placed → confirmation queued → sent → delivered =="
"$bin" member show M00000001
echo; echo "== a member with a reservation: the reminder (quiet hours would hold it; the demo narrowed them) =="
"$bin" member show M00000021
echo; echo "== the campaign after the run: runs, split, receipts, events =="
"$bin" campaign show new-dishes-demo
"$bin" campaign list
echo; echo "== summary =="
"$bin" db stats
