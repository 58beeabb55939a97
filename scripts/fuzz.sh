#!/usr/bin/env bash
# Fuzz djguide with cargo fuzz (libFuzzer) on the stable toolchain.
#
#   scripts/fuzz.sh smoke              every target for FUZZ_SMOKE_SECONDS (25) each,
#                                      from the seeds only (a fixed time)
#   scripts/fuzz.sh long [SECONDS]     every target for SECONDS (600) each, growing
#                                      fuzz/corpus/TARGET
#   scripts/fuzz.sh run TARGET SECONDS [LIBFUZZER ARGS...]
#   scripts/fuzz.sh replay             every target over its corpus once, no fuzzing
#   scripts/fuzz.sh corpus             create fuzz/corpus/TARGET from the seeds where missing
#
# Targets (fuzz/fuzz_targets/): front_matter, markdown, build_page, build_config.
# The corpus (fuzz/corpus/TARGET, not committed) starts from the guide's own
# content, the test fixtures and fuzz/seeds/; libFuzzer adds what it learns.
# A crash stops the run with the input in fuzz/artifacts/TARGET/: fix it, and
# keep the input in tests/fuzz-regressions/TARGET/ (`cargo test` replays it).
#
# Environment: FUZZ_SANITIZER (none; `address` works too, ~10x slower and the
# code is safe Rust), CARGO_BUILD_JOBS (1), FUZZ_ASSERT_NO_CONTROL_CHARS=1 to
# also assert that diagnostics carry no raw control character.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(front_matter markdown build_page build_config)
SANITIZER="${FUZZ_SANITIZER:-none}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}"
# cargo fuzz passes -Z flags to rustc; this lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

ensure_cargo_fuzz() {
  if cargo fuzz --version >/dev/null 2>&1; then
    return
  fi
  echo "installing cargo-fuzz (once)" >&2
  cargo install cargo-fuzz --locked --version '^0.13'
}

# Each target's seeds, copied into BASE/TARGET (fuzz/corpus by default) when
# that folder is empty; libFuzzer keeps what it adds beside them.
make_corpus() {
  local base="${1:-fuzz/corpus}" target dir file name
  for target in "${TARGETS[@]}"; do
    dir="$base/$target"
    mkdir -p "$dir"
    if [ -n "$(ls -A "$dir")" ]; then
      continue
    fi
    if [ "$target" = build_config ]; then
      for file in site.toml tests/fixtures/*/site.toml fuzz/seeds/site_toml/*.toml; do
        name="seed-$(printf '%s' "$file" | tr '/' '_')"
        cp "$file" "$dir/$name"
      done
    else
      while IFS= read -r file; do
        name="seed-$(printf '%s' "$file" | tr '/' '_')"
        cp "$file" "$dir/$name"
      done < <(find content tests/fixtures fuzz/seeds/question -name '*.md' | sort)
    fi
  done
}

dict_of() {
  if [ "$1" = build_config ]; then
    echo fuzz/dict/site_toml.dict
  else
    echo fuzz/dict/content.dict
  fi
}

# Release builds with debug assertions and overflow checks (cargo fuzz default).
build_targets() {
  cargo fuzz build -s "$SANITIZER" "$@"
}

# Temporary sites go to memory when possible: a build writes a few dozen files.
with_scratch() {
  local base=/tmp
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then base=/dev/shm; fi
  SCRATCH="$(mktemp -d "$base/djguide-fuzz.XXXXXX")"
  trap 'rm -rf "$SCRATCH"' EXIT
  export TMPDIR="$SCRATCH"
}

# Fuzz one target for SECONDS; a crash, a timeout or running out of memory
# fails the script. The whole log stays in target/fuzz-TARGET.log.
run_target() {
  local target="$1" seconds="$2" corpus="${CORPUS:-fuzz/corpus}"
  shift 2
  mkdir -p "fuzz/artifacts/$target" target
  local log="target/fuzz-$target.log"
  echo "== $target: ${seconds}s (log: $log)" >&2
  local status=0
  cargo fuzz run -s "$SANITIZER" "$target" "$corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -dict="$(dict_of "$target")" -print_final_stats=1 "$@" >"$log" 2>&1 || status=$?
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^Done|^stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)' "$log" >&2 || true
  if [ "$status" -ne 0 ]; then
    grep -E -A8 'panicked|ERROR|SUMMARY' "$log" | head -40 >&2 || true
    echo "fuzz: $target failed (exit $status); input in fuzz/artifacts/$target/, log in $log" >&2
    exit 1
  fi
}

command="${1:-}"
case "$command" in
  smoke)
    # A fixed time on a fresh corpus of the seeds: the corpus a long run
    # grows would take longer than the smoke run to replay.
    seconds="${FUZZ_SMOKE_SECONDS:-25}"
    ensure_cargo_fuzz
    build_targets
    with_scratch
    CORPUS="$SCRATCH/corpus"
    make_corpus "$CORPUS"
    for target in "${TARGETS[@]}"; do
      run_target "$target" "$seconds"
    done
    echo "fuzz: ${#TARGETS[@]} targets ran ${seconds}s each without a crash" >&2
    ;;
  long)
    seconds="${2:-600}"
    ensure_cargo_fuzz
    make_corpus
    build_targets
    with_scratch
    for target in "${TARGETS[@]}"; do
      run_target "$target" "$seconds"
    done
    echo "fuzz: ${#TARGETS[@]} targets ran ${seconds}s each without a crash" >&2
    ;;
  run)
    [ $# -ge 3 ] || usage
    target="$2"
    seconds="$3"
    shift 3
    ensure_cargo_fuzz
    make_corpus
    build_targets "$target"
    with_scratch
    run_target "$target" "$seconds" "$@"
    ;;
  replay)
    ensure_cargo_fuzz
    make_corpus
    build_targets
    with_scratch
    for target in "${TARGETS[@]}"; do
      echo "== $target: replaying $(ls "fuzz/corpus/$target" | wc -l) inputs" >&2
      cargo fuzz run -s "$SANITIZER" "$target" "fuzz/corpus/$target" -- -runs=0 -timeout=10
    done
    ;;
  corpus)
    make_corpus
    ;;
  *)
    usage
    ;;
esac
