# shellcheck shell=bash
# A throwaway PostgreSQL cluster under target/pg/ (sourced by scripts/run-samples.sh).
#
#   pg_start DIR   creates the cluster in DIR/data if needed (reused otherwise), starts
#                  it on a free port of 127.0.0.1 and sets PG_DSN
#   pg_stop        stops it (fast shutdown); safe to call more than once, and from a trap
#
# The server listens on 127.0.0.1 only, trusts local connections (unix socket in
# DIR/run, and 127.0.0.1) and nothing else, and runs without fsync: the data is
# thrown away. initdb and postgres refuse to run as root, so as root the cluster
# belongs to the `postgres` user that Debian's package creates.

PG_STARTED=0
PG_DATA=""
export PG_DSN=""

pg_bin_dir() {
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && printf '%s\n' "$d"
}

# ensure_postgres: Debian's PostgreSQL server, installed if missing. A cluster that the
# package itself creates and starts (`main`, on machines where services start on
# install) is stopped again: only the throwaway cluster may run.
ensure_postgres() {
  pg_bin_dir >/dev/null && return 0
  ensure_debs postgresql
  pg_bin_dir >/dev/null || die "postgresql installed but no /usr/lib/postgresql/*/bin/initdb"
  if command -v pg_lsclusters >/dev/null 2>&1; then
    local ver name port status _rest
    while read -r ver name port status _rest; do
      if [ "$status" = online ]; then
        say "stopping the cluster $ver/$name that installing postgresql started"
        as_root pg_ctlcluster "$ver" "$name" stop || true
      fi
    done < <(pg_lsclusters -h 2>/dev/null || true)
  fi
}

free_port() {
  python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# pg_as COMMAND...: runs COMMAND as the cluster's owner.
if [ "$(id -u)" -eq 0 ]; then
  PG_AS=(runuser -u postgres --)
else
  PG_AS=()
fi
pg_as() { "${PG_AS[@]}" "$@"; }

pg_start() {
  local dir="$1" bin port sock log pid
  bin=$(pg_bin_dir) || die "no PostgreSQL server binaries"
  mkdir -p "$dir"
  PG_DATA="$dir/data"
  sock="$dir/run"
  log="$dir/postgres.log"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "no postgres user (Debian's postgresql package creates it)"
    chown -R postgres:postgres "$dir"
    runuser -u postgres -- test -w "$dir" ||
      die "the postgres user cannot reach $dir (a parent folder is not world-searchable)"
  fi
  pg_as mkdir -p "$sock"

  local major
  major=$(basename "$(dirname "$bin")")
  if [ -f "$PG_DATA/PG_VERSION" ] && [ "$(cat "$PG_DATA/PG_VERSION")" != "$major" ]; then
    say "the cluster in $PG_DATA is PostgreSQL $(cat "$PG_DATA/PG_VERSION"), the server is $major: recreating it"
    rm -rf "$PG_DATA"
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ] || [ ! -f "$dir/.initdb-done" ]; then
    rm -rf "$PG_DATA" "$dir/.initdb-done"
    say "creating a PostgreSQL $major cluster in $PG_DATA"
    pg_as "$bin/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    pg_as touch "$dir/.initdb-done"
  fi
  # Trust, for local connections only (the server listens on nothing else).
  pg_as sh -c "printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' > '$PG_DATA/pg_hba.conf'"

  # A server left running by a run that was killed (SIGKILL: no trap) is stopped; a
  # postmaster.pid whose process is gone, or is not this cluster's, is removed.
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    pid=$(head -n 1 "$PG_DATA/postmaster.pid")
    if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
      tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "postgres" &&
      tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$PG_DATA"; then
      say "a server from an earlier run is still up (pid $pid): stopping it"
      pg_as "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null || die "could not stop it"
    else
      say "removing a stale postmaster.pid (pid $pid is not running this cluster)"
      rm -f "$PG_DATA/postmaster.pid"
    fi
  fi

  port=$(free_port)
  local sockdirs="$sock"
  # A unix socket path is at most 107 bytes; past that, TCP only.
  if [ $((${#sock} + 17)) -gt 107 ]; then sockdirs=""; fi
  PG_STARTED=1
  # setsid: the server is not in the terminal's process group, so Ctrl-C reaches this
  # script's trap (which stops it with pg_ctl) rather than the server itself.
  setsid "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DATA" -l "$log" -w -t 60 \
    -o "-c port=$port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$sockdirs' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null 8>&- || {
    tail -n 20 "$log" >&2
    die "PostgreSQL did not start"
  }
  PG_DSN="host=127.0.0.1 port=$port user=postgres dbname=postgres"
  say "PostgreSQL $major up on 127.0.0.1:$port (cluster $PG_DATA)"
}

pg_stop() {
  [ "$PG_STARTED" -eq 1 ] || return 0
  PG_STARTED=0
  local bin
  bin=$(pg_bin_dir) || return 0
  if [ -f "$PG_DATA/postmaster.pid" ]; then
    pg_as "$bin/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      pg_as "$bin/pg_ctl" -D "$PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
      say "warning: could not stop PostgreSQL ($PG_DATA)"
    say "PostgreSQL stopped"
  fi
}
