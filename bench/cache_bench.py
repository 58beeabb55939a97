#!/usr/bin/env python3
"""Highlight-cache benchmark: cold builds of a site (each into a new, empty
folder) with a warm highlight cache against builds with `--no-cache`.

Outputs are deleted at the end, not between runs: see bench.py on why
deleting thousands of files right before a build slows it down on ext4
without a journal.

Runs alternate (no cache, warm cache, ...) so machine noise hits both alike;
reports the median and minimum wall time of each and the warm/no-cache ratio.
With --timings, prints the median of each DJGUIDE_TIMINGS stage too.

Usage: python3 bench/cache_bench.py [--root .] [--runs 7] [--timings]
       [--djguide target/release/djguide | --cargo]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
# `timing: STAGE 12.3 ms cpu 20 ms, serial 0 ms` (see src/timings.rs).
TIMING = re.compile(r"timing: (.+?) ([0-9.]+) ms")


def run(command, env):
    """Run `command`; return (seconds, {stage: ms})."""
    started = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{result.stderr}")
    stages = {}
    for line in result.stderr.splitlines():
        found = TIMING.match(line)
        if found:
            stage, ms = found.group(1), float(found.group(2))
            stages[stage] = stages.get(stage, 0.0) + ms
    return elapsed, stages


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", default=REPO)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--djguide", default=os.path.join(REPO, "target", "release", "djguide"))
    parser.add_argument("--cargo", action="store_true",
                        help="run through `cargo run --release --` (adds cargo's own time)")
    parser.add_argument("--timings", action="store_true")
    args = parser.parse_args()

    base = (["cargo", "run", "--quiet", "--release", "--"] if args.cargo else [args.djguide])
    work = tempfile.mkdtemp(prefix="djguide-cache-bench-")
    env = dict(os.environ, DJGUIDE_CACHE_DIR=os.path.join(work, "cache"))
    if args.timings:
        env["DJGUIDE_TIMINGS"] = "1"
    outputs = (os.path.join(work, f"public-{number}") for number in range(1_000_000))
    samples = {"no cache": [], "warm cache": []}
    try:
        def build(extra):
            output = next(outputs)
            return run(base + ["build", "--root", args.root, "--output", output] + extra, env)

        build([])  # fill the cache, warm the page cache and cargo
        for _ in range(args.runs):
            samples["no cache"].append(build(["--no-cache"]))
            samples["warm cache"].append(build([]))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"cold builds of {os.path.abspath(args.root)}, {args.runs} runs each, "
          f"{os.cpu_count()} cores{' (cargo run)' if args.cargo else ''}")
    medians = {}
    for name, runs in samples.items():
        seconds = [s for s, _ in runs]
        medians[name] = statistics.median(seconds)
        print(f"{name:<12} median {medians[name] * 1000:7.0f} ms   min {min(seconds) * 1000:7.0f} ms")
    print(f"warm / no cache: {medians['warm cache'] / medians['no cache']:.2f}")
    if args.timings:
        stages = list(dict.fromkeys(st for runs in samples.values() for _, s in runs for st in s))
        print(f"{'stage (median ms)':<20}{'no cache':>10}{'warm':>10}")
        for stage in stages:
            cells = [statistics.median(s.get(stage, 0.0) for _, s in samples[name])
                     for name in samples]
            print(f"{stage:<20}{cells[0]:>10.1f}{cells[1]:>10.1f}")


if __name__ == "__main__":
    main()
