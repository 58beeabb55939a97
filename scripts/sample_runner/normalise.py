"""Comparing a sample's output with its output block (docs/runnable-samples.md,
"Comparing output"). Each rule is one function, applied to both sides."""

import difflib
import re

TRACEBACK_HEADER = "Traceback (most recent call last):"
ELLIPSIS = "..."

_ADDRESS = re.compile(r"0x(?:[0-9a-fA-F]{6,}|[0-9a-fA-F]*\u2026)")
_TIMING = re.compile(r"\b(Ran \d+ tests? in )\d+(?:\.\d+)?s\b")
_WHITESPACE = re.compile(r"\s+")


def line_endings_and_blanks(text):
    """Rule 1: `\\n` line endings, no trailing spaces, no leading/trailing blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def memory_addresses(text):
    """Rule 2: `0x7f3a2c1b5e50` (and `0x7f3a…`) become `0x…`."""
    return _ADDRESS.sub("0x\u2026", text)


def test_timings(text):
    """Rule 3: `Ran 3 tests in 0.012s` becomes `Ran 3 tests in 0.000s`."""
    return _TIMING.sub(r"\g<1>0.000s", text)


def project_paths(text, projects):
    """Rule 4: the temporary project's absolute path becomes `<project>`."""
    for path in sorted({p.rstrip("/") for p in projects if p}, key=len, reverse=True):
        if len(path) > 1:
            text = text.replace(path, "<project>")
    return text


def collapse_whitespace(text):
    """Rule 6 (`queries` samples): every run of whitespace counts as one space."""
    return _WHITESPACE.sub(" ", text).strip()


def drop_traceback(text):
    """Rule 7, expected side: a `Traceback (most recent call last):` line and every
    line after it up to the block's last line stand for the traceback, so they go;
    the last line (the exception) stays."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == TRACEBACK_HEADER and index < len(lines) - 1:
            return "\n".join(lines[:index] + lines[-1:])
    return text


def ellipsis_match(expected, actual):
    """Rule 5: `...` in `expected` matches any text, line breaks included
    (doctest's ELLIPSIS, same algorithm: literal pieces found left to right)."""
    if ELLIPSIS not in expected:
        return expected == actual
    pieces = expected.split(ELLIPSIS)
    first, last = pieces[0], pieces[-1]
    if not actual.startswith(first):
        return False
    start, end = len(first), len(actual)
    if not actual.endswith(last) or end - len(last) < start:
        return False
    end -= len(last)
    for piece in pieces[1:-1]:
        found = actual.find(piece, start, end)
        if found < 0:
            return False
        start = found + len(piece)
    return True


def prepare(text, projects=()):
    """Rules 1-4, applied to either side."""
    text = line_endings_and_blanks(text)
    text = memory_addresses(text)
    text = test_timings(text)
    return project_paths(text, projects)


class Comparison:
    """The outcome of comparing one output block with what a step printed.
    `expected` and `actual` are the normalised texts, line breaks kept (rule 6
    applies to matching only, so that a diff stays readable)."""

    def __init__(self, matched, expected, actual):
        self.matched = matched
        self.expected = expected
        self.actual = actual

    def diff(self):
        """A unified diff, expected -> actual, of the normalised texts."""
        return list(difflib.unified_diff(
            self.expected.split("\n"), self.actual.split("\n"),
            "expected", "actual", lineterm=""))


def actual_text(output, exception=None):
    """What a step printed, then the last line of its exception if it raised."""
    if not exception:
        return output
    last = exception_last_line(exception)
    output = output.rstrip("\n")
    return f"{output}\n{last}" if output.strip() else last


def exception_last_line(exception):
    lines = [line for line in exception.replace("\r\n", "\n").split("\n") if line.strip()]
    return lines[-1].rstrip() if lines else ""


def compare(expected, output, *, exception=None, sql=False, projects=()):
    """Compare an output block with a step's output (and exception, if it raised)."""
    want = prepare(expected, projects)
    got = prepare(actual_text(output, exception), projects)
    if exception:
        want = drop_traceback(want)
    if sql:
        return Comparison(ellipsis_match(collapse_whitespace(want), collapse_whitespace(got)),
                          want, got)
    return Comparison(ellipsis_match(want, got), want, got)


_EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_]\w*\.)*([A-Z]\w*)(?::|$)")
_EXCEPTION_SUFFIXES = ("Error", "Exception", "Exit", "Warning", "Interrupt", "DoesNotExist",
                       "Denied", "Invalid", "NotFound", "Failed", "Found", "Aborted",
                       "Timeout")


def shows_exception(expected, exception=""):
    """Whether an output block shows an exception at all: a traceback header, or a
    last line that names an exception (the one raised, or any `...Error`)."""
    lines = line_endings_and_blanks(expected).split("\n")
    if any(line.strip() == TRACEBACK_HEADER for line in lines):
        return True
    last = lines[-1].strip() if lines else ""
    name = exception_last_line(exception or "").split(":")[0].strip()
    if name and last.split(":")[0].strip() == name:
        return True
    match = _EXCEPTION_LINE.match(last)
    return bool(match) and match.group(1).endswith(_EXCEPTION_SUFFIXES)


def drop_traceback_bodies(text):
    """For `pycon` transcripts: a `Traceback (most recent call last):` line and the
    indented frame lines (or `...`) after it go; the exception line stays."""
    kept = []
    in_traceback = False
    for line in text.split("\n"):
        if line.strip() == TRACEBACK_HEADER:
            in_traceback = True
            continue
        if in_traceback and (line[:1].isspace() or line.strip() == ELLIPSIS):
            continue
        in_traceback = False
        kept.append(line)
    return "\n".join(kept)


def compare_transcript(expected, rebuilt, *, sql=False, projects=()):
    """A `pycon` sample against the transcript rebuilt from really running it."""
    want = drop_traceback_bodies(prepare(expected.replace("<BLANKLINE>", ""), projects))
    got = drop_traceback_bodies(prepare(rebuilt, projects))
    if sql:
        return Comparison(ellipsis_match(collapse_whitespace(want), collapse_whitespace(got)),
                          want, got)
    return Comparison(ellipsis_match(want, got), want, got)
