# shellcheck shell=bash
# A throwaway Redis server under target/redis/ (sourced by scripts/run-samples.sh).
#
#   ensure_redis     Debian's redis-server, installed if missing
#   redis_start DIR  starts a server on a free port of 127.0.0.1 and sets REDIS_URL
#   redis_stop       stops it; safe to call more than once, and from a trap
#
# The server listens on 127.0.0.1 only, keeps nothing on disk (no RDB snapshots, no
# AOF) and has 64 databases: the runner gives each page its own.

REDIS_STARTED=0
REDIS_PORT=""
REDIS_DIR=""
export REDIS_URL=""

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 && return 0
  ensure_debs redis-server
  command -v redis-server >/dev/null 2>&1 || die "redis-server installed but not on PATH"
  # Where installing starts the packaged service, only the throwaway server may run.
  if command -v redis-cli >/dev/null 2>&1 && redis-cli -p 6379 ping >/dev/null 2>&1; then
    say "stopping the Redis service that installing redis-server started"
    as_root service redis-server stop >/dev/null 2>&1 || redis-cli -p 6379 shutdown nosave >/dev/null 2>&1 || true
  fi
}

redis_start() {
  REDIS_DIR="$1"
  mkdir -p "$REDIS_DIR"
  # A server left by a run that was killed (SIGKILL: no trap) is stopped first.
  if [ -f "$REDIS_DIR/redis.pid" ]; then
    local old
    old=$(cat "$REDIS_DIR/redis.pid")
    if [ -n "$old" ] && [ -r "/proc/$old/cmdline" ] && tr '\0' ' ' <"/proc/$old/cmdline" | grep -q redis-server; then
      say "a Redis server from an earlier run is still up (pid $old): stopping it"
      kill "$old" 2>/dev/null || true
      sleep 0.5
    fi
    rm -f "$REDIS_DIR/redis.pid"
  fi
  REDIS_PORT=$(free_port)
  REDIS_STARTED=1
  # setsid: Ctrl-C reaches this script's trap, which stops the server.
  setsid redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --save "" --appendonly no --databases 64 --dir "$REDIS_DIR" \
    --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log" --daemonize yes 8>&- ||
    die "redis-server did not start (see $REDIS_DIR/redis.log)"
  local tries=0
  until redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || { tail -n 20 "$REDIS_DIR/redis.log" >&2; die "Redis did not answer"; }
    sleep 0.1
  done
  REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
  say "Redis $(redis-server --version | sed -n 's/.*v=\([0-9.]*\).*/\1/p') up on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  [ "$REDIS_STARTED" -eq 1 ] || return 0
  REDIS_STARTED=0
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 ||
    { [ -f "$REDIS_DIR/redis.pid" ] && kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; } || true
  say "Redis stopped"
}
