#!/usr/bin/env bash
# Starts a private Kannel (bearerbox + smsbox + fakesmsc) on loopback for tests
# and the demo, with its own config and ports, and stops it after LIFETIME
# seconds even if nobody calls stop.sh.
#
#   scripts/kannel/start.sh DIR BASE_PORT MO_URL [LIFETIME]
#     DIR       working directory (config, logs, pids, fakesmsc output)
#     BASE_PORT ports BASE..BASE+4: admin, smsbox, sendsms, fake SMSC for MT,
#               fake SMSC for injected MO (inject-mo.sh)
#     MO_URL    where smsbox sends MO messages (sms-service get-url), with Kannel escapes
# Prints "ready sendsms=http://127.0.0.1:PORT/cgi-bin/sendsms" when sendsms answers.
# Environment: KANNEL_PASSWORD (sendsms-user password, default "tidings-test").
set -euo pipefail
dir=$1; base=$2; mo_url=$3; lifetime=${4:-600}
admin=$base; smsbox=$((base + 1)); sendsms=$((base + 2)); fake=$((base + 3)); fake_mo=$((base + 4))
password=${KANNEL_PASSWORD:-tidings-test}
mkdir -p "$dir"
for tool in /usr/sbin/bearerbox /usr/sbin/smsbox /usr/lib/kannel/test/fakesmsc; do
  [ -x "$tool" ] || { echo "missing $tool: apt-get install kannel kannel-extras" >&2; exit 2; }
done
cat > "$dir/kannel.conf" <<CONF
group = core
admin-port = $admin
admin-interface = 127.0.0.1
admin-password = $password
smsbox-port = $smsbox
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "$dir/bearerbox.log"
log-level = 1
dlr-storage = internal
sms-resend-retry = 0

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = $fake
connect-allow-ip = 127.0.0.1

# A fake SMSC accepts one client: MO is injected through a second one that
# never carries MT.
group = smsc
smsc = fake
smsc-id = fake-mo
allowed-smsc-id = fake-mo
host = 127.0.0.1
port = $fake_mo
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = $smsbox
sendsms-port = $sendsms
sendsms-interface = 127.0.0.1
log-file = "$dir/smsbox.log"
log-level = 1
mo-recode = true
global-sender = 10690000

group = sendsms-user
username = tidings
password = $password
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = true
get-url = "$mo_url"
max-messages = 0
omit-empty = true
CONF
# setsid: one process group to stop; timeout: nothing outlives the tests.
setsid timeout "$lifetime" /usr/sbin/bearerbox "$dir/kannel.conf" > "$dir/bearerbox.out" 2>&1 &
echo $! > "$dir/bearerbox.pid"
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/$fake) 2>/dev/null && break
  sleep 0.1
done
setsid timeout "$lifetime" /usr/sbin/smsbox "$dir/kannel.conf" > "$dir/smsbox.out" 2>&1 &
echo $! > "$dir/smsbox.pid"
# fakesmsc with -m 0 sends nothing and prints every MT it receives.
setsid timeout "$lifetime" /usr/lib/kannel/test/fakesmsc -H 127.0.0.1 -r "$fake" -m 0 "x y text z" > "$dir/fakesmsc.out" 2> "$dir/fakesmsc.log" &
echo $! > "$dir/fakesmsc.pid"
for _ in $(seq 1 100); do
  if grep -q "" "$dir/fakesmsc.log" 2>/dev/null && status=$(
    exec 3<>/dev/tcp/127.0.0.1/$sendsms && printf 'GET /cgi-bin/sendsms HTTP/1.0\r\n\r\n' >&3 && read -r -t 2 line <&3 && echo "$line"
  ) 2>/dev/null && [[ $status == HTTP/* ]]; then
    echo "ready sendsms=http://127.0.0.1:$sendsms/cgi-bin/sendsms"
    exit 0
  fi
  sleep 0.1
done
echo "kannel did not come up; see $dir/*.log" >&2
exit 1
