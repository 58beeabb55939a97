#!/usr/bin/env python3
"""Build-time benchmark: djguide against Hugo on the same generated corpus.

Generates a corpus with ../shared/bench/gen_corpus.py (djguide's content format,
which Hugo also reads: TOML front matter between +++ lines), builds it with both
tools several times, and reports the median wall time and the peak memory of
each, with djguide's ratio to Hugo. Hugo gets a minimal theme that renders the
same pages (question, topic list, taxonomy) with class-based highlighting.

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


def measure(command, cwd=None):
    """Run `command`; return (seconds, peak resident memory in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def series(command, runs, cwd=None):
    measure(command, cwd)  # warm the page cache
    samples = [measure(command, cwd) for _ in range(runs)]
    return statistics.median(s[0] for s in samples), max(s[1] for s in samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
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
        djguide = series([args.djguide, "build", "--root", work, "--output",
                          os.path.join(work, "public")], args.runs)

        rows = [("djguide", djguide)]
        hugo = shutil.which("hugo")
        if hugo:
            hugo_site = os.path.join(work, "hugo")
            os.makedirs(hugo_site)
            os.symlink(os.path.join(work, "content"), os.path.join(hugo_site, "content"))
            with open(os.path.join(hugo_site, "hugo.toml"), "w") as handle:
                handle.write(HUGO_CONFIG)
            for name, text in HUGO_LAYOUTS.items():
                path = os.path.join(hugo_site, "layouts", name)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as handle:
                    handle.write(text)
            rows.append(("hugo", series([hugo, "--quiet", "-s", hugo_site, "-d",
                                         os.path.join(work, "public-hugo")], args.runs)))
        else:
            print("note: `hugo` not found (apt-get install hugo); comparison skipped")

        print(f"build benchmark: {args.pages} generated pages, median of {args.runs} runs, "
              f"{os.cpu_count()} cores")
        print(f"{'tool':<10}{'median s':>10}{'peak MiB':>10}{'time vs hugo':>14}")
        baseline = dict(rows).get("hugo")
        for name, (seconds, memory) in rows:
            ratio = f"{seconds / baseline[0]:.2f}x" if baseline else "-"
            print(f"{name:<10}{seconds:>10.3f}{memory:>10.1f}{ratio:>14}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
