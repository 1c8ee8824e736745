# Sourced by the page benchmarks: serves $1/www as static files on 127.0.0.1:$2 with
# nginx, writing its pid to $1/nginx.pid (the caller's cleanup kills it).
start_nginx() {
  local work=$1 port=$2
  cat >"$work/nginx.conf" <<NGINX
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
  server {
    listen 127.0.0.1:$port;
    root $work/www;
  }
}
NGINX
  nginx -c "$work/nginx.conf" -p "$work"
  sleep 0.5
}
