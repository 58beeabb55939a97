#!/usr/bin/env python3
"""Check every Python code sample in the guide.

Each sample must compile, and every `django` / `rest_framework` import must name a
module or attribute that exists in the installed Django and DRF (the test command
pins Django 5.2 and DRF 3.16 in a virtual environment).

Samples come from either
  * an export written by `djguide samples --out DIR` (DIR/samples.json), or
  * `--content DIR`: fenced blocks read straight from the Markdown (for authors
    who have not built the binary yet).

A fence carrying the attribute `nocheck` (```python nocheck) is a deliberate
fragment and is skipped.

Which languages are Python comes from djguide's language table: the export
gives each sample its `kind`, and `--content` reads the same table from
scripts/languages.json (a Rust test keeps that file in step). A `pycon`
sample is an interactive session, not a module: it is not compiled whole;
each `>>>` statement (with its `...` lines) is compiled as interactive input
and its imports are checked like a module's.
"""

import argparse
import ast
import importlib
import json
import os
import re
import sys

MODULE, CONSOLE = "python-module", "python-console"
LANGUAGES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "languages.json")
CHECKED_ROOTS = {"django", "rest_framework"}
FENCE = re.compile(r"^(\s{0,3})(`{3,}|~{3,})\s*(.*)$")


def configure_django():
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "django.contrib.postgres",
            "rest_framework",
            "rest_framework.authtoken",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        USE_TZ=True,
    )
    django.setup()


def fenced_samples(path):
    """Yield (line, lang, attrs, code) for each fenced block of a Markdown file."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    index = 0
    # Skip TOML front matter so a `+++` block is never mistaken for content.
    if lines and lines[0].strip() == "+++":
        for end in range(1, len(lines)):
            if lines[end].strip() == "+++":
                index = end + 1
                break
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        indent, marker, info = match.groups()
        start = index + 1
        body = []
        index += 1
        while index < len(lines):
            closing = lines[index].strip()
            if closing.startswith(marker[0] * len(marker)) and set(closing) <= {marker[0]}:
                break
            body.append(lines[index][len(indent):] if lines[index].startswith(indent) else lines[index])
            index += 1
        index += 1
        words = info.split()
        lang = words[0].lower() if words else ""
        yield start, lang, words[1:], "\n".join(body) + "\n"


def samples_from_content(root):
    with open(LANGUAGES, encoding="utf-8") as handle:
        kinds = {name: entry["kind"] for name, entry in json.load(handle).items()}
    for folder, _dirs, files in sorted(os.walk(root)):
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            path = os.path.join(folder, name)
            for line, lang, attrs, code in fenced_samples(path):
                kind = kinds.get(lang)
                if kind in (MODULE, CONSOLE):
                    yield {"source": path, "line": line, "code": code, "kind": kind,
                           "check": "nocheck" not in attrs}


def samples_from_export(folder):
    with open(os.path.join(folder, "samples.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    for entry in manifest["samples"]:
        if entry["kind"] not in (MODULE, CONSOLE):
            continue
        with open(os.path.join(folder, entry["file"]), encoding="utf-8") as handle:
            code = handle.read()
        # The export gives the first code line; the checks below add a 1-based
        # line within the sample to the line of the opening fence.
        yield {"source": entry["source"], "line": entry["line"] - 1, "code": code,
               "kind": entry["kind"], "check": entry.get("check", True)}


def console_statements(code):
    """Yield (first line, source) for each `>>>` statement of a pycon session.

    A statement starts at a `>>>` line and goes on over the `...` lines right
    after it; any other line is output and ends it.
    """
    start, statement = None, None
    for lineno, line in enumerate(code.split("\n"), 1):
        if statement is not None and (line == "..." or line.startswith("... ")):
            statement.append(line[4:])
            continue
        if statement is not None:
            yield start, "\n".join(statement) + "\n"
            start, statement = None, None
        if line == ">>>" or line.startswith(">>> "):
            start, statement = lineno, [line[4:]]
    if statement is not None:
        yield start, "\n".join(statement) + "\n"


def units(sample):
    """What to compile for a sample: (line offset, mode, source) each."""
    if sample["kind"] == CONSOLE:
        return [(start - 1, "single", source) for start, source in console_statements(sample["code"])]
    return [(0, "exec", sample["code"])]


def problems_in(sample):
    """(line in the source file, message) for each problem of a sample."""
    found = []
    for offset, mode, source in units(sample):
        base = sample["line"] + offset
        try:
            tree = compile(source, f"{sample['source']}:{base}", mode, ast.PyCF_ONLY_AST)
        except SyntaxError as error:
            found.append((base + (error.lineno or 1), f"sample does not compile: {error.msg}"))
            continue
        found.extend((base + lineno, message) for lineno, message in import_problems(tree))
    return found


def import_problems(tree):
    """Return (lineno, message) for each django/rest_framework import that does not exist."""
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in CHECKED_ROOTS:
                    try:
                        importlib.import_module(alias.name)
                    except Exception as error:  # noqa: BLE001 - any failure is a finding
                        problems.append((node.lineno, f"import {alias.name}: {error}"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] not in CHECKED_ROOTS:
                continue
            try:
                module = importlib.import_module(node.module)
            except Exception as error:  # noqa: BLE001
                problems.append((node.lineno, f"from {node.module}: {error}"))
                continue
            for alias in node.names:
                if alias.name == "*" or hasattr(module, alias.name):
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except Exception:  # noqa: BLE001
                    problems.append((node.lineno,
                                     f"{node.module} has no name {alias.name!r}"))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--content", help="read fenced samples from this content folder")
    group.add_argument("--export", help="read samples exported by `djguide samples --out`")
    args = parser.parse_args()

    configure_django()
    samples = list(samples_from_content(args.content) if args.content
                   else samples_from_export(args.export))
    failures = 0
    checked = {MODULE: 0, CONSOLE: 0}
    for sample in samples:
        if not sample["check"]:
            continue
        checked[sample["kind"]] += 1
        for line, message in problems_in(sample):
            failures += 1
            print(f"{sample['source']}:{line}: {message}")
    skipped = len(samples) - sum(checked.values())
    print(f"python samples: {sum(checked.values())} checked ({checked[CONSOLE]} console "
          f"session(s) statement by statement), {skipped} skipped (nocheck), "
          f"{failures} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
