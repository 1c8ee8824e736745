# Sourced by the page benchmarks: serves $1/www as static files on 127.0.0.1:$2 with
# nginx, writing its pid to $1/nginx.pid (the caller's cleanup kills it). Files with a
# `.br` or `.gz` beside them are sent pre-compressed to clients that accept it
# (brotli_static from Debian's libnginx-mod-http-brotli-static, and gzip_static), as
# a well-set-up nginx serves a site's static pages.
start_nginx() {
  local work=$1 port=$2 modules="" brotli=""
  local so=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
  if [ -f "$so" ]; then
    modules="load_module $so;"
    brotli="brotli_static on;"
  fi
  cat >"$work/nginx.conf" <<NGINX
$modules
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
user root;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type text/html;
  types { application/xml xml; }
  gzip_static on;
  gzip_vary on;
  $brotli
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work"
  sleep 0.5
}

# Writes FILE.br (brotli quality 11) and FILE.gz (gzip -9) beside FILE.
precompress() {
  brotli -q 11 -f -k -o "$1.br" "$1"
  gzip -9 -k -f -n "$1"
}
