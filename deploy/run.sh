#!/usr/bin/env bash
# sangsaeng's reference production layout on one machine (see deploy/README.md):
#   nginx (Debian) -> 2 web processes (granian WSGI) + 1 WebSocket process (granian ASGI)
#   1 task worker (RQ on Redis) + the embedded chain node, PostgreSQL and Redis.
# Usage: deploy/run.sh start|stop|status|restart
# Everything is configured by environment; see the table in deploy/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
export SANGSAENG_VAR_DIR="${SANGSAENG_VAR_DIR:-$ROOT/var}"
DEPLOY_DIR="${DEPLOY_DIR:-$SANGSAENG_VAR_DIR/deploy}"
RUN="$DEPLOY_DIR/run"
LOGS="$DEPLOY_DIR/logs"

DEPLOY_SERVER_NAME="${DEPLOY_SERVER_NAME:-127.0.0.1}"
DEPLOY_TLS="${DEPLOY_TLS:-self-signed}"            # self-signed | files | off (TLS ends at a load balancer)
DEPLOY_HTTP_PORT="${DEPLOY_HTTP_PORT:-8080}"
DEPLOY_HTTPS_PORT="${DEPLOY_HTTPS_PORT:-8443}"
DEPLOY_WEB_PORTS="${DEPLOY_WEB_PORTS:-8101 8102}"  # one web process per port
DEPLOY_WEB_THREADS="${DEPLOY_WEB_THREADS:-4}"
DEPLOY_WS_PORT="${DEPLOY_WS_PORT:-8103}"
DEPLOY_READY_TIMEOUT="${DEPLOY_READY_TIMEOUT:-90}"
export CHAIN_NODE_PORT="${CHAIN_NODE_PORT:-8545}"

log() { printf 'deploy: %s\n' "$*" >&2; }
die() { log "$*"; exit "${2:-1}"; }

public_url() {
  if [ "$DEPLOY_TLS" = off ]; then
    echo "http://$DEPLOY_SERVER_NAME:$DEPLOY_HTTP_PORT"
  else
    echo "https://$DEPLOY_SERVER_NAME:$DEPLOY_HTTPS_PORT"
  fi
}

ensure_nginx() {
  if [ -n "${NGINX:-}" ]; then  # an operator's own nginx binary: used as given, never installed
    [ -x "$NGINX" ] && return 0
    die "nginx is not installed and could not be installed: NGINX=$NGINX is not an executable" 3
  fi
  NGINX=nginx
  command -v nginx >/dev/null 2>&1 && return 0
  [ -x /usr/sbin/nginx ] && { PATH="$PATH:/usr/sbin"; return 0; }
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing nginx-light from Debian"
    # On a host with systemd the package also enables Debian's own nginx.service (port 80); this
    # script runs its own instance beside it (`systemctl disable --now nginx` if it is not wanted).
    if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >"$LOGS/apt.log" 2>&1 ||
      { apt-get update -qq >>"$LOGS/apt.log" 2>&1 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >>"$LOGS/apt.log" 2>&1; }; then
      PATH="$PATH:/usr/sbin"
      return 0
    fi
  fi
  die "nginx is not installed and could not be installed (as root: apt-get install nginx-light); see $LOGS/apt.log" 3
}

# Secrets: the environment wins; otherwise made once and kept in $DEPLOY_DIR/secrets.env (mode 600).
load_secrets() {
  local file="$DEPLOY_DIR/secrets.env"
  if [ ! -f "$file" ]; then
    (umask 077 && "$PYTHON" - "$file" <<'PY'
import base64, secrets, sys
with open(sys.argv[1], "w") as out:
    out.write(f"SECRET_KEY={secrets.token_urlsafe(64)}\n")
    out.write(f"SANGSAENG_ENCRYPTION_KEYS=k1:{base64.b64encode(secrets.token_bytes(32)).decode()}\n")
    out.write(f"CHAIN_RELAYER_KEY=0x{secrets.token_hex(32)}\n")
PY
    )
    log "made secrets in $file (keep it, or set SECRET_KEY, SANGSAENG_ENCRYPTION_KEYS and CHAIN_RELAYER_KEY)"
  fi
  local name value
  while IFS='=' read -r name value; do
    [ -n "$name" ] && [ -z "${!name:-}" ] && export "$name=$value"
  done <"$file"
  return 0
}

# PostgreSQL and Redis: the ones in DATABASE_URL and REDIS_URL; without them, local instances under
# $DEPLOY_DIR (the binaries come from Debian's postgresql and redis-server packages).
provision_services() {
  if [ -z "${DATABASE_URL:-}" ]; then
    local port="${DEPLOY_PG_PORT:-5433}" data="$DEPLOY_DIR/postgres"
    local initdb pg_ctl
    initdb="$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | tail -1 || true)"
    [ -n "$initdb" ] || die "DATABASE_URL is unset and PostgreSQL is not installed (apt-get install postgresql)"
    [ "$(id -u)" != 0 ] || die "DATABASE_URL is unset and PostgreSQL will not run as root: set DATABASE_URL, or run as a service user"
    pg_ctl="$(dirname "$initdb")/pg_ctl"
    [ -d "$data" ] || "$initdb" -D "$data" -U sangsaeng --auth=trust -E UTF8 >"$LOGS/initdb.log" 2>&1
    if ! "$pg_ctl" -D "$data" status >/dev/null 2>&1; then
      "$pg_ctl" -D "$data" -l "$LOGS/postgres.log" -o "-p $port -k $RUN -c listen_addresses=127.0.0.1" -w start >/dev/null
    fi
    "$(dirname "$initdb")/createdb" -h 127.0.0.1 -p "$port" -U sangsaeng sangsaeng 2>/dev/null || true
    export DATABASE_URL="postgresql://sangsaeng@127.0.0.1:$port/sangsaeng"
  fi
  case "$DATABASE_URL" in
    postgres*)  # make the database when the server lets us (a managed one may be made by its operator)
      "$PYTHON" - "$DATABASE_URL" <<'PY' || log "could not check or create the database; migrate will say why"
import sys, psycopg
base, _, name = sys.argv[1].partition("?")[0].rpartition("/")
with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=10) as conn:
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        conn.execute(f'CREATE DATABASE "{name}"')
PY
      ;;
  esac
  if [ -z "${REDIS_URL:-}" ]; then
    local port="${DEPLOY_REDIS_PORT:-6380}"
    command -v redis-server >/dev/null || die "REDIS_URL is unset and redis-server is not installed (apt-get install redis-server)"
    if ! spawn_alive redis; then
      spawn redis redis-server --port "$port" --bind 127.0.0.1 --dir "$DEPLOY_DIR" --save 60 1 --appendonly yes
    fi
    export REDIS_URL="redis://127.0.0.1:$port/0"
  fi
}

# Each process runs in its own session, so `stop` ends it and its children by process group.
spawn() {
  local name="$1"; shift
  (cd "$ROOT" && exec setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null) &
  echo $! >"$RUN/$name.pid"
}

spawn_alive() { [ -f "$RUN/$1.pid" ] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }

manage() { (cd "$ROOT" && "$PYTHON" -m sangsaeng.cli "$@"); }

render_nginx() {
  local tls_cert="" tls_key=""
  case "$DEPLOY_TLS" in
    self-signed)
      "$PYTHON" -c "import sys; from pathlib import Path; sys.path.insert(0, '$ROOT'); \
from sangsaeng.core.tls import ensure_self_signed; ensure_self_signed(Path('$DEPLOY_DIR/tls'), hosts=['$DEPLOY_SERVER_NAME', 'localhost', '127.0.0.1'])"
      tls_cert="$DEPLOY_DIR/tls/cert.pem" tls_key="$DEPLOY_DIR/tls/key.pem" ;;
    files)
      tls_cert="${DEPLOY_TLS_CERT:?DEPLOY_TLS=files needs DEPLOY_TLS_CERT}" tls_key="${DEPLOY_TLS_KEY:?DEPLOY_TLS=files needs DEPLOY_TLS_KEY}" ;;
    off) ;;
    *) die "DEPLOY_TLS must be self-signed, files or off, not $DEPLOY_TLS" ;;
  esac
  "$PYTHON" "$ROOT/deploy/render_nginx.py" \
    --template "${DEPLOY_NGINX_TEMPLATE:-$ROOT/deploy/nginx.conf.template}" --out "$DEPLOY_DIR/nginx/nginx.conf" \
    --deploy-dir "$DEPLOY_DIR" --static-root "${STATIC_ROOT:-$SANGSAENG_VAR_DIR/static}" --server-name "$DEPLOY_SERVER_NAME" \
    --http-port "$DEPLOY_HTTP_PORT" --https-port "$DEPLOY_HTTPS_PORT" --web-ports "$DEPLOY_WEB_PORTS" \
    --ws-port "$DEPLOY_WS_PORT" --tls-cert "$tls_cert" --tls-key "$tls_key" \
    --max-body "${DEPLOY_MAX_BODY:-110m}" --workers "${DEPLOY_NGINX_WORKERS:-auto}"
  "$NGINX" -t -q -e "$LOGS/nginx-error.log" -c "$DEPLOY_DIR/nginx/nginx.conf" -p "$DEPLOY_DIR/nginx"
}

tls_ca() {
  case "$DEPLOY_TLS" in
    self-signed) echo "$DEPLOY_DIR/tls/cert.pem" ;;
    files) echo "${DEPLOY_TLS_CA:-}" ;;
  esac
}

healthcheck() {
  (cd "$ROOT" && "$PYTHON" "$ROOT/deploy/healthcheck.py" --timeout "$1" --url "$(public_url)" \
    --web-ports "$DEPLOY_WEB_PORTS" --ws-port "$DEPLOY_WS_PORT" --pid-dir "$RUN" --ca "$(tls_ca)")
}

start() {
  mkdir -p "$RUN" "$LOGS" "$DEPLOY_DIR/nginx"
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)"
    [ "$name" = redis ] && continue
    spawn_alive "$name" && die "$name is already running (pid $(cat "$pidfile")); run deploy/run.sh stop first"
    rm -f "$pidfile"
  done
  ensure_nginx
  export SANGSAENG_PROFILE=production DJANGO_SETTINGS_MODULE=sangsaeng.settings
  export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  load_secrets
  provision_services
  export ALLOWED_HOSTS="${ALLOWED_HOSTS:-$DEPLOY_SERVER_NAME,localhost,127.0.0.1}"
  export PUBLIC_URL="${PUBLIC_URL:-$(public_url)}"
  export CSRF_TRUSTED_ORIGINS="${CSRF_TRUSTED_ORIGINS:-$PUBLIC_URL}"
  export SYNC_ISSUER="${SYNC_ISSUER:-$PUBLIC_URL}"
  export WEBSOCKET_URL="${WEBSOCKET_URL:-$(public_url | sed 's/^http/ws/')}"
  if [ "$DEPLOY_TLS" = off ]; then export SECURE_SSL_REDIRECT="${SECURE_SSL_REDIRECT:-false}"; fi
  # DATABASE_URL may carry a password: the file is for this user only
  (umask 077 && env | grep -E '^(SANGSAENG_|STATIC_ROOT|DATABASE_URL|REDIS_URL|ALLOWED_HOSTS|PUBLIC_URL|CSRF_TRUSTED|SYNC_ISSUER|WEBSOCKET_URL|CHAIN_|DEPLOY_)' |
    grep -vE '^(SECRET_KEY|SANGSAENG_ENCRYPTION_KEYS|CHAIN_RELAYER_KEY)=' | sort >"$DEPLOY_DIR/environment") || true

  log "check --deploy, migrate $(echo "$DATABASE_URL" | sed 's#//[^@]*@#//#'), collectstatic"
  (cd "$ROOT" && "$PYTHON" "$ROOT/deploy/prepare.py") >"$LOGS/prepare.log" 2>&1 || { cat "$LOGS/prepare.log" >&2; die "preparation failed"; }
  if [ "${DEPLOY_DEMO:-0}" = 1 ]; then manage demo --if-empty; fi
  render_nginx

  if [ -z "${CHAIN_RPC_URL:-}" ]; then
    spawn chain-node "$PYTHON" -m sangsaeng.cli chain-node --port "$CHAIN_NODE_PORT"
  fi
  # granian itself, as `sangsaeng web` (and `web --websockets`) would start it, without that command's
  # own Django process around it: each Django start is ~5 s of CPU here.
  local granian i=0
  granian="$(dirname "$PYTHON")/granian"
  for port in $DEPLOY_WEB_PORTS; do
    i=$((i + 1))
    spawn "web-$i" "$granian" --interface wsgi --host 127.0.0.1 --port "$port" --workers 1 \
      --blocking-threads "$DEPLOY_WEB_THREADS" --respawn-failed-workers --no-ws --log-level warning sangsaeng.wsgi:application
  done
  SANGSAENG_WS_HUB=1 spawn websockets "$granian" --interface asginl --host 127.0.0.1 --port "$DEPLOY_WS_PORT" \
    --workers 1 --log-level warning sangsaeng.asgi:application
  spawn worker "$PYTHON" -m sangsaeng.cli worker
  spawn nginx "$NGINX" -e "$LOGS/nginx-error.log" -c "$DEPLOY_DIR/nginx/nginx.conf" -p "$DEPLOY_DIR/nginx" -g "daemon off;"

  log "waiting for every part to answer (up to ${DEPLOY_READY_TIMEOUT}s)"
  if ! healthcheck "$DEPLOY_READY_TIMEOUT"; then
    log "not healthy; logs are in $LOGS"
    exit 1
  fi
  log "ready at $(public_url)/  (logs $LOGS, pids $RUN; stop with deploy/run.sh stop)"
}

# TERM to every process group at once, then wait up to 15 s for all of them together and KILL what
# is left. Also what to run after a `start` that was not healthy: it leaves its processes for the logs.
stop() {
  local names=() pids=() name pid
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)" pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
      names+=("$name") pids+=("$pid")
    else
      rm -f "$pidfile"
    fi
  done
  for _ in $(seq 1 60); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.25
  done
  local i
  for i in "${!pids[@]}"; do
    if kill -0 "${pids[$i]}" 2>/dev/null; then
      log "${names[$i]} did not stop in 15 s; killing"
      kill -KILL -- "-${pids[$i]}" 2>/dev/null || kill -KILL "${pids[$i]}" 2>/dev/null || true
    fi
    log "stopped ${names[$i]} (${pids[$i]})"
    rm -f "$RUN/${names[$i]}.pid"
  done
  if [ -d "$DEPLOY_DIR/postgres" ]; then
    pg_ctl="$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1 || true)"
    if [ -n "$pg_ctl" ] && "$pg_ctl" -D "$DEPLOY_DIR/postgres" status >/dev/null 2>&1; then
      "$pg_ctl" -D "$DEPLOY_DIR/postgres" -m fast -w stop >/dev/null && log "stopped postgres"
    fi
  fi
  return 0
}

status() {
  local down=0
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    name="$(basename "$pidfile" .pid)"
    if spawn_alive "$name"; then echo "$name: running (pid $(cat "$pidfile"))"; else echo "$name: DOWN"; down=1; fi
  done
  export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
  healthcheck 5 || down=1
  return "$down"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
