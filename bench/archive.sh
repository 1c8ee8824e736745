#!/usr/bin/env bash
# The archive workload (issue #26, items 2 and 3): Warta serving a large archive as
# readers use it, beside nginx serving the same pages pre-compressed, in one run.
#
#   bench/archive.sh DATA [N]      # DATA: a folder `warta import` filled (bench/million.sh)
#   DURATION=10s CONNS="8 64" bench/archive.sh /var/tmp/warta-million/data-1000000
#
# 1. Start-up: the time from starting `warta serve` to its first answered page, and its
#    memory idle (`RssAnon` excludes the search index's and database's mapped files).
#    Then one page-cache miss: 200 archive articles, each asked for once, 20 ms apart.
# 2. N paths (default 100,000) drawn by bench/archive_urls.py from the sitemaps: 80 % over
#    the newest 1,000 articles, 20 % uniformly over the rest. wrk (bench/archive.lua)
#    picks among them at random with Chrome's `Accept-Encoding`, at each of CONNS
#    connections; the page cache's hit rate from `/metrics`, memory sampled under load.
# 3. Each distinct path fetched once from Warta as text and as its brotli and gzip
#    variants (the same bytes), served by nginx (gzip_static, brotli_static), same wrk.
# 4. Home, a section's page 500, a tag page, the home feed, a month's sitemap, each
#    against nginx serving its bytes; search (varied queries) against Warta alone.
# Prints Markdown. Needs wrk, nginx, curl, python3 (Debian: wrk nginx-light
# libnginx-mod-http-brotli-static). Runs Warta on a copy-free read of DATA: it writes
# only what serving writes (reads counted for Terpopuler, the change-log cursor).
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: bench/archive.sh DATA [N]}"
n="${2:-100000}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-8 64}"
THREADS="${THREADS:-2}"
WARTA_PORT="${WARTA_PORT:-18090}"
METRICS_PORT="${METRICS_PORT:-18092}"
NGINX_PORT="${NGINX_PORT:-18091}"
CHROME="gzip, deflate, br, zstd"
for tool in wrk nginx curl python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
cleanup() {
  [ -n "${warta_pid:-}" ] && kill "$warta_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT

bin="${WARTA_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release -q -p warta
  bin="${CARGO_TARGET_DIR:-target}/release/warta"
fi
W="http://127.0.0.1:$WARTA_PORT"
N="http://127.0.0.1:$NGINX_PORT"
M="http://127.0.0.1:$METRICS_PORT/metrics"

mem() { # pid -> "RssAnon_MB VmRSS_MB"
  awk '/^RssAnon:/ {a=$2} /^VmRSS:/ {r=$2} END {printf "%.0f %.0f", a/1024, r/1024}' "/proc/$1/status"
}
cache_counts() { # -> "hits misses"
  curl -sf "$M" | awk '/^warta_page_cache_requests_total\{result="hit"\}/ {h=$2}
    /^warta_page_cache_requests_total\{result="miss"\}/ {m=$2} END {printf "%d %d", h, m}'
}

# 1. Start-up.
t0=$(date +%s.%N)
"$bin" serve --data "$data" --listen "127.0.0.1:$WARTA_PORT" \
  --metrics-listen "127.0.0.1:$METRICS_PORT" >"$work/warta.log" 2>&1 &
warta_pid=$!
until curl -sf -o /dev/null "$W/"; do
  kill -0 "$warta_pid" 2>/dev/null || { cat "$work/warta.log" >&2; exit 1; }
  sleep 0.01
done
startup=$(echo "$(date +%s.%N) - $t0" | bc)
sleep 2
read -r idle_anon idle_rss <<<"$(mem "$warta_pid")"

# 2. The sample, and Warta under it.
urls="$work/urls.txt"
[ -s "$urls" ] || python3 bench/archive_urls.py "$W" "$urls" "$n" | tee "$work/sample.txt"
distinct=$(wc -l <"$urls.distinct")

# One page-cache miss on an idle server: 200 archive articles never asked for yet (the
# sample's distinct paths in a shuffled order), each once, 20 ms apart: time to the
# first byte, median and 90th percentile in ms.
shuf -n 200 --random-source=<(yes 1) "$urls.distinct" >"$work/miss.txt"
while read -r p; do
  curl -s -o /dev/null -H "Accept-Encoding: $CHROME" -w '%{time_starttransfer}\n' "$W$p"
  sleep 0.02
done <"$work/miss.txt" | sort -n | awk '{v[NR]=$1 * 1000} END {printf "%.2f %.2f\n", v[int((NR + 1) / 2)], v[int(NR * 0.9)]}' >"$work/miss.out"
read -r miss50 miss90 <"$work/miss.out"

run() { # url [wrk args...] -> "req/s p50 p99" (latencies in ms)
  local url=$1; shift
  wrk -t"$THREADS" -d"$DURATION" --latency "$@" "$url" >"$work/wrk.out"
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0;
         if (v ~ /s$/) return v * 1000; return v }
       /Requests\/sec/ {rps=$2} /^ +50%/ {p50=ms($2)} /^ +99%/ {p99=ms($2)}
       END {printf "%.0f %.2f %.2f", rps, p50, p99}' "$work/wrk.out"
}
sample_mem() { # pid seconds -> max "RssAnon VmRSS" while it runs
  local pid=$1 until_t=$(($(date +%s) + $2)) a=0 r=0 x y
  while [ "$(date +%s)" -lt "$until_t" ]; do
    read -r x y <<<"$(mem "$pid")"
    [ "$x" -gt "$a" ] && a=$x
    [ "$y" -gt "$r" ] && r=$y
    sleep 0.5
  done
  echo "$a $r"
}
secs=${DURATION%s}

declare -A warta_rows
for c in $CONNS; do
  read -r h0 m0 <<<"$(cache_counts)"
  sample_mem "$warta_pid" "$secs" >"$work/mem.$c" &
  sampler=$!
  warta_rows[$c]=$(PATHS="$urls" run "$W" -c"$c" -s bench/archive.lua -H "Accept-Encoding: $CHROME")
  wait "$sampler"
  read -r h1 m1 <<<"$(cache_counts)"
  hit_rate[$c]=$(awk -v h=$((h1 - h0)) -v m=$((m1 - m0)) 'BEGIN {printf "%.1f %%", 100 * h / (h + m)}')
  read -r load_anon[$c] load_rss[$c] <"$work/mem.$c"
  echo "warta -c$c: ${warta_rows[$c]} hits ${hit_rate[$c]} mem ${load_anon[$c]} ${load_rss[$c]}" >&2
done

# 3. The same pages from nginx.
mkdir -p "$work/www"
. bench/nginx.sh
fetch_one() { # path: the page as text, and Warta's own brotli and gzip bytes of it
  local f="$work/www$1"
  mkdir -p "$(dirname "$f")"
  curl -sf "$W$1" -o "$f"
  curl -sf -H "Accept-Encoding: br" "$W$1" -o "$f.br"
  curl -sf -H "Accept-Encoding: gzip" "$W$1" -o "$f.gz"
}
export -f fetch_one
export work W
if [ ! -f "$work/www/.fetched" ]; then
  xargs -P 4 -I{} bash -c 'fetch_one "$1"' _ {} <"$urls.distinct"
  touch "$work/www/.fetched"
fi
start_nginx "$work" "$NGINX_PORT"
declare -A nginx_rows
for c in $CONNS; do
  nginx_rows[$c]=$(PATHS="$urls" run "$N" -c"$c" -s bench/archive.lua -H "Accept-Encoding: $CHROME")
done

# 4. The other pages.
newest=$(head -1 "$urls.distinct")
section=$(curl -sf "$W/" | grep -o 'href="/[a-z-]*/[0-9]\{4\}/' | head -1 | sed 's#href="/##; s#/[0-9]*/$##')
tag=$(curl -sf "$W$newest" | grep -o 'href="/topik/[^"/]*"' | head -1 | sed 's/^href="//; s/"$//')
month=$(curl -sf "$W/sitemap.xml" | grep -o 'sitemaps/[0-9]\{4\}-[0-9]\{2\}\.xml' | head -1)
declare -A page_path=([home.html]="/" [section-500.html]="/$section?page=500"
  [tag.html]="$tag" [rss.xml]="/rss.xml" [month.xml]="/$month")
for f in home.html section-500.html tag.html rss.xml month.xml; do
  curl -sf "$W${page_path[$f]}" -o "$work/www/$f"
  precompress "$work/www/$f"
done
# Search: two words of a sampled headline each, many different queries.
shuf -n 2000 --random-source=<(yes) "$urls.distinct" | awk -F/ '{split($6, w, "-"); print "/cari?q=" w[1] "+" w[2]}' >"$work/search.txt"

echo "Warta: $bin; data: $data; $(nproc) cores; wrk -t$THREADS -d$DURATION, Chrome's Accept-Encoding"
echo
echo "Start-up to the first answered page: **$(printf '%.2f' "$startup") s**; idle: RssAnon $idle_anon MB, VmRSS $idle_rss MB"
echo
echo "One article page-cache miss, idle server (200 archive articles, time to first byte): p50 **$miss50 ms**, p90 $miss90 ms"
echo
echo "Archive workload: $(cat "$work/sample.txt" 2>/dev/null || echo "$n drawn, $distinct distinct")"
echo
echo "| connections | Warta req/s | nginx req/s | ratio | Warta p50 / p99 | nginx p50 / p99 | page-cache hits | RssAnon / VmRSS under load |"
echo "|---|---|---|---|---|---|---|---|"
for c in $CONNS; do
  read -r wr w50 w99 <<<"${warta_rows[$c]}"
  read -r nr n50 n99 <<<"${nginx_rows[$c]}"
  echo "| $c | $wr | $nr | **$(awk -v a="$wr" -v b="$nr" 'BEGIN {printf "%.2f", a / b}')** | $w50 / $w99 ms | $n50 / $n99 ms | ${hit_rate[$c]} | ${load_anon[$c]} / ${load_rss[$c]} MB |"
done
echo
echo "| page | connections | Warta req/s | nginx req/s | ratio | Warta p50 / p99 | nginx p50 / p99 |"
echo "|---|---|---|---|---|---|---|"
for f in home.html section-500.html tag.html rss.xml month.xml; do
  for c in $CONNS; do
    read -r wr w50 w99 <<<"$(run "$W${page_path[$f]}" -c"$c" -H "Accept-Encoding: $CHROME")"
    read -r nr n50 n99 <<<"$(run "$N/$f" -c"$c" -H "Accept-Encoding: $CHROME")"
    echo "| \`${page_path[$f]}\` | $c | $wr | $nr | **$(awk -v a="$wr" -v b="$nr" 'BEGIN {printf "%.2f", a / b}')** | $w50 / $w99 ms | $n50 / $n99 ms |"
  done
done
for c in $CONNS; do
  read -r wr w50 w99 <<<"$(PATHS="$work/search.txt" run "$W" -c"$c" -s bench/archive.lua -H "Accept-Encoding: $CHROME")"
  echo "| \`/cari?q=…\` (2,000 queries) | $c | $wr | – | – | $w50 / $w99 ms | – |"
done
read -r end_anon end_rss <<<"$(mem "$warta_pid")"
echo
echo "After the runs: RssAnon $end_anon MB, VmRSS $end_rss MB"
