# shellcheck shell=bash
# Shared helpers for scripts/run-samples.sh (sourced, not run).
#
# - say / die: messages on stderr, prefixed so they stand out from the runner's output.
# - as_root: runs a command as root (sudo only when not root already).
# - ensure_debs: installs Debian packages that are missing (apt-get update only then).
# - run_child: runs a long step in its own process group, so that a signal to this
#   script (Ctrl-C, SIGTERM) can stop the whole step, not only its first process.

say() { printf '[run-samples] %s\n' "$*" >&2 || true; }
die() { say "error: $*"; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
else
  command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install packages"
  SUDO=(sudo)
fi

as_root() { "${SUDO[@]}" "$@"; }

# reclaim PATH...: when not root, gives back to the user what a command run with
# sudo (the chroot) wrote, so the next run can replace it.
reclaim() {
  [ "${#SUDO[@]}" -eq 0 ] && return 0
  local p
  for p in "$@"; do
    [ -e "$p" ] && as_root chown -R "$(id -u):$(id -g)" "$p"
  done
  return 0
}

deb_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

APT_UPDATED=0
APT_LOG="${APT_LOG:-/dev/null}"
# ensure_debs PACKAGE...: installs the ones that are not installed yet.
ensure_debs() {
  local missing=() pkg
  for pkg in "$@"; do
    deb_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]} (log: $APT_LOG)"
  if [ "$APT_UPDATED" -eq 0 ]; then
    run_child "${SUDO[@]}" apt-get update -q >>"$APT_LOG" 2>&1 ||
      { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed"; }
    APT_UPDATED=1
  fi
  run_child "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$APT_LOG" 2>&1 ||
    { tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed"; }
}

# run_child PROGRAM ARG...: runs PROGRAM (an executable, not a shell function) in a
# session (and process group) of its own and waits for it. `wait` returns as soon as a trapped signal arrives, so the trap can
# stop the child's whole group (stop_child) instead of waiting for it to finish.
CHILD_PID=""
run_child() {
  local rc=0
  setsid "$@" 8>&- &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# stop_child [SIGNAL]: the running child's group gets SIGNAL (default TERM), then
# SIGKILL if it is still there 5 s later.
stop_child() {
  local sig="${1:-TERM}" pid="$CHILD_PID" _
  [ -n "$pid" ] || return 0
  CHILD_PID=""
  kill -s "$sig" -- "-$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    say "the step did not stop on SIG$sig: killing it"
    kill -s KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# file_hash FILE...: one sha256 over the files' contents.
file_hash() { cat "$@" | sha256sum | cut -d' ' -f1; }
