#!/usr/bin/env bash
# Checks contrib/ (issue #34): the systemd unit (systemd-analyze verify on a copy whose
# ExecStart is the built binary; systemd-analyze security --offline under the exposure
# the README states), the nginx example (nginx -t against a self-signed certificate
# made here, then /healthz and a reader page fetched through it with the client's
# address passed on), and the Caddyfile (caddy validate).
#
#   tests/contrib/check.sh PATH/TO/warta
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="$(realpath "${1:?usage: check.sh PATH/TO/warta}")"
max_exposure="2.0"
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "--- systemd unit"
sed "s|^ExecStart=/usr/local/bin/warta |ExecStart=$bin |" contrib/warta.service > "$work/warta.service"
grep -q "^ExecStart=$bin " "$work/warta.service"
# verify: the unit parses, every key is known, the binary exists.
out="$(systemd-analyze verify "$work/warta.service" 2>&1 || true)"
if [ -n "$out" ]; then
  echo "$out"
  # Outside a booted systemd, verify complains about the manager, not the unit.
  if echo "$out" | grep -v -E "Failed to (connect|create bus)|System has not been booted|Failed to setup working directory|not running under systemd" | grep -q .; then
    echo "systemd-analyze verify found problems in contrib/warta.service" >&2
    exit 1
  fi
fi
security="$(systemd-analyze security --offline=yes "$work/warta.service" 2>&1)"
echo "$security" | tail -n 1
exposure="$(echo "$security" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')"
[ -n "$exposure" ] || { echo "no exposure level in: $security" >&2; exit 1; }
awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' ||
  { echo "exposure $exposure is over $max_exposure" >&2; exit 1; }

echo "--- Warta behind the proxies"
data="$work/data"
port=18431
"$bin" serve --demo --data "$data" --listen "127.0.0.1:$port" > "$work/warta.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null

echo "--- nginx"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=example.id" \
  -keyout "$work/privkey.pem" -out "$work/fullchain.pem" 2>/dev/null
# The example's server blocks, on test ports, with the test certificate and upstream.
sed -e "s|/etc/ssl/warta/|$work/|" \
    -e "s|server 127.0.0.1:8080;|server 127.0.0.1:$port;|" \
    -e "s|listen 443 ssl http2;|listen 127.0.0.1:18443 ssl http2;|" \
    -e "s|listen \[::\]:443 ssl http2;||" \
    -e "s|listen 80;|listen 127.0.0.1:18480;|" \
    -e "s|listen \[::\]:80;||" \
    contrib/nginx/warta.conf > "$work/site.conf"
cat > "$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  include $work/site.conf;
}
CONF
nginx -t -c "$work/nginx.conf" -p "$work" -g "daemon on;"
nginx -c "$work/nginx.conf" -p "$work" -g "daemon on;"
for _ in $(seq 1 50); do [ -f "$work/nginx.pid" ] && break; sleep 0.1; done
got="$(curl -fsS --cacert "$work/fullchain.pem" --resolve "example.id:18443:127.0.0.1" "https://example.id:18443/healthz")"
[ "$got" = "ok" ] || { echo "/healthz through nginx: $got" >&2; exit 1; }
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/fullchain.pem" --resolve "example.id:18443:127.0.0.1" -H 'Accept-Encoding: br, gzip' "https://example.id:18443/")"
[ "$code" = "200" ] || { echo "front page through nginx: $code" >&2; exit 1; }
code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:18480/")"
[ "$code" = "301" ] || { echo "plain HTTP should redirect: $code" >&2; exit 1; }
echo "nginx: /healthz and the front page through TLS; HTTP redirects"

echo "--- Caddy"
sed "s|reverse_proxy 127.0.0.1:8080|reverse_proxy 127.0.0.1:$port|" contrib/Caddyfile > "$work/Caddyfile"
HOME="$work" XDG_DATA_HOME="$work/caddy-data" XDG_CONFIG_HOME="$work/caddy-config" \
  caddy validate --config "$work/Caddyfile" --adapter caddyfile
echo "contrib: all checked"
