#!/usr/bin/env bash
# Runs every importer's fuzz target and the search query's for SECONDS each (default
# 300), seeded with the test files. Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain
# RUSTC_BOOTSTRAP=1 lets it use the sanitizer flags.
#   fuzz/run.sh            # all of them, 5 minutes each, one after the other
#   fuzz/run.sh query 300  # the search query target
#   fuzz/run.sh wxr 60     # one target, one minute
#   fuzz/run.sh body 300   # the editor's markup and document round trip
set -euo pipefail
cd "$(dirname "$0")"
targets=(${1:-jsonl wxr ghost html text query body})
secs=${2:-300}
for t in "${targets[@]}"; do
  if [ "$t" = body ]; then
    mkdir -p corpus/body_text
    printf '%s' $'Satu <b>dua</b>.\n\n## Sub\n\n> Kata\n> \u2014 Tokoh\n\n- a\n- b\n\n1. x\n\n[foto 3 | k | c]\n\n[embed https://youtu.be/abc | V]' > corpus/body_text/seed1
    echo "== body_text for ${secs}s"
    RUSTC_BOOTSTRAP=1 cargo fuzz run body_text corpus/body_text -- \
      -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=4096 2>&1 | grep -E "^(Done|#[0-9]+ +DONE)|panicked|SUMMARY|Test unit written" || true
    continue
  fi
  if [ "$t" = query ]; then
    mkdir -p corpus/search_query
    printf '%s' 'perundingan "kim jong' > corpus/search_query/seed1
    printf '%s' '-banjir jakarta 2,5' > corpus/search_query/seed2
    echo "== search_query for ${secs}s"
    RUSTC_BOOTSTRAP=1 cargo fuzz run search_query corpus/search_query -- \
      -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=4096 2>&1 | grep -E "^(Done|#[0-9]+ +DONE)|panicked|SUMMARY|Test unit written" || true
    continue
  fi
  mkdir -p "corpus/import_$t"
  case $t in
    jsonl) cp ../crates/warta_import/tests/data/*.wxr "corpus/import_$t/" 2>/dev/null || true ;;
    wxr) cp ../crates/warta_import/tests/data/*.wxr "corpus/import_$t/" ;;
    ghost) cp ../crates/warta_import/tests/data/ghost/*.json "corpus/import_$t/" ;;
    html) cp ../crates/warta_import/tests/data/html/*.html "corpus/import_$t/" ;;
    text) [ -f ../../shared/fixtures/crawled/tempo-2020-02-12-trump-kim.txt ] && cp ../../shared/fixtures/crawled/*.txt "corpus/import_$t/" || true ;;
  esac
  echo "== import_$t for ${secs}s"
  RUSTC_BOOTSTRAP=1 cargo fuzz run "import_$t" "corpus/import_$t" -- \
    -max_total_time="$secs" -max_len=262144 -timeout=10 -rss_limit_mb=4096 2>&1 | grep -E "^(Done|#[0-9]+ +DONE)|panicked|SUMMARY|Test unit written" || true
done
