#!/usr/bin/env bash
# The Content API against its own OpenAPI document, with schemathesis (run by .ci/run):
# a demo site on a free loopback port, a partner key made with `warta api-key add`,
# then every operation with generated and boundary inputs. Fails on a 5xx, on a
# response that breaks the document (status, content type, body schema, headers), or
# on invalid input accepted.
#
#   tests/api/schemathesis.sh WARTA_BINARY
#
# One check is left out: `positive_data_acceptance`. `/api/v1/articles` takes at most
# one of `section`, `tag` and `author` and answers two with a 400 naming the rule;
# OpenAPI cannot state "at most one of these query parameters", so schemathesis
# would count that 400 as a valid request refused.
set -euo pipefail
bin="$1"
data=$(mktemp -d)
log="$data/serve.log"
# A rate high enough that the run tests the API, not its limiter (which has its own test).
echo 'api_per_minute = 1000000' >"$data/warta.toml"
"$bin" serve --demo --data "$data" --listen 127.0.0.1:0 >"$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$data"' EXIT
base=""
for _ in $(seq 1 300); do
  base=$(grep -o 'Warta is serving http://[^ ]*' "$log" | sed 's/^Warta is serving //' || true)
  [ -n "$base" ] && break
  kill -0 $pid 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
[ -n "$base" ] || { echo "warta did not start" >&2; cat "$log" >&2; exit 1; }
base="${base%/}"
key=$("$bin" api-key add schemathesis --data "$data" 2>/dev/null)
# Its cache goes into the temporary folder, not the checkout.
cd "$data"
schemathesis run "$base/api/v1/openapi.json" --url "$base" \
  -H "Authorization: Bearer $key" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples 60 --seed 1 --no-color
