#!/usr/bin/env bash
# Injects one MO message at the fake SMSC of a running start.sh Kannel.
#   scripts/kannel/inject-mo.sh DIR BASE_PORT FROM TO TEXT
# A second fakesmsc connects to the MO-only fake SMSC (BASE_PORT+4), sends one
# message as UCS-2 (URL-encoded UTF-16BE, so Chinese arrives intact) and is
# stopped once it reports the message sent.
set -euo pipefail
dir=$1; base=$2; from=$3; to=$4; text=$5
fake_mo=$((base + 4))
encoded=$(printf '%s' "$text" | iconv -f UTF-8 -t UTF-16BE | od -An -tx1 -v | tr -d ' \n' | sed 's/../%&/g')
log="$dir/inject.$$.log"
timeout 10 /usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$fake_mo" -i 0.01 -m 1 "$from $to ucs2 $encoded" > /dev/null 2> "$log" &
pid=$!
for _ in $(seq 1 100); do
  grep -q "sent message 1" "$log" 2>/dev/null && break
  sleep 0.05
done
sleep 0.2  # let bearerbox take the message before the client disconnects
kill "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
grep -q "sent message 1" "$log" || { echo "MO not sent; see $log" >&2; exit 1; }
