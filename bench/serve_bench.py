#!/usr/bin/env python3
"""Live-reload benchmark: how long after saving a file an open page is told
to reload, with `djguide serve` on the real guide.

Builds the release binary, serves the repository's own site on a free port,
opens the live-reload event stream the way a browser does, then N times
edits one file and measures the time from the write to the `reload` event.
Prints the median and the 90th percentile for each kind of edit:

- content:  a short paragraph appended to one question;
- template: a comment appended to the question template (152 pages use it);
- config:   the site's description in `site.toml` changed (every page).

Each edited file is restored byte for byte at the end, whatever happens
(failure, Ctrl-C, SIGTERM), and the server is stopped.

Usage: python3 bench/serve_bench.py [--runs 20] [--edit content,template,config]
                                    [--file content/orm/n-plus-one.md] [--no-cache]
"""

import argparse
import http.client
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
BINARY = os.path.join(REPO, "target", "release", "djguide")

# Long enough for the debounce and rebuild of the previous edit to finish,
# so each edit is measured on its own.
SETTLE_SECONDS = 0.4
TIMEOUT_SECONDS = 10


def start_server(extra):
    process = subprocess.Popen(
        [BINARY, "serve", "--root", REPO, "--port", "0"] + extra,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    line = process.stdout.readline()
    while line and not line.startswith("serving "):
        line = process.stdout.readline()
    if not line:
        process.kill()
        sys.exit(f"djguide serve did not start:\n{process.stderr.read()}")
    url = line.split()[1]
    # Keep draining both pipes so the server never blocks on a full one.
    for stream in (process.stdout, process.stderr):
        threading.Thread(target=stream.read, daemon=True).start()
    host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    return process, host, int(port)


def open_events(host, port, since):
    """Read the event stream on a thread; yields (arrival time, event, data)."""
    events = queue.Queue()
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS * 6)
    connection.request("GET", f"/__djguide/events?since={since}")
    response = connection.getresponse()
    if response.status != 200:
        sys.exit(f"event stream: HTTP {response.status}")

    def read():
        name, data = None, None
        while True:
            line = response.fp.readline()
            if not line:
                return
            arrived = time.perf_counter()
            line = line.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                data = json.loads(line[len("data: "):])
            elif line == "" and name:
                events.put((arrived, name, data))
                name, data = None, None

    threading.Thread(target=read, daemon=True).start()
    return events


def wait_for_reload(events, after_build):
    deadline = time.perf_counter() + TIMEOUT_SECONDS
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            sys.exit("no reload event within the timeout")
        arrived, name, data = events.get(timeout=remaining)
        if name == "build-error":
            sys.exit(f"the edit broke the build:\n{data['text']}")
        if name == "reload" and data["build"] > after_build:
            return arrived, data["build"]


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def edits(kind, question):
    """(file, function from run number and original bytes to edited bytes)."""
    if kind == "content":
        return question, lambda run, original: original + (
            f"\n\nBenchmark edit {run}: a harmless paragraph.\n".encode())
    if kind == "template":
        return "themes/default/templates/question.html", lambda run, original: original + (
            f"{{# benchmark edit {run} #}}\n".encode())
    if kind == "config":
        def describe(run, original):
            lines = original.decode().split("\n")
            index = next(i for i, line in enumerate(lines) if line.startswith("description = "))
            lines[index] = f'description = "Benchmark edit {run} of the site description."'
            return "\n".join(lines).encode()
        return "site.toml", describe
    sys.exit(f"unknown edit kind: {kind}")


def measure_edits(events, build, path, edit, runs):
    """Apply `edit` `runs` times; return the timings and the last build number."""
    with open(path, "rb") as file:
        original = file.read()
    timings = []
    try:
        for run in range(runs):
            time.sleep(SETTLE_SECONDS)
            edited = edit(run, original)
            written = time.perf_counter()
            with open(path, "wb") as file:
                file.write(edited)
            arrived, build = wait_for_reload(events, build)
            timings.append((arrived - written) * 1000)
    finally:
        with open(path, "wb") as file:
            file.write(original)
    # The restore is a change too: let it build before the next kind starts.
    arrived, build = wait_for_reload(events, build)
    return timings, build


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--edit", default="content,template,config",
                        help="comma-separated kinds of edit: content, template, config")
    parser.add_argument("--file", default="content/orm/n-plus-one.md",
                        help="the question a content edit changes")
    parser.add_argument("--no-build", action="store_true", help="use the existing release binary")
    parser.add_argument("--no-cache", action="store_true", help="serve without the highlight cache")
    args = parser.parse_args()

    if not args.no_build:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)

    # SIGTERM ends the run like Ctrl-C does, so `finally` restores the files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("terminated"))
    server = None
    results = []
    try:
        server, host, port = start_server(["--no-cache"] if args.no_cache else [])
        events = open_events(host, port, since=1)
        build = 1
        for kind in args.edit.split(","):
            file, edit = edits(kind, args.file)
            timings, build = measure_edits(events, build, os.path.join(REPO, file), edit, args.runs)
            results.append((kind, file, timings))
    finally:
        if server is not None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=5)
            except subprocess.TimeoutExpired:
                server.kill()

    print(f"djguide serve on {REPO}, {args.runs} saves of each kind, {os.cpu_count()} cores")
    for kind, file, timings in results:
        print(f"{kind:<9} ({file}): save -> reload event: median {statistics.median(timings):.0f} ms, "
              f"p90 {percentile(timings, 0.9):.0f} ms, "
              f"min {min(timings):.0f} ms, max {max(timings):.0f} ms")


if __name__ == "__main__":
    main()
