#!/usr/bin/env bash
# A reproducible archive of a million articles (issue #26, item 1): `warta generate`
# → `warta import` (which indexes and computes every related list) and, with
# REBUILD=1, the full rebuild of every related list (`bench_related DIR 200 --full`),
# reporting each step's wall time. No targets here: a report. The folder is kept for
# reruns; a step whose output is already there is skipped (delete it to redo).
#
#   bench/million.sh [N] [DIR]         # N = 1000000, DIR = /var/tmp/warta-million
#   REBUILD=1 bench/million.sh
#
# About 18 GB of disk at a million (JSONL 8.1 GB, database 6.1 GB, index 3.4 GB), and
# about 22 minutes for the import, 15 more for REBUILD=1 (2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
dir="${2:-/var/tmp/warta-million}"
target="${CARGO_TARGET_DIR:-target}"
bin="$target/release/warta"
cargo build --release -q -p warta
mkdir -p "$dir"
jsonl="$dir/articles-$n.jsonl"
data="$dir/data-$n"

step() {
  local name="$1"
  shift
  local t0
  t0=$(date +%s.%N)
  "$@"
  printf '| %s | %.1f s |\n' "$name" "$(echo "$(date +%s.%N) - $t0" | bc)" | tee -a "$dir/times.md"
}

echo "| step | wall time |" | tee -a "$dir/times.md"
echo "|---|---|" | tee -a "$dir/times.md"
if [ ! -s "$jsonl" ]; then
  step "generate $n" "$bin" generate --articles "$n" --out "$jsonl" --seed 1
fi
if [ ! -f "$data/warta.db" ]; then
  # The import reports its own phases (read and write, index, related lists).
  step "import $n (write, index, related lists)" \
    "$bin" import --format jsonl --data "$data" "$jsonl"
fi
if [ "${REBUILD:-0}" = 1 ]; then
  cargo build --release -q -p warta_related --example bench_related
  step "bench_related 200 --full (every list rebuilt and stored)" \
    "$target/release/examples/bench_related" "$data" 200 --full
fi
du -sh "$jsonl" "$data" 2>/dev/null || true
