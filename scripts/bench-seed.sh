#!/usr/bin/env bash
# Benchmark: `tidings demo seed --members N` (default 1,000,000: ~3.2 M orders,
# ~14 M rows in all) — wall time and peak RSS — against a ceiling measured in
# the same run: SQLite itself inserting the same number of rows into the same
# schema from recursive CTEs (no Swift, no data generation), through the
# sqlite3 shell with the same pragmas and index strategy.
# Targets (issue 3): <= 60 s and <= 300 MB peak RSS for 1,000,000 members.
set -euo pipefail
cd "$(dirname "$0")/.."
members=${1:-1000000}
bin=.build/release/tidings
work=$(mktemp -d /tmp/tidings-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

/usr/bin/time -f "%e %M" -o "$work/time" "$bin" demo seed --members "$members" --anchor 2026-11-20 \
  --database "$work/seed.sqlite" --json > "$work/report.json"
read -r seconds rss_kb < "$work/time"
rows=$(grep -v '"seconds"' "$work/report.json" | grep -Eo '"[a-z_]+" : [0-9]+' | awk '{s+=$3} END {print s}')
orders=$(grep -Eo '"orders" : [0-9]+' "$work/report.json" | awk '{print $3}')
items=$(grep -Eo '"order_items" : [0-9]+' "$work/report.json" | awk '{print $3}')

# Ceiling: the same schema, rows made inside SQLite.
"$bin" init --config "$work/ceiling.yaml" --database "$work/ceiling.sqlite" > /dev/null
others=$((rows - members - orders - items))
start=$(date +%s.%N)
sqlite3 "$work/ceiling.sqlite" > /dev/null <<SQL
PRAGMA synchronous = OFF; PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF;
DROP INDEX members_phone; DROP INDEX members_email; DROP INDEX orders_member; DROP INDEX orders_schedule;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $members)
INSERT INTO members (id, member_no, name, phone, phone_status, email_status, fax_status, level, points, tags, timezone, locale,
  branch_id, joined_at, created_at, updated_at, last_order_at)
SELECT i, printf('M%08d', i), '王小明', printf('+86138%08d', i), 'valid', 'missing', 'missing', 'regular', i % 5000, '',
  'Asia/Shanghai', 'zh-CN', 1 + i % 24, 1700000000000 + i, 1700000000000, 1700000000000, 1700000000000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $orders)
INSERT INTO orders (id, order_no, member_id, branch_id, source, kind, status, ordered_at, scheduled_at, party_size, amount_fen,
  address, created_at, updated_at)
SELECT i, printf('SO%010d', i), 1 + i % $members, 1 + i % 24, 'web', 'delivery', 'delivered', 1700000000000 + i,
  1700000000000 + i, NULL, 6800, '上海市黄浦区南京东路100弄3号1201室', 1700000000000 + i, 1700000000000 + i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $items)
INSERT INTO order_items (order_id, line, menu_item_id, quantity, price_fen) SELECT 1 + i / 2, 1 + i % 2, 1 + i % 48, 1, 6800 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $others)
INSERT INTO points_ledger (member_id, delta, reason, expires_at, created_at) SELECT 1 + i % $members, 100, '消费积分', 1700000000000, 1700000000000 FROM n;
COMMIT;
CREATE INDEX members_phone ON members(phone); CREATE INDEX members_email ON members(email);
CREATE INDEX orders_member ON orders(member_id, ordered_at); CREATE INDEX orders_schedule ON orders(status, scheduled_at);
PRAGMA wal_checkpoint(TRUNCATE);
SQL
ceiling=$(echo "$(date +%s.%N) - $start" | bc -l)

awk -v s="$seconds" -v rss="$rss_kb" -v rows="$rows" -v members="$members" -v orders="$orders" -v c="$ceiling" -v nproc_value="$(nproc)" -v host="$(uname -n), $(grep -m1 "model name" /proc/cpuinfo | cut -d: -f2 | sed "s/^ *//")" 'BEGIN {
  printf "machine        %s, %s cores\n", host, nproc_value
  printf "tidings seed   %d members, %d orders, %d rows: %.1f s (%.0f rows/s), peak RSS %.0f MB\n", members, orders, rows, s, rows / s, rss / 1024
  printf "ceiling        sqlite3 inserting %d rows from CTEs into the same schema: %.1f s (%.0f rows/s)\n", rows, c, rows / c
  printf "ratio          tidings / ceiling throughput = %.0f %%\n", 100 * c / s
  if (members == 1000000) printf "targets        time <= 60 s: %s; RSS <= 300 MB: %s\n", (s <= 60 ? "met" : "MISSED"), (rss / 1024 <= 300 ? "met" : "MISSED")
}'
