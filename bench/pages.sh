#!/usr/bin/env bash
# Page benchmark: wrk on loopback against pages served by Warta (`serve --demo`) and
# against nginx serving the very same bytes as static files, pre-compressed (`.br` at
# brotli 11, `.gz` at gzip 9), in the same run, as browsers fetch them: every request
# carries Chrome's `Accept-Encoding: gzip, deflate, br, zstd`. A second line measures
# requests without `Accept-Encoding` (which no browser sends).
#
#   bench/pages.sh            # wrk -t2 -c64 -d8s, three alternated pairs per line
#   DURATION=5s PAIRS=1 bench/pages.sh
#
# Pages: a demo article, the home feed (`/rss.xml`) and a month's sitemap. Then the
# time of a miss: the first request for each of the demo's article pages (curl, Chrome's
# `Accept-Encoding`), median. Needs wrk, nginx, brotli, gzip and curl (Debian: apt-get
# install wrk nginx-light libnginx-mod-http-brotli-static brotli). Prints Markdown.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${DURATION:-8s}"
THREADS="${THREADS:-2}"
CONNS="${CONNS:-64}"
PAIRS="${PAIRS:-3}"
WARTA_PORT="${WARTA_PORT:-18080}"
NGINX_PORT="${NGINX_PORT:-18081}"
CHROME="gzip, deflate, br, zstd"

for tool in wrk nginx curl brotli gzip; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

work=$(mktemp -d)
cleanup() {
  [ -n "${warta_pid:-}" ] && kill "$warta_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

bin="${WARTA_BIN:-}"
if [ -z "$bin" ]; then
  cargo build --release -p warta >/dev/null 2>&1 || cargo build --release -p warta
  bin="${CARGO_TARGET_DIR:-target}/release/warta"
fi
"$bin" serve --demo --data "$work/data" --listen "127.0.0.1:$WARTA_PORT" >"$work/warta.log" 2>&1 &
warta_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$WARTA_PORT/" -o /dev/null && break
  sleep 0.2
done
W="http://127.0.0.1:$WARTA_PORT"
N="http://127.0.0.1:$NGINX_PORT"

# The time of a miss: the first request for each article page, before anything else
# asks for it (the home page above rendered only itself).
articles=$(curl -sf "$W/sitemap.xml" | grep -o '<loc>[^<]*sitemaps/[^<]*</loc>' | sed 's/<[^>]*>//g' |
  while read -r u; do curl -sf "$W/${u#*://*/}" -o - | grep -o '<loc>[^<]*</loc>' | sed 's/<[^>]*>//g; s#^[a-z]*://[^/]*##'; done)
first_bytes() { # each article once, 50 ms apart: median time to first byte in ms
  for p in $articles; do
    curl -s -o /dev/null -H "Accept-Encoding: $CHROME" -w '%{time_starttransfer}\n' "$W$p"
    sleep 0.05
  done | sort -n | awk '{v[NR]=$1} END {printf "%.2f", v[int((NR + 1) / 2)] * 1000}'
}
sleep 1
count=$(echo $articles | wc -w)
miss_median=$(first_bytes)
hit_median=$(first_bytes)

# The pages measured, saved as nginx will serve them.
article=$(curl -sf "$W/" | grep -o 'href="/nasional/[0-9]\{4\}/[^"]*"' | head -1 | sed 's/^href="//; s/"$//')
[ -n "$article" ] || { echo "bench: no article link on the home page" >&2; exit 1; }
month=$(curl -sf "$W/sitemap.xml" | grep -o 'sitemaps/[0-9-]*\.xml' | head -1)
mkdir -p "$work/www/sitemaps"
. bench/nginx.sh
declare -A warta_path=([article.html]="$article" [rss.xml]="/rss.xml" [$month]="/$month")
for f in article.html rss.xml "$month"; do
  curl -sf "$W${warta_path[$f]}" -o "$work/www/$f"
  precompress "$work/www/$f"
done
start_nginx "$work" "$NGINX_PORT"
curl -sf "$N/article.html" -o /dev/null

run() { # url [header] -> "req/s p99"
  local url=$1; shift
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} END {print rps, p99}' "$work/wrk.out"
}
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}'; }
size() { # url -> bytes of the body as sent with Chrome's Accept-Encoding
  curl -s -o /dev/null -H "Accept-Encoding: $CHROME" -w '%{size_download}' "$1"
}

echo "wrk -t$THREADS -c$CONNS -d$DURATION, $PAIRS alternated pairs, medians; $(nproc) cores"
echo
echo "| page | request | Warta req/s | nginx req/s | ratio | Warta p99 | nginx p99 | bytes sent (Warta / nginx) |"
echo "|---|---|---|---|---|---|---|---|"
for f in article.html rss.xml "$month"; do
  for mode in chrome plain; do
    hdr=()
    [ "$mode" = chrome ] && hdr=(-H "Accept-Encoding: $CHROME")
    wurl="$W${warta_path[$f]}"; nurl="$N/$f"
    wrk -t1 -c4 -d1s "${hdr[@]}" "$wurl" >/dev/null
    wrk -t1 -c4 -d1s "${hdr[@]}" "$nurl" >/dev/null
    : >"$work/w"; : >"$work/n"
    for _ in $(seq 1 "$PAIRS"); do
      run "$wurl" "${hdr[@]}" >>"$work/w"
      run "$nurl" "${hdr[@]}" >>"$work/n"
    done
    w_rps=$(cut -d' ' -f1 "$work/w" | median); n_rps=$(cut -d' ' -f1 "$work/n" | median)
    w_p99=$(cut -d' ' -f2 "$work/w" | sort -V | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}')
    n_p99=$(cut -d' ' -f2 "$work/n" | sort -V | awk '{v[NR]=$1} END {print v[int((NR + 1) / 2)]}')
    ratio=$(awk -v a="$w_rps" -v b="$n_rps" 'BEGIN {printf "%.2f", a / b}')
    if [ "$mode" = chrome ]; then
      bytes="$(size "$wurl") / $(size "$nurl")"
      label="Chrome's Accept-Encoding"
    else
      bytes="$(wc -c <"$work/www/$f") / same"
      label="none"
    fi
    echo "| ${warta_path[$f]} | $label | $w_rps | $n_rps | **$ratio** | $w_p99 | $n_p99 | $bytes |"
  done
done
echo
echo "Misses: $count article pages, first request each: median $miss_median ms to the first byte; the same pages again (hits): median $hit_median ms (curl, 50 ms apart)."
