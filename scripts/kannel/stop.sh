#!/usr/bin/env bash
# Stops what start.sh started in DIR and waits until the processes are gone.
dir=$1
pids=()
for name in fakesmsc smsbox bearerbox; do
  [ -f "$dir/$name.pid" ] || continue
  pid=$(cat "$dir/$name.pid")
  kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
  pids+=("$pid")
done
for _ in $(seq 1 50); do
  alive=0
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
  [ $alive -eq 0 ] && exit 0
  sleep 0.1
done
for pid in "${pids[@]}"; do kill -9 -- -"$pid" 2>/dev/null || true; done
exit 0
