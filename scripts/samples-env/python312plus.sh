# shellcheck shell=bash
# A Python >= 3.12 for the Django 6.x line (sourced by scripts/run-samples.sh).
#
#   find_python312      sets PY312 to a working Python >= 3.12 on this machine, or fails:
#                       $DJGUIDE_PYTHON312, then python3.13, python3.12, python3.14 and
#                       python3 on PATH (actions/setup-python puts them there), then the
#                       versions pyenv has built. A candidate counts only if it runs and
#                       has venv, ensurepip, ssl and sqlite3 (a pyenv shim for a version
#                       that is not selected does not run; Debian's python3.12 without
#                       python3.12-venv has no ensurepip).
#   ensure_trixie_root DIR
#                       a minimal Debian 13 (trixie) root in DIR, whose python3 is 3.13,
#                       made once with debootstrap (about 45 s) and kept; a stamp file
#                       marks it complete. Each call refreshes the host files that pip
#                       needs in there (DNS, CA bundle, pip configuration).
#   in_root DIR PATH... -- COMMAND...
#                       runs COMMAND chrooted into DIR, with each PATH visible inside at
#                       its own absolute path (see ROOT_MODE), /proc mounted, in its own
#                       process group (run_child).
#
# Set DJGUIDE_PYTHON312=trixie to skip the host's Pythons and use the trixie root.

export PY312=""

# py312_version PYTHON: prints its version if it is a usable Python >= 3.12.
py312_version() {
  "$1" -c 'import sys, venv, ensurepip, ssl, sqlite3
assert sys.version_info >= (3, 12)
print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

find_python312() {
  local cand pyenv_root
  if [ -n "${DJGUIDE_PYTHON312:-}" ]; then
    [ "$DJGUIDE_PYTHON312" = trixie ] && return 1
    py312_version "$DJGUIDE_PYTHON312" >/dev/null ||
      die "DJGUIDE_PYTHON312=$DJGUIDE_PYTHON312 is not a working Python >= 3.12 with venv"
    PY312=$(command -v "$DJGUIDE_PYTHON312")
    return 0
  fi
  local cands=()
  for cand in python3.13 python3.12 python3.14 python3; do
    command -v "$cand" >/dev/null 2>&1 && cands+=("$(command -v "$cand")")
  done
  pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
  for cand in 3.13 3.12 3.14; do
    local found
    found=$(printf '%s\n' "$pyenv_root"/versions/"$cand".*/bin/python3 | sort -V | tail -n 1)
    [ -x "$found" ] && cands+=("$found")
  done
  for cand in "${cands[@]}"; do
    if py312_version "$cand" >/dev/null; then
      PY312="$cand"
      return 0
    fi
  done
  return 1
}

TRIXIE_STAMP_TEXT="debian trixie minbase + python3 python3-venv ca-certificates (v1)"

# debian_mirror: the Debian archive this machine's apt uses (a proxy or a mirror), from
# /etc/apt/sources.list and sources.list.d (one-line .list and deb822 .sources files);
# $DJGUIDE_DEBIAN_MIRROR wins, http://deb.debian.org/debian is the fallback.
debian_mirror() {
  if [ -n "${DJGUIDE_DEBIAN_MIRROR:-}" ]; then
    printf '%s\n' "$DJGUIDE_DEBIAN_MIRROR"
    return
  fi
  local codename
  codename=$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-bookworm}")
  local found
  found=$(
    {
      for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        # deb [options] URI SUITE COMPONENT...
        sed -e 's/#.*//' -e 's/\[[^]]*\]//' "$f" |
          awk -v s="$codename" '$1 == "deb" && $3 == s { print $2 }'
      done
      for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        # deb822 stanzas: Types, URIs, Suites, Enabled.
        awk -v s="$codename" '
          function flush() {
            if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " s " "))
              { n = split(uris, u, " "); for (i = 1; i <= n; i++) print u[i] }
            types = ""; uris = ""; suites = ""; enabled = ""
          }
          /^[ \t]*#/ { next }
          /^[ \t]*$/ { flush(); next }
          tolower($1) == "types:"   { $1 = ""; types = $0 }
          tolower($1) == "uris:"    { $1 = ""; uris = $0 }
          tolower($1) == "suites:"  { $1 = ""; suites = $0 }
          tolower($1) == "enabled:" { enabled = tolower($2) }
          END { flush() }' "$f"
      done
    } | grep -E '^(https?|file)://' | head -n 1
  )
  printf '%s\n' "${found:-http://deb.debian.org/debian}"
}

# no_mounts_under DIR: true when nothing is mounted at or below DIR (in this namespace),
# so that removing DIR cannot reach into a bound folder.
no_mounts_under() {
  ! awk '{ print $5 }' /proc/self/mountinfo | grep -qE "^$(printf '%s' "$1" | sed 's/[][\.*^$+?(){}|/]/\\&/g')(/|$)"
}

trixie_root_works() {
  [ -f "$1/.djguide-root" ] && [ "$(cat "$1/.djguide-root")" = "$TRIXIE_STAMP_TEXT" ] &&
    as_root chroot "$1" /usr/bin/python3 -c 'import venv, ensurepip, ssl, sqlite3' 2>/dev/null
}

ensure_trixie_root() {
  local root="$1" part="$1.part" mirror try
  if ! trixie_root_works "$root"; then
    for d in "$root" "$part"; do
      [ -e "$d" ] || continue
      no_mounts_under "$d" || die "something is mounted under $d: unmount it, then run again"
      say "removing the incomplete trixie root $d"
      as_root rm -rf "$d"
    done
    ensure_debs debootstrap
    mirror=$(debian_mirror)
    say "building a minimal Debian 13 (trixie) root in $root from $mirror (about a minute, once)"
    for try in 1 2; do
      if run_child "${SUDO[@]}" debootstrap --variant=minbase \
        --include=python3,python3-venv,ca-certificates trixie "$part" "$mirror" \
        >"$root.log" 2>&1; then
        break
      fi
      tail -n 15 "$root.log" >&2
      no_mounts_under "$part" || die "debootstrap left mounts under $part"
      as_root rm -rf "$part"
      [ "$try" -eq 2 ] && die "debootstrap failed twice (log: $root.log)"
      say "debootstrap failed; trying once more"
    done
    as_root mv "$part" "$root"
    printf '%s\n' "$TRIXIE_STAMP_TEXT" | as_root tee "$root/.djguide-root" >/dev/null
    trixie_root_works "$root" || die "the trixie root in $root has no working python3"
  fi
  sync_host_files_into_root "$root"
}

# The files pip needs in the root to reach the package index the way the host does:
# DNS, the CA bundle (with any custom CA), pip's configuration files, and what they
# name (cert, client-cert, local find-links folders). Each goes to its own path.
pip_host_paths() {
  local cfg
  printf '%s\n' /etc/resolv.conf /etc/hosts /etc/ssl/certs/ca-certificates.crt
  printf '%s\n' "${PIP_CONFIG_FILE:-}" "${SSL_CERT_FILE:-}" "${REQUESTS_CA_BUNDLE:-}"
  cfg=$(python3 -m pip config list -v 2>/dev/null || true)
  # "For variant 'global', will try loading '/etc/pip.conf'"
  printf '%s\n' "$cfg" | sed -n "s/^For variant '[a-z]*', will try loading '\(.*\)'$/\1/p"
  # "global.cert='/etc/ssl/...'", ":env:.find-links='/opt/wheels'"
  printf '%s\n' "$cfg" | sed -n "s/^[^=]*\.\(cert\|client-cert\|find-links\)='\(.*\)'$/\2/p" |
    tr ' ' '\n' | sed 's|^file://||'
  printf '%s\n' /etc/pip.conf /etc/xdg/pip/pip.conf "$HOME/.config/pip/pip.conf" "$HOME/.pip/pip.conf"
}

sync_host_files_into_root() {
  local root="$1" p
  while IFS= read -r p; do
    case "$p" in /*) ;; *) continue ;; esac
    [ -e "$p" ] || continue
    if [ -d "$p" ]; then
      as_root mkdir -p "$root$p"
      as_root cp -a "$p/." "$root$p/"
    else
      as_root mkdir -p "$root$(dirname "$p")"
      as_root cp -L "$p" "$root$p"
    fi
  done < <(pip_host_paths | sort -u)
  as_root mkdir -p "$root/dev/shm" "$root/tmp"
  as_root chmod 1777 "$root/dev/shm" "$root/tmp"
}

# ROOT_MODE: "bind" when the paths can be bind-mounted into the root inside a mount
# namespace of its own (unshare): the mounts disappear with the namespace, whatever
# way the command ends, and nothing is ever mounted in the host's namespace. "copy"
# when mounting is not allowed: the caller copies what the command needs into the
# root (at the same paths) and copies results back.
ROOT_MODE=""
detect_root_mode() {
  local root="$1"
  # shellcheck disable=SC2016  # $1 is the inner shell's
  if [ "${DJGUIDE_ROOT_MODE:-}" = copy ]; then
    ROOT_MODE=copy
  elif as_root unshare --mount --propagation private --pid --fork --kill-child \
    sh -c 'mkdir -p "$1/mnt/djguide-probe" && mount --bind /etc "$1/mnt/djguide-probe" && test -f "$1/mnt/djguide-probe/passwd"' \
    sh "$root" 2>/dev/null; then
    ROOT_MODE=bind
  else
    ROOT_MODE=copy
  fi
  as_root rmdir "$root/mnt/djguide-probe" 2>/dev/null || true
  if [ "$ROOT_MODE" = bind ]; then
    say "trixie root: the repository is bind-mounted into it (private mount namespace)"
  else
    say "trixie root: mounting is not possible here, so files are copied into it"
  fi
}

# The environment inside the root: the host's, minus what would point Python at
# the host's installation, with a PATH of the root's own.
ROOT_ENV=(env -u PYTHONHOME -u PYTHONPATH -u VIRTUAL_ENV -u PYENV_VERSION
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root SHELL=/bin/sh)

in_root() {
  local root="$1"
  shift
  local binds=()
  while [ "$1" != "--" ]; do
    binds+=("$1")
    shift
  done
  shift
  if [ "$ROOT_MODE" = bind ]; then
    # In a new mount and PID namespace: bind each path at its own place, mount /proc,
    # chroot. When the command ends (or unshare is killed: --kill-child), every
    # process in the namespace ends and its mounts go with it. The shell stays as the
    # namespace's init (no exec): an init ignores signals it has no handler for, and
    # the command must not.
    # shellcheck disable=SC2016
    run_child "${SUDO[@]}" unshare --mount --propagation private --pid --fork --kill-child \
      sh -c 'set -e
        root=$1; shift
        while [ "$1" != "--" ]; do
          mkdir -p "$root$1"
          mount --bind "$1" "$root$1"
          shift
        done
        shift
        mount -t proc proc "$root/proc" 2>/dev/null || true
        chroot "$root" "$@"' \
      sh "$root" "${binds[@]}" -- "${ROOT_ENV[@]}" "$@"
  else
    run_child "${SUDO[@]}" chroot "$root" "${ROOT_ENV[@]}" "$@"
  fi
}
