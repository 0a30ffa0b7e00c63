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
# Managers' morning briefs go out between 08:00 and 11:00; the demo's config sends them whatever the hour.
sed -i '/^  manager_brief:/,/^[a-z]/{s/^    at: "08:00"/    at: "00:00"/; s/^    until: "11:00"/    until: "23:59"/}' tidings.yaml

# One complaint's round trip: a customer complains now, the department gets the work order, the complaint
# is resolved while the worker runs, the customer is told and then texts 查询 to ask where it stands.
complainant=$(python3 -c 'import sqlite3; print(sqlite3.connect("tidings.sqlite").execute(
  "SELECT member_no FROM members WHERE phone_status = '"'valid'"' ORDER BY id LIMIT 1").fetchone()[0])')
opened=$(date -u +%Y-%m-%dT%H:%M:%SZ)
printf 'complaint_no,member_no,department,description,opened_at,channel,status\nC90000001,%s,配送部,外卖晚到一个多小时，汤洒了,%s,phone,open\n' \
  "$complainant" "$opened" > complaint-open.csv
echo; echo "== a customer ($complainant) complains by phone: complaint C90000001 for 配送部 =="
"$bin" import complaints complaint-open.csv

# The simulator answers half the survey SMS and calls; the starter config points gateway "simulator" at it.
"$bin" simulator --bind 127.0.0.1:8787 --latency-ms 30 --callback-delay-ms 300 --undelivered-rate 0.05 --answer-rate 0.5 --lifetime 60 > simulator.log 2>&1 &
pids+=($!)
# Tables booked for tonight before the worker starts, so the managers' briefs list them.
"$bin" demo place --orders 0 --reservations 12 --prefix BOOK
"$bin" run --lifetime 24 > worker.log 2>&1 &
worker=$!
pids+=($worker)
sleep 2
echo "== the call centre places 20 delivery orders and books 10 tables =="
"$bin" demo place --orders 20 --reservations 10
sleep 4
echo; echo "== 配送部 settles it: C90000001 resolved with a refund; the customer is told on their preferred channel =="
printf 'complaint_no,member_no,department,description,opened_at,channel,status,resolution,resolved_at,resolution_kind\nC90000001,%s,配送部,外卖晚到一个多小时，汤洒了,%s,phone,resolved,已退还配送费并赠送20元代金券,%s,refund\n' \
  "$complainant" "$opened" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" > complaint-resolved.csv
"$bin" import complaints complaint-resolved.csv
# The automations scan every 5 s: the resolution SMS goes before the customer asks.
sleep 6
echo; echo "== the customer texts 查询 C90000001 =="
"$bin" demo text --member "$complainant" "查询 C90000001"
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
echo; echo "== one complaint's round trip (tidings member show $complainant): work order → resolution → reply to 查询 =="
"$bin" member show "$complainant" | sed -n '/^complaints/,/^$/p'
python3 - <<'PY'
import json, sqlite3
db = sqlite3.connect("tidings.sqlite")
rows = db.execute("""
  SELECT x.purpose, x.channel, x.address, x.status, x.payload FROM messages x
  WHERE x.complaint_id = (SELECT id FROM complaints WHERE complaint_no = 'C90000001')
     OR x.purpose = 'automation:complaint_query'
  ORDER BY x.id""").fetchall()
for purpose, channel, address, status, payload in rows:
    content = json.loads(payload) if payload else {}
    text = (content.get("subject") or content.get("text") or "").replace("\n", " ")
    masked = address if "@" in address else address[:6] + "****" + address[-4:]
    print(f"  {purpose.split(':')[-1]:<22} {channel:<5} {masked:<22} {status:<10} {text[:60]}")
PY
echo; echo "== a manager's morning brief (tidings manager brief): the SMS and the email with the lists =="
briefed=$(python3 -c 'import sqlite3; row = sqlite3.connect("tidings.sqlite").execute(
  "SELECT idempotency_key FROM messages WHERE idempotency_key LIKE '"'brief:%:email'"' ORDER BY length(payload) DESC LIMIT 1").fetchone()
print(row[0].split(":")[1] if row else "")')
if [ -n "$briefed" ]; then "$bin" manager brief "$briefed"; else echo "no brief was sent"; exit 1; fi
echo; echo "== the campaign after the run: runs, split, receipts, events =="
"$bin" campaign show new-dishes-demo
"$bin" campaign list
echo; echo "== reports from the rolled-up counts: the campaign by variant, the gateways, the day's volume =="
"$bin" report campaign new-dishes-demo
"$bin" report gateways
"$bin" report volumes --days 1
echo; echo "== summary =="
"$bin" db stats

echo; echo "== the campaign's report as one HTML file (charts inline; opens offline, prints) =="
"$bin" report campaign new-dishes-demo --html new-dishes-demo.html
echo "open ${DEMO_DIR:-demo}/new-dishes-demo.html in a browser"

echo; echo "== the web console =="
# On a terminal the console now serves until Ctrl-C; otherwise (CI, a pipe) it is left for `make console`.
if [ -t 0 ] && [ -t 1 ]; then
  exec ../scripts/demo-console.sh
fi
bind=$(sed -n 's/^  bind: *//p' tidings.yaml | head -1)
token=$("$bin" token create --name "demo-$(date +%Y%m%d-%H%M%S)" --scope write | tail -1)
echo "Not a terminal, so nothing is left running: \`make console\` serves it (and makes a token of its own)."
echo "  console: http://$bind/console/"
echo "  token:   $token"

