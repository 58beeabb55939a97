"""`python scripts/run_samples.py --export DIR --root ROOT ...`: run every page's
`run` samples on the installed Django and DRF, compare their output blocks, print
the failures and the summary line, and exit non-zero on any failure."""

import argparse
import concurrent.futures
import json
import os
import platform
import shutil
import stat
import sys
import tempfile
import time
import traceback
from importlib import metadata

from .database import Postgres, PostgresError
from .export import ExportError, load
from .page import Context, Counts, Failure, PageRun


def installed(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def release_line(version):
    return ".".join(version.split(".")[:2])


def verified(entries, django, drf):
    """Whether the installed pair is one the site claims (an entry without `drf`
    claims the Django version only)."""
    return any(entry.get("django") == django and entry.get("drf") in (None, drf)
               for entry in entries)


def claim_location(root):
    """Where `verified_with` is written, for the message when it is not true."""
    path = os.path.join(root, "site.toml")
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if line.strip().startswith("verified_with"):
                    return f"site.toml:{number}"
    except OSError:
        pass
    return "site.toml"


def write_shims(folder, python):
    """`python` and `python3` on the PATH of command steps are the runner's Python."""
    os.makedirs(folder, exist_ok=True)
    for name in ("python", "python3"):
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(f'#!/bin/sh\nexec "{python}" "$@"\n')
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def child_environment(shims):
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "PYTHON"))}
    env.update(
        PATH=shims + os.pathsep + os.environ.get("PATH", "/usr/bin:/bin"),
        DJANGO_SETTINGS_MODULE="djguide_run.settings",
        PYTHONDONTWRITEBYTECODE="1",  # a file rewritten within a second must not run stale
        PYTHONUNBUFFERED="1",          # stdout and stderr interleave as on a terminal
        PYTHONIOENCODING="utf-8",
        LC_ALL="C.UTF-8", LANG="C.UTF-8", COLUMNS="80", LINES="24",
    )
    return env


def run_page(page, number, ctx):
    """One page; a bug in the runner becomes that page's failure, not the run's end."""
    run = PageRun(page, number, ctx)
    try:
        return run.run()
    except Exception:  # noqa: BLE001
        run.fail(f"{page.source}:1", "the runner failed on this page",
                 traceback.format_exc().rstrip("\n").split("\n"))
        return run


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="run_samples.py", description=__doc__.split("\n\n")[0],
        epilog="See docs/runnable-samples.md.")
    parser.add_argument("--export", required=True,
                        help="folder with samples.json v2 (`djguide samples --out DIR`)")
    parser.add_argument("--root", required=True,
                        help="the site root (content/<topic>/_run/ fixtures, paths in messages)")
    parser.add_argument("--postgres", metavar="DSN",
                        help="libpq connection string or URL of a PostgreSQL server where "
                             "the runner may create and drop databases")
    parser.add_argument("--redis", metavar="URL",
                        help="redis:// URL of a throwaway Redis server; a page's Redis cache "
                             "backends are pointed at it, one database per page")
    parser.add_argument("--summary", metavar="FILE", help="write the summary JSON object here")
    parser.add_argument("--only", metavar="SUBSTRING",
                        help="run only pages whose source path contains SUBSTRING "
                             "(several, separated by commas: any of them)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                        help="pages run in parallel (default: CPU count)")
    parser.add_argument("--workdir", metavar="DIR",
                        help="where the temporary projects go (default: a temp folder)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a step may take (default 120)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary projects (to debug a page)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="report each page on stderr as it finishes")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    django, drf = installed("django"), installed("djangorestframework")
    if django is None:
        print("error: Django is not installed in this Python", file=sys.stderr)
        return 2
    try:
        export = load(args.export)
    except ExportError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    wanted = [part for part in (args.only or "").split(",") if part]
    pages = [page for page in export.pages
             if not wanted or any(part in page.source for part in wanted)]

    failures = []
    if not verified(export.verified_with, django, drf):
        claimed = ", ".join(f"{e.get('django')}/{e.get('drf')}" for e in export.verified_with)
        failures.append(Failure(
            claim_location(args.root),
            f"installed Django {django} / DRF {drf} is not in [samples] verified_with "
            f"({claimed or 'empty'}): the site would claim versions its samples did not run on"))

    postgres = None
    if args.postgres:
        try:
            postgres = Postgres(args.postgres)
            if any(page.database == "postgresql" for page in pages):
                postgres.check()
        except PostgresError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2

    if args.workdir:
        os.makedirs(args.workdir, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="djguide-samples-", dir=args.workdir)
    python = sys.executable
    shims = os.path.join(workdir, "bin")
    write_shims(shims, python)
    ctx = Context(python=python, django=django, line=release_line(django),
                  root=os.path.abspath(args.root), workdir=workdir,
                  env=child_environment(shims), timeout=args.timeout, postgres=postgres,
                  redis=args.redis, keep=args.keep)

    started = time.monotonic()
    results = [None] * len(pages)
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(run_page, page, number, ctx): number - 1
                       for number, page in enumerate(pages, 1)}
            for future in concurrent.futures.as_completed(futures):
                index = futures[future]
                results[index] = future.result()
                if args.verbose:
                    run = results[index]
                    state = f"{len(run.failures)} failure(s)" if run.failures else "ok"
                    print(f"{pages[index].source}: {state}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"kept the projects in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    totals = Counts()
    for run in results:
        totals.add(run.counts)
        failures.extend(run.failures)

    for failure in failures:
        print(failure.render())
    if failures:
        print()
    print(f"django {django} / drf {drf}: {totals.ran} of {totals.samples} samples ran, "
          f"{totals.outputs_verified} output blocks verified, {totals.outputs_waived} waived")
    for reason, count in sorted(totals.waived.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {count} waived: {reason}")
    if failures:
        print(f"{len(failures)} failure(s)")
    if args.verbose:
        print(f"{len(pages)} pages in {time.monotonic() - started:.1f} s", file=sys.stderr)

    if args.summary:
        summary = {
            "django": django, "drf": drf, "python": platform.python_version(),
            "samples": totals.samples, "ran": totals.ran, "outputs": totals.outputs,
            "outputs_verified": totals.outputs_verified,
            "outputs_waived": totals.outputs_waived,
            "waived": dict(sorted(totals.waived.items())),
            "failures": [failure.headline for failure in failures],
        }
        folder = os.path.dirname(os.path.abspath(args.summary))
        os.makedirs(folder, exist_ok=True)
        with open(args.summary, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2)
            handle.write("\n")
    return 1 if failures else 0
