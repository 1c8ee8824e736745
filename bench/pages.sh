#!/usr/bin/env bash
# Page benchmark: wrk on loopback against a demo article served by Warta, and against
# nginx serving the very same HTML bytes as a static file, in the same run.
#
#   bench/pages.sh            # wrk -t2 -c64 -d20s on each, one after the other
#   DURATION=5s bench/pages.sh
#
# Needs wrk and nginx (Debian: apt-get install wrk nginx-light). Prints a Markdown
# table for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-20s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
WARTA_PORT="${WARTA_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"

for tool in wrk nginx curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() {
  [ -n "${warta_pid:-}" ] && kill "$warta_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

cargo build --release -p warta >/dev/null 2>&1 || cargo build --release -p warta
bin="${CARGO_TARGET_DIR:-target}/release/warta"
"$bin" serve --demo --data "$work/data" --listen "127.0.0.1:$WARTA_PORT" >"$work/warta.log" 2>&1 &
warta_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$WARTA_PORT/" -o /dev/null && break
  sleep 0.2
done

# The demo article with the most related entries stands for a typical page.
path=$(curl -sf "http://127.0.0.1:$WARTA_PORT/" | grep -o 'href="/nasional/[0-9]\{4\}/[^"]*"' | head -1 | sed 's/^href="//; s/"$//')
[ -n "$path" ] || { echo "bench: no article link on the home page" >&2; exit 1; }
mkdir -p "$work/www"
curl -sf "http://127.0.0.1:$WARTA_PORT$path" -o "$work/www/article.html"
bytes=$(wc -c <"$work/www/article.html")

. bench/nginx.sh
start_nginx "$work" $NGINX_PORT
curl -sf "http://127.0.0.1:$NGINX_PORT/article.html" -o /dev/null

run() { # url -> "req/s p50 p99"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$1" >"$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {print rps, p50, p99}' "$work/wrk.out"
}

# Warm both, then measure one after the other.
wrk -t1 -c4 -d2s "http://127.0.0.1:$WARTA_PORT$path" >/dev/null
wrk -t1 -c4 -d2s "http://127.0.0.1:$NGINX_PORT/article.html" >/dev/null
read -r w_rps w_p50 w_p99 < <(run "http://127.0.0.1:$WARTA_PORT$path")
read -r n_rps n_p50 n_p99 < <(run "http://127.0.0.1:$NGINX_PORT/article.html")
ratio=$(awk -v a="$w_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')

echo "page: $path ($bytes bytes), wrk -t$THREADS -c$CONNS -d$DURATION, $(nproc) cores"
echo
echo "| server | req/s | p50 | p99 |"
echo "|---|---|---|---|"
echo "| warta (page cache, ages filled per request) | $w_rps | $w_p50 | $w_p99 |"
echo "| nginx (same bytes, static file) | $n_rps | $n_p50 | $n_p99 |"
echo
echo "warta / nginx req/s: $ratio"
