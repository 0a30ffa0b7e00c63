#!/usr/bin/env bash
# The web console on the demo database (`make console`; the end of `make demo`
# on a terminal): the simulator and the worker run on loopback until Ctrl-C
# or CONSOLE_MINUTES (30), with a write token made for this session.
# Run from the repository root after `make demo`.
set -euo pipefail
cd "$(dirname "$0")/../${DEMO_DIR:-demo}"
bin=../${TIDINGS:-.build/release/tidings}
export TIDINGS_WEBHOOK_SECRET=${TIDINGS_WEBHOOK_SECRET:-demo-$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")}
export TIDINGS_ADMIN_TOKEN=${TIDINGS_ADMIN_TOKEN:-demo-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')}
seconds=$(( ${CONSOLE_MINUTES:-30} * 60 ))
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT INT TERM

# server.bind from tidings.yaml (the starter config's is 127.0.0.1:8080).
bind=$(sed -n 's/^  bind: *//p' tidings.yaml | head -1)
token=$("$bin" token create --name "console-$(date +%Y%m%d-%H%M%S)" --scope write | tail -1)
"$bin" simulator --bind 127.0.0.1:8787 --latency-ms 30 --callback-delay-ms 300 --undelivered-rate 0.05 --answer-rate 0.5 \
  --lifetime "$seconds" > console-simulator.log 2>&1 &
pids+=($!)
"$bin" run --lifetime "$seconds" > console-worker.log 2>&1 &
worker=$!
pids+=($worker)
for _ in $(seq 1 50); do
  python3 -c "import urllib.request, sys; urllib.request.urlopen('http://$bind/health', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
echo
echo "The web console serves until Ctrl-C (at most ${CONSOLE_MINUTES:-30} minutes); its log is in ${DEMO_DIR:-demo}/console-worker.log."
echo "  console: http://$bind/console/"
echo "  token:   $token"
wait "$worker"
