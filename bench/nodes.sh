#!/usr/bin/env bash
# Page benchmark on PostgreSQL and with two nodes (issue #8), beside SQLite and nginx,
# all in one run:
#
#   bench/nodes.sh                 # wrk -t2 -c64 -d10s per line
#   PG=postgres://user@host/db DURATION=20s bench/nodes.sh
#
# "cached": the page comes from the node's page cache (the database is not asked).
# "uncached": nodes with page_cache_entries = 0 render every request from the
# database (article, related block, site chrome). Two nodes: one wrk per node at the
# same time (-t1 -c32 each), requests per second summed. Everything shares the
# machine's cores. Needs wrk, nginx, curl and psql. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-10s}"
PG="${PG:-postgres://postgres@127.0.0.1:5432/test}"

for tool in wrk nginx curl psql; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
schema="warta_bench_$$"
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  PGOPTIONS="-c client_min_messages=warning" psql "$PG" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release -p warta >/dev/null 2>&1 || cargo build --release -p warta
bin="${CARGO_TARGET_DIR:-target}/release/warta"
psql "$PG" -qc "CREATE SCHEMA $schema"
pgurl="$PG?options[search_path]=$schema"
printf 'page_cache_entries = 0\n' >"$work/uncached.toml"

port=18100
start() { # name args... -> prints the port
  local name=$1; shift
  port=$((port + 1))
  "$bin" serve --listen "127.0.0.1:$port" --data "$work/$name" "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$port/" -o /dev/null && break
    sleep 0.2
  done
  curl -sf "http://127.0.0.1:$port/" -o /dev/null || { echo "bench: $name did not start" >&2; cat "$work/$name.log" >&2; exit 1; }
}
start sqlite --demo;                                              p_sqlite=$port
start sqlite-uc --database "sqlite://$work/sqlite/warta.db" --config "$work/uncached.toml"; p_sqlite_uc=$port
start pg-a --demo --database "$pgurl";                            p_pg_a=$port
start pg-b --database "$pgurl";                                   p_pg_b=$port
start pg-c --database "$pgurl" --config "$work/uncached.toml";    p_pg_c=$port
start pg-d --database "$pgurl" --config "$work/uncached.toml";    p_pg_d=$port
sleep 2 # let the related lists settle

link() { curl -sf "http://127.0.0.1:$1/" | grep -o 'href="/nasional/[0-9]\{4\}/[^"]*"' | head -1 | sed 's/^href="//; s/"$//'; }
path_sqlite=$(link "$p_sqlite")
path_pg=$(link "$p_pg_a")
[ -n "$path_sqlite" ] && [ -n "$path_pg" ] || { echo "bench: no article link" >&2; exit 1; }
mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$p_pg_a$path_pg" -o "$work/www/article.html"
bytes=$(wc -c <"$work/www/article.html")

. bench/nginx.sh
start_nginx "$work" 18199

one() { # url -> "req/s p50 p99"
  wrk -t1 -c4 -d2s "$1" >/dev/null
  wrk -t2 -c64 -d"$DURATION" --latency "$1" >"$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}' "$work/wrk.out"
}
two() { # url1 url2 -> "summed-req/s p50-of-first p99-of-first"
  wrk -t1 -c4 -d2s "$1" >/dev/null
  wrk -t1 -c4 -d2s "$2" >/dev/null
  wrk -t1 -c32 -d"$DURATION" --latency "$1" >"$work/wrk1.out" &
  local w1=$!
  wrk -t1 -c32 -d"$DURATION" --latency "$2" >"$work/wrk2.out"
  wait "$w1"
  awk '/Requests\/sec/ {rps+=$2} /^ +50%/ && !p50 {p50=$2} /^ +99%/ && !p99 {p99=$2} END {printf "%.2f %s %s\n", rps, p50, p99}' "$work/wrk1.out" "$work/wrk2.out"
}

u() { echo "http://127.0.0.1:$1$2"; }
echo "page: $path_pg ($bytes bytes), wrk -d$DURATION, $(nproc) cores"
echo
echo "| setup | req/s | p50 | p99 |"
echo "|---|---|---|---|"
line() { echo "| $1 | $2 | $3 | $4 |"; }
read -r a b c < <(one "http://127.0.0.1:18199/article.html");             line "nginx, same bytes as a static file" "$a" "$b" "$c"; nginx_rps=$a
read -r a b c < <(one "$(u "$p_sqlite" "$path_sqlite")");                 line "SQLite, one node, cached" "$a" "$b" "$c"
read -r a b c < <(one "$(u "$p_pg_a" "$path_pg")");                       line "PostgreSQL, one node, cached" "$a" "$b" "$c"; pg1=$a
read -r a b c < <(two "$(u "$p_pg_a" "$path_pg")" "$(u "$p_pg_b" "$path_pg")"); line "PostgreSQL, two nodes, cached (summed; p50/p99 of node A)" "$a" "$b" "$c"; pg2=$a
read -r a b c < <(one "$(u "$p_sqlite_uc" "$path_sqlite")");              line "SQLite, one node, uncached (rendered per request)" "$a" "$b" "$c"; su=$a
read -r a b c < <(one "$(u "$p_pg_c" "$path_pg")");                       line "PostgreSQL, one node, uncached" "$a" "$b" "$c"; pu1=$a
read -r a b c < <(two "$(u "$p_pg_c" "$path_pg")" "$(u "$p_pg_d" "$path_pg")"); line "PostgreSQL, two nodes, uncached (summed; p50/p99 of node C)" "$a" "$b" "$c"; pu2=$a
echo
awk -v n="$nginx_rps" -v p1="$pg1" -v p2="$pg2" -v su="$su" -v pu1="$pu1" -v pu2="$pu2" 'BEGIN {
  printf "PostgreSQL cached / nginx: %.2f; two nodes / one (cached): %.2f\n", p1 / n, p2 / p1;
  printf "uncached: PostgreSQL / SQLite: %.2f; two nodes / one: %.2f\n", pu1 / su, pu2 / pu1 }'
