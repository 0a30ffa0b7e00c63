#!/usr/bin/env bash
# Crash test (issue 5): queue N SMS, run the worker against the simulator and
# kill -9 it at random moments ROUNDS times, restarting it each time; then let
# it finish and check that nothing was lost (every message in a final state)
# and nothing was sent twice (the simulator's count of unique idempotency keys
# equals the number of messages). Resends after a crash carry the same key and
# are counted by the simulator as duplicates, which is the point.
#   scripts/crash-test.sh [COUNT] [ROUNDS]      (TIDINGS=path/to/tidings to choose the binary)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
rounds=${2:-5}
bin=${TIDINGS:-$PWD/.build/release/tidings}
[ -x "$bin" ] || { echo "crash-test: no tidings binary at $bin (make build, or set TIDINGS)" >&2; exit 2; }
work=$(mktemp -d /tmp/tidings-crash.XXXXXX)
sim_pid=""
cleanup() { [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null; pkill -9 -f "$work/crash.yaml" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
sim_port=$(free_port)
http_port=$(free_port)
export TIDINGS_WEBHOOK_SECRET=crash-test-secret
cat > "$work/crash.yaml" <<YAML
database:
  path: $work/crash.sqlite
gateways:
  - name: simulator
    kind: simulator
    channels: [sms]
    url: http://127.0.0.1:$sim_port
    rate: 100000
    burst: 1000
    max_in_flight: 256
    timeout_ms: 2000
server:
  bind: 127.0.0.1:$http_port
  webhook_secret: \${TIDINGS_WEBHOOK_SECRET}
YAML
counts() {
  python3 - "$work/crash.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
rows = db.execute("SELECT status, COUNT(*) FROM messages GROUP BY status ORDER BY status").fetchall()
print(" ".join(f"{s}={n}" for s, n in rows))
PY
}

# A provider that answers 0.2 % of messages too late: those resends must be recognised too.
"$bin" simulator --bind "127.0.0.1:$sim_port" --callback-delay-ms 20 --lost-answer-rate 0.002 --hang-ms 2500 --lifetime 900 > "$work/simulator.log" 2>&1 &
sim_pid=$!
"$bin" demo queue --config "$work/crash.yaml" --count "$count" --prefix crash
for round in $(seq 1 "$rounds"); do
  "$bin" run --config "$work/crash.yaml" > "$work/run-$round.log" 2>&1 &
  pid=$!
  sleep "$(python3 -c 'import random; print(round(random.uniform(0.4, 2.5), 2))')"
  if ! kill -9 "$pid" 2>/dev/null; then
    echo "crash-test: the worker exited by itself in round $round:" >&2
    tail -20 "$work/run-$round.log" >&2
    exit 1
  fi
  wait "$pid" 2>/dev/null || true
  echo "round $round: killed -9 at $(counts)"
done

"$bin" run --config "$work/crash.yaml" > "$work/run-final.log" 2>&1 &
pid=$!
deadline=$((SECONDS + 300))
while :; do
  open=$(python3 - "$work/crash.sqlite" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
print(db.execute("SELECT COUNT(*) FROM messages WHERE status NOT IN ('delivered','failed','expired','suppressed','cancelled')").fetchone()[0])
PY
)
  [ "$open" = 0 ] && break
  [ $SECONDS -ge $deadline ] && { echo "crash-test: $open messages still open after 300 s" >&2; break; }
  sleep 1
done
kill -TERM "$pid"
wait "$pid"; status=$?
echo "final run stopped on SIGTERM with exit status $status; $(counts)"

stats=$(python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' "http://127.0.0.1:$sim_port/sim/stats")
read -r unique duplicates lost_answers < <(python3 -c 'import json,sys; s=json.loads(sys.argv[1]); print(s["unique"], s["duplicates"], s["lostAnswers"])' "$stats")
total=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM messages").fetchone()[0])' "$work/crash.sqlite")
final=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM messages WHERE status IN (\"delivered\",\"failed\",\"expired\",\"suppressed\",\"cancelled\")").fetchone()[0])' "$work/crash.sqlite")
lost=$((total - final))
doubled=$((unique - total))
echo "messages $total, final $final, lost $lost; simulator unique $unique (sent twice: $doubled), resends recognised by key: $duplicates, answers held back: $lost_answers"
if [ "$lost" -ne 0 ] || [ "$doubled" -ne 0 ] || [ "$status" -ne 0 ]; then
  echo "crash-test: FAILED" >&2
  exit 1
fi
echo "crash-test: passed (0 lost, 0 sent twice, $rounds kill -9 restarts)"
