#!/usr/bin/env bash
# Runs the guide's runnable Python samples against real Django, on both lines the
# guide covers, and writes target/samples-run.json (docs/runnable-samples.md).
#
#   scripts/run-samples.sh [--root DIR] [--line 5.2|6.1] [--only SUBSTRING]
#
#   --root DIR        the site (site.toml, content/); default: this repository
#   --line 5.2|6.1    run one Django line only (default: both)
#   --only SUBSTRING  passed to the runner: only the pages whose source contains it
#
# On a fresh Debian 12 machine it installs what it needs (as root, or with sudo):
# Debian's python3-venv, postgresql and redis-server, a Python >= 3.12 for Django 6.x (one already
# on the machine, or a Debian 13 root made with debootstrap under target/trixie-root),
# the venvs .venv-django52 and .venv-django61. It builds djguide, exports the samples,
# starts a throwaway PostgreSQL under target/pg and Redis under target/redis (both
# always stopped on exit), runs
# scripts/run_samples.py once per line and prints one summary line per line. It exits
# non-zero if either line failed, after running both. docs/running-samples.md has more.
#
# Environment: DJGUIDE_PYTHON312 (a Python >= 3.12 to use, or "trixie" to use the
# Debian 13 root), DJGUIDE_DEBIAN_MIRROR (the mirror for debootstrap),
# DJGUIDE_ROOT_MODE=copy (copy into the root instead of bind-mounting),
# DJGUIDE_SAMPLES_RUNNER (another runner script, for testing this one),
# DJGUIDE_SAMPLES_JOBS (the runner's --jobs).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HERE="$REPO/scripts/samples-env"
# shellcheck source=SCRIPTDIR/samples-env/common.sh
. "$HERE/common.sh"
# shellcheck source=SCRIPTDIR/samples-env/postgres.sh
. "$HERE/postgres.sh"
# shellcheck source=SCRIPTDIR/samples-env/redis.sh
. "$HERE/redis.sh"
# shellcheck source=SCRIPTDIR/samples-env/python312plus.sh
. "$HERE/python312plus.sh"

usage() { sed -n '5,9p' "$0" | sed 's/^# \{0,1\}//'; }

ROOT="$REPO"
# Not LINES: bash sets LINES (the terminal's height) after commands when stdout is a
# terminal.
DJANGO_LINES=(5.2 6.1)
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || die "--root needs a folder"; ROOT="$2"; shift 2 ;;
    --root=*) ROOT="${1#*=}"; shift ;;
    --line) [ $# -ge 2 ] || die "--line needs 5.2 or 6.1"; DJANGO_LINES=("$2"); shift 2 ;;
    --line=*) DJANGO_LINES=("${1#*=}"); shift ;;
    --only) [ $# -ge 2 ] || die "--only needs a substring"; ONLY="$2"; shift 2 ;;
    --only=*) ONLY="${1#*=}"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
case "${DJANGO_LINES[0]}" in 5.2 | 6.1) ;; *) die "--line must be 5.2 or 6.1, not ${DJANGO_LINES[0]}" ;; esac
[ -d "$ROOT" ] || die "--root $ROOT is not a folder"
ROOT=$(cd "$ROOT" && pwd -P)
[ -f "$ROOT/site.toml" ] || die "$ROOT has no site.toml"

TARGET="$REPO/target"
EXPORT="$TARGET/samples"
TRIXIE="$TARGET/trixie-root"
RUNNER="${DJGUIDE_SAMPLES_RUNNER:-$REPO/scripts/run_samples.py}"
case "$RUNNER" in /*) ;; *) RUNNER="$PWD/$RUNNER" ;; esac
[ -f "$RUNNER" ] || die "no runner at $RUNNER"
cd "$REPO"

venv_of() { printf '%s/.venv-django%s' "$REPO" "${1/./}"; }
requirements_of() { printf '%s/scripts/requirements-django%s.txt' "$REPO" "${1/./}"; }

# What runs each line: "host PYTHON" or "root" (the trixie root).
declare -A HOW=()
# Where the 6.1 venv is, seen from the host (differs from venv_of in copy mode).
declare -A VENV_ON_HOST=()

# shellcheck disable=SC2317  # called by the traps
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM HUP
  # A reader that is gone (`| tee` killed by the same Ctrl-C) must not kill the
  # cleanup half-way with SIGPIPE.
  trap '' PIPE
  stop_child TERM
  pg_stop
  redis_stop
  exit "$rc"
}
# shellcheck disable=SC2317
on_signal() {
  trap '' PIPE
  say "interrupted (SIG$1): stopping"
  # TERM, not the signal received: background children of a script start with
  # SIGINT ignored, so an INT would not stop them.
  stop_child TERM
  exit "$2"
}
trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

mkdir -p "$TARGET/samples-lines"
# One run at a time per repository (they share target/pg and the venvs). Children
# do not inherit the lock's descriptor (run_child, pg_start close it), so a server
# left by a killed run cannot hold it.
exec 8>"$TARGET/run-samples.lock"
flock -n 8 || die "another scripts/run-samples.sh is running in this repository"
APT_LOG="$TARGET/samples-apt.log"
rm -f "$TARGET/samples-run.json" "$TARGET"/samples-lines/*.json
# Everything the runs write stays under target/ (pip's cache, bytecode, temp files).
export PIP_CACHE_DIR="$TARGET/pip-cache"
export PIP_DISABLE_PIP_VERSION_CHECK=1

step() { printf '\n== %s  [%d s]\n' "$*" "$SECONDS" >&2; }

# --- Packages ---------------------------------------------------------------------
step "Packages (python3-venv, postgresql, redis-server)"
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  ensure_debs python3 python3-venv
fi
ensure_debs ca-certificates
ensure_postgres
ensure_redis

# --- Interpreters -------------------------------------------------------------------
for line in "${DJANGO_LINES[@]}"; do
  if [ "$line" = 5.2 ]; then
    HOW[$line]="host $(python3 -c 'import sys; print(sys.executable)')"
  elif find_python312; then
    HOW[$line]="host $("$PY312" -c 'import sys; print(sys.executable)')"
  else
    step "Python >= 3.12 for Django 6.1: a Debian 13 root in target/trixie-root"
    ensure_trixie_root "$TRIXIE"
    detect_root_mode "$TRIXIE"
    HOW[$line]=root
  fi
done

# Folders the trixie root must see: the repository, the site, the runner's folder.
ROOT_PATHS=()
add_root_path() {
  local p="$1" q
  for q in "${ROOT_PATHS[@]}"; do
    case "$p/" in "$q"/*) return ;; esac
  done
  ROOT_PATHS+=("$p")
}
add_root_path "$REPO"
add_root_path "$ROOT"
add_root_path "$(dirname "$RUNNER")"

# copy mode: put the given paths (files or folders) into the root at the same place.
copy_into_root() {
  local p
  for p in "$@"; do
    [ -e "$p" ] || continue
    as_root rm -rf "$TRIXIE$p"
    as_root mkdir -p "$TRIXIE$(dirname "$p")"
    as_root cp -a "$p" "$TRIXIE$p"
  done
}

# --- Venvs --------------------------------------------------------------------------
# A venv is (re)made when its stamp (hash of the requirements file + the interpreter)
# differs, or when it no longer imports Django.
ensure_venv() {
  local line="$1" venv req how want stamp_file check_log="$TARGET/samples-venv-check.log"
  venv=$(venv_of "$line")
  req=$(requirements_of "$line")
  how="${HOW[$line]}"
  if [ "$how" = root ]; then
    local inner
    inner=$(as_root chroot "$TRIXIE" /usr/bin/python3 -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
    want="$(file_hash "$req") debian-trixie-root python $inner"
    if [ "$ROOT_MODE" = copy ]; then
      VENV_ON_HOST[$line]="$TRIXIE$venv"
      copy_into_root "$req"
    else
      VENV_ON_HOST[$line]="$venv"
    fi
    stamp_file="${VENV_ON_HOST[$line]}/.djguide-stamp"
    if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
      if in_root "$TRIXIE" "${ROOT_PATHS[@]}" -- "$venv/bin/python" -c 'import django, rest_framework, psycopg' 2>"$check_log"; then
        say "$(basename "$venv") is up to date (Python $inner in the trixie root)"
        return 0
      fi
      say "$(basename "$venv") does not import Django: remaking it ($(tail -n 1 "$check_log"))"
    fi
    say "making $(basename "$venv") with Python $inner in the trixie root"
    as_root rm -rf "${VENV_ON_HOST[$line]}"
    in_root "$TRIXIE" "${ROOT_PATHS[@]}" -- /usr/bin/python3 -m venv "$venv" ||
      die "python3 -m venv failed in the trixie root"
    in_root "$TRIXIE" "${ROOT_PATHS[@]}" -- "$venv/bin/python" -m pip install -q -r "$req" ||
      die "pip install -r $req failed in the trixie root"
    printf '%s\n' "$want" | as_root tee "$stamp_file" >/dev/null
    reclaim "${VENV_ON_HOST[$line]}" "$PIP_CACHE_DIR"
  else
    local py="${how#host }" version
    version=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])')
    want="$(file_hash "$req") $py python $version"
    VENV_ON_HOST[$line]="$venv"
    stamp_file="$venv/.djguide-stamp"
    if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$want" ]; then
      if "$venv/bin/python" -c 'import django, rest_framework, psycopg' 2>"$check_log"; then
        say "$(basename "$venv") is up to date (Python $version, $py)"
        return 0
      fi
      say "$(basename "$venv") does not import Django: remaking it ($(tail -n 1 "$check_log"))"
    fi
    say "making $(basename "$venv") with Python $version ($py)"
    rm -rf "$venv"
    run_child "$py" -m venv "$venv" || die "$py -m venv $venv failed"
    run_child "$venv/bin/python" -m pip install -q -r "$req" || die "pip install -r $req failed"
    printf '%s\n' "$want" >"$stamp_file"
  fi
}

step "Venvs"
for line in "${DJANGO_LINES[@]}"; do
  ensure_venv "$line"
done

# --- djguide and the export ---------------------------------------------------------
step "djguide (cargo build --release) and the export (target/samples)"
command -v cargo >/dev/null 2>&1 || die "cargo is not installed"
run_child cargo build --release --locked --quiet --target-dir "$TARGET" || die "cargo build failed"
run_child "$REPO/target/release/djguide" samples --root "$ROOT" --out "$EXPORT" ||
  die "djguide samples failed"
[ -f "$EXPORT/samples.json" ] || die "the export wrote no $EXPORT/samples.json"

# --- PostgreSQL ---------------------------------------------------------------------
step "PostgreSQL (throwaway cluster in target/pg)"
pg_start "$TARGET/pg"
step "Redis (throwaway server in target/redis)"
redis_start "$TARGET/redis"

# --- The runs -----------------------------------------------------------------------
declare -A RC=()
run_line() {
  local line="$1" how venv summary workdir tmp rc=0
  how="${HOW[$line]}"
  venv=$(venv_of "$line")
  summary="$TARGET/samples-lines/django-$line.json"
  workdir="$TARGET/samples-work/$line"
  tmp="$TARGET/tmp/samples-$line"
  local args=(--export "$EXPORT" --root "$ROOT" --postgres "$PG_DSN" --redis "$REDIS_URL" --summary "$summary"
    --workdir "$workdir")
  [ -n "$ONLY" ] && args+=(--only "$ONLY")
  [ -n "${DJGUIDE_SAMPLES_JOBS:-}" ] && args+=(--jobs "$DJGUIDE_SAMPLES_JOBS")
  local envs=(LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC TMPDIR="$tmp"
    PYTHONPYCACHEPREFIX="$TARGET/pycache/django-$line")

  if [ "$how" = root ]; then
    step "Django $line line (Python in the trixie root, $(basename "$venv"))"
    if [ "$ROOT_MODE" = copy ]; then
      # The runner's folder, the export and the site go into the root at their own
      # paths; the summary comes back out.
      copy_into_root "$(dirname "$RUNNER")" "$EXPORT" "$ROOT/site.toml" "$ROOT/content"
      as_root rm -rf "$TRIXIE$workdir" "$TRIXIE$tmp" "$TRIXIE$summary"
      as_root mkdir -p "$TRIXIE$workdir" "$TRIXIE$tmp" "$TRIXIE$(dirname "$summary")"
    else
      rm -rf "$workdir" "$tmp"
      mkdir -p "$workdir" "$tmp"
    fi
    in_root "$TRIXIE" "${ROOT_PATHS[@]}" -- env "${envs[@]}" "$venv/bin/python" "$RUNNER" "${args[@]}" || rc=$?
    if [ "$ROOT_MODE" = copy ] && [ -f "$TRIXIE$summary" ]; then
      cp "$TRIXIE$summary" "$summary"
    fi
    reclaim "$summary" "$workdir" "$tmp" "$TARGET/pycache/django-$line"
  else
    step "Django $line line (Python ${how#host }, $(basename "$venv"))"
    rm -rf "$workdir" "$tmp"
    mkdir -p "$workdir" "$tmp"
    run_child env "${envs[@]}" "$venv/bin/python" "$RUNNER" "${args[@]}" || rc=$?
  fi
  RC[$line]=$rc
  [ "$rc" -eq 0 ] || say "the Django $line line failed (runner exit status $rc)"
}

for line in "${DJANGO_LINES[@]}"; do
  run_line "$line"
done

# --- Results ------------------------------------------------------------------------
pg_stop
redis_stop
printf '\n== done in %d s\n' "$SECONDS" >&2
pairs=()
for line in "${DJANGO_LINES[@]}"; do
  pairs+=("$line=$TARGET/samples-lines/django-$line.json")
done
merge_rc=0
python3 "$HERE/summaries.py" "$TARGET/samples-run.json" "${pairs[@]}" || merge_rc=$?

status=0
for line in "${DJANGO_LINES[@]}"; do
  if [ "${RC[$line]}" -ne 0 ]; then
    say "FAILED: the Django $line line (exit status ${RC[$line]})"
    status=1
  fi
done
[ "$merge_rc" -eq 0 ] || status=1
exit "$status"
