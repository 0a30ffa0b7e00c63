#!/usr/bin/env bash
# Browser test of the web console (part of make test): a seeded group in a temporary directory, the simulator and
# `tidings run` on loopback ports, and headless Chromium driven through chromedriver by scripts/browser_test.py,
# which logs in, launches a campaign from the editor and checks the pages' figures against the CLI's (and opens the
# campaign's `tidings report campaign NAME --html` file).
# Everything it starts stops by itself (--lifetime, timeout) and is stopped on exit. Screenshots go to
# test-artifacts/browser/.
#   scripts/browser-test.sh      (TIDINGS=path/to/tidings to choose the binary; KEEP=1 keeps the directory)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
bin=${TIDINGS:-$PWD/.build/debug/tidings}
[ -x "$bin" ] || { echo "browser-test: no tidings binary at $bin (swift build, or set TIDINGS)" >&2; exit 2; }
for tool in chromium chromedriver; do
  command -v "$tool" >/dev/null || { echo "browser-test: $tool is missing (scripts/install-deps.sh chromium chromium-driver python3-selenium)" >&2; exit 2; }
done
artifacts=$repo/test-artifacts/browser
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/tidings-browser.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "browser-test: kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
sim_port=$(free_port)
http_port=$(free_port)
export TIDINGS_WEBHOOK_SECRET=browser-test-secret-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export TIDINGS_ADMIN_TOKEN=browser-test-admin-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')

cd "$work"
"$bin" init --templates "$repo/templates" > init.log
# Loopback ports of our own; quiet hours narrowed to a minute after midnight so the campaign goes whatever the hour
# (as scripts/demo-loop.sh does), and the automations scan every 5 s.
sed -i "s#http://127.0.0.1:8787#http://127.0.0.1:$sim_port#; s#127.0.0.1:8080#127.0.0.1:$http_port#g" tidings.yaml
sed -i 's/^  start: "21:00"/  start: "00:00"/; s/^  end: "09:00"/  end: "00:01"/; s/^  interval_seconds: 30 /  interval_seconds: 5  /' tidings.yaml
"$bin" demo seed --members 300 > seed.log
token() { "$bin" token create --name "$1" --scope "$2" | tail -1; }
write_token=$(token browser-writer write)
read_token=$(token browser-reader read)

timeout 200 "$bin" simulator --bind "127.0.0.1:$sim_port" --callback-delay-ms 50 --lifetime 190 > simulator.log 2>&1 &
pids+=($!)
timeout 200 "$bin" run --lifetime 180 > worker.log 2>&1 &
pids+=($!)
# python3, not curl: a fresh Debian with only Swift, git and python3 has no curl binary.
healthy() { python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$http_port/health', timeout=1)" 2>/dev/null; }
for _ in $(seq 1 100); do
  healthy && break
  sleep 0.2
done
healthy || { echo "browser-test: the worker did not start" >&2; cat worker.log >&2; exit 1; }

status=0
timeout 170 /usr/bin/python3 "$repo/scripts/browser_test.py" --base "http://127.0.0.1:$http_port" --tidings "$bin" \
  --config "$work/tidings.yaml" --write-token "$write_token" --read-token "$read_token" --artifacts "$artifacts" || status=$?
if [ "$status" -ne 0 ]; then
  echo "browser-test: FAILED ($status); the worker's log ends:" >&2
  tail -30 worker.log >&2
  exit 1
fi
echo "browser-test: passed; screenshots in $artifacts"
