#!/usr/bin/env python3
"""Build-time benchmark: cold builds of djguide and Hugo on the same generated corpus.

Generates a corpus with ../shared/bench/gen_corpus.py (djguide's content format,
which Hugo also reads: TOML front matter between +++ lines) and builds it with
both tools, each run into a new, empty folder. Runs are paired: djguide then
Hugo, one after the other, so both see the same machine load. Reports the
median wall time and the peak memory (max RSS) of each, djguide's ratio to
Hugo (of the medians, and the median of the per-pair ratios). djguide's build
includes its search index. Hugo gets a minimal theme that renders the same
pages (question, topic list, taxonomy) with class-based highlighting.

Outputs are deleted after the last run, not between runs: ext4 without a
journal (as on these machines) will not reuse an inode freed in the last
minute or more, and skips each such inode one by one, so deleting the
previous run's thousands of files just before a build made every file the
build created scan past them (a third of djguide's time at 1,000 pages, in
the kernel). A build in CI, into a fresh checkout, pays none of that.
`--delete-before` measures the old way: the previous output deleted, untimed,
right before each run.

Usage: python3 bench/bench.py [--pages 1000] [--runs 5] [--djguide target/release/djguide]
Needs Debian's `hugo` package for the comparison (skipped with a note if absent).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)

HUGO_CONFIG = """baseURL = "https://bench.example/"
title = "Bench"
disableKinds = ["RSS"]
[markup.highlight]
noClasses = false
[markup.goldmark.renderer]
unsafe = true
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }}</title></head>"
                            "<body><main>{{ block \"main\" . }}{{ end }}</main></body></html>",
    "_default/single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1><p>{{ .Params.summary }}</p>{{ .Content }}"
                            "<aside>{{ .Params.red_flag }}</aside>{{ end }}",
    "_default/list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}"
                          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Params.summary }}</li>{{ end }}</ul>{{ end }}",
}


def measure(command):
    """Run `command`; return (seconds, peak resident memory in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def cold(make_command, output, run, delete_before):
    """Measure the command `make_command(folder)` building into an empty
    folder: `output` itself, deleted first (untimed), with `delete_before`;
    otherwise a new folder for each run (`output-N`)."""
    if delete_before:
        shutil.rmtree(output, ignore_errors=True)
        return measure(make_command(output))
    return measure(make_command(f"{output}-{run}"))


def paired(tools, runs, delete_before):
    """Run each (name, make_command, output) of `tools` once per round, after
    one untimed warm-up round (it fills the page cache); returns per tool the
    list of (seconds, peak MiB)."""
    for _, make_command, output in tools:
        cold(make_command, output, "warmup", delete_before)
    samples = {name: [] for name, _, _ in tools}
    for run in range(runs):
        for name, make_command, output in tools:
            samples[name].append(cold(make_command, output, run, delete_before))
    return samples


def hugo_site(work):
    site = os.path.join(work, "hugo")
    os.makedirs(site)
    os.symlink(os.path.join(work, "content"), os.path.join(site, "content"))
    with open(os.path.join(site, "hugo.toml"), "w") as handle:
        handle.write(HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        path = os.path.join(site, "layouts", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            handle.write(text)
    return site


def report(pages, runs, samples, delete_before):
    where = ("the same folder, deleted right before each run" if delete_before
             else "a new folder each run")
    print(f"cold build benchmark: {pages} generated pages, median of {runs} paired runs "
          f"into {where}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"{'tool':<14}{'median s':>10}{'min s':>8}{'max s':>8}{'peak MiB':>10}{'time vs hugo':>14}"
          f"{'paired ratio':>14}")
    hugo = samples.get("hugo")
    for name, runs_of_tool in samples.items():
        times = [t for t, _ in runs_of_tool]
        median = statistics.median(times)
        peak = max(m for _, m in runs_of_tool)
        ratio = paired_ratio = "-"
        if hugo:
            hugo_times = [t for t, _ in hugo]
            ratio = f"{median / statistics.median(hugo_times):.2f}x"
            paired_ratio = f"{statistics.median(a / b for a, b in zip(times, hugo_times)):.2f}x"
        print(f"{name:<14}{median:>10.3f}{min(times):>8.3f}{max(times):>8.3f}{peak:>10.1f}"
              f"{ratio:>14}{paired_ratio:>14}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warm-cache", action="store_true",
                        help="also time djguide with the highlight cache its previous run left")
    parser.add_argument("--delete-before", action="store_true",
                        help="build each run into the same folder, deleting the previous "
                             "output right before (untimed) instead of into a new folder")
    parser.add_argument("--djguide", default=os.path.join(REPO, "target", "release", "djguide"))
    parser.add_argument("--corpus-script",
                        default=os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))
    args = parser.parse_args()

    if not os.path.exists(args.djguide):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)

    work = tempfile.mkdtemp(prefix="djguide-bench-")
    try:
        subprocess.run([sys.executable, args.corpus_script, "--pages", str(args.pages),
                        "--out", work, "--quiet"], check=True)
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "unique_titles.py"), work],
                       check=True)
        with open(os.path.join(work, "site.toml"), "w") as handle:
            handle.write('title = "Bench"\nbase_url = "https://bench.example/"\n')
        # Cold means no highlight cache either; `--warm-cache` adds a row
        # with the cache the previous run left.
        def djguide(*flags):
            return lambda output: [args.djguide, "build", "--root", work, "--output", output,
                                   *flags]
        public = os.path.join(work, "public")
        tools = [("djguide", djguide("--no-cache"), public)]
        if args.warm_cache:
            tools.append(("djguide+cache", djguide(), public))
        hugo = shutil.which("hugo")
        if hugo:
            site = hugo_site(work)
            tools.append(("hugo", lambda output: [hugo, "--quiet", "-s", site, "-d", output],
                          os.path.join(work, "public-hugo")))
        else:
            print("note: `hugo` not found (apt-get install hugo); comparison skipped")
        report(args.pages, args.runs, paired(tools, args.runs, args.delete_before),
               args.delete_before)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
