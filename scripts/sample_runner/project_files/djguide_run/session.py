"""A page's Django shell, kept alive between steps (the sample runner's side of it).

The runner starts `python -m djguide_run.session` in the project folder and speaks
JSON lines on the process's stdin/stdout: one request, one response. Those two
descriptors are moved aside at once; the samples get /dev/null as stdin (so
`input()` fails instead of hanging) and, while a step runs, a file as stdout and
stderr, so the output is what a terminal would show, from print(), logging, C
extensions or child processes alike.

Requests (each answered with {"ok": bool, ...}):
  {"op": "setup", "makemigrations": bool, "migrate": bool}
  {"op": "import", "modules": [name, ...]}      answered with one result per module
  {"op": "exec", "code": str, "filename": str, "line": int, "sql": bool,
   "discard": bool}                             a shell step (or the page fixture)
  {"op": "script", "module": str, "sql": bool}  a file step run as a script
  {"op": "transcript", "code": str, "filename": str, "line": int, "sql": bool}
"""

import ast
import builtins
import collections
import io
import json
import os
import sys
import tempfile
import traceback


class PrintingLog(collections.deque):
    """A connection's `queries_log` that also prints each statement as Django logs it:
    the SQL of `connection.queries`, BEGIN/COMMIT included, as it happens."""

    def append(self, entry):
        super().append(entry)
        print(entry["sql"])


class SqlEcho:
    def __enter__(self):
        from django.db import connections

        self.saved = []
        for connection in connections.all():
            self.saved.append((connection, connection.force_debug_cursor, connection.queries_log))
            connection.force_debug_cursor = True
            connection.queries_log = PrintingLog(connection.queries_log,
                                                 maxlen=connection.queries_log.maxlen)
        return self

    def __exit__(self, *exc):
        for connection, force, log in self.saved:
            connection.force_debug_cursor = force
            log.extend(connection.queries_log)
            connection.queries_log = log
        return False


class Captured:
    """Points file descriptors 1 and 2 at one temporary file while a step runs."""

    def __init__(self, folder):
        self.folder = folder

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.file = tempfile.TemporaryFile(dir=self.folder)
        self.saved = os.dup(1), os.dup(2)
        os.dup2(self.file.fileno(), 1)
        os.dup2(self.file.fileno(), 2)
        return self

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - a sample may have closed or replaced them
            pass
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        os.close(self.saved[0])
        os.close(self.saved[1])
        self.file.seek(0)
        self.text = self.file.read().decode("utf-8", "replace")
        self.file.close()
        return False


def _runner_frame(filename):
    return (filename == __file__ or filename.endswith(("runpy.py", "importlib/__init__.py"))
            or filename.startswith("<frozen importlib"))


def failure(error):
    """The exception's last line and its traceback without the runner's frames
    (this module's, runpy's and the import machinery's)."""
    lines = traceback.format_exception_only(type(error), error)
    notes = set(getattr(error, "__notes__", None) or ())
    lines = [line for part in lines for line in part.rstrip("\n").split("\n")
             if line.strip() and line not in notes]
    report = traceback.TracebackException(type(error), error, error.__traceback__)
    report.stack = traceback.StackSummary.from_list(
        [frame for frame in report.stack if not _runner_frame(frame.filename)])
    return {"exception": lines[-1] if lines else type(error).__name__,
            "traceback": "".join(report.format())}


def compile_sample(code, filename, line, mode="exec"):
    tree = ast.parse(code, filename, mode)
    ast.increment_lineno(tree, max(line, 1) - 1)
    return compile(tree, filename, mode)


class Server:
    def __init__(self, requests, responses):
        self.requests = requests
        self.responses = responses
        self.folder = os.environ.get("DJGUIDE_RUN_TMP") or tempfile.gettempdir()
        self.namespace = {"__name__": "__main__", "__builtins__": builtins}

    def run(self):
        for line in self.requests:
            request = json.loads(line)
            try:
                response = getattr(self, "op_" + request["op"])(request)
            except BaseException as error:  # noqa: BLE001 - report, keep serving
                if isinstance(error, KeyboardInterrupt):
                    raise
                response = {"ok": False, "output": "", **failure(error)}
            self.responses.write(json.dumps(response) + "\n")
            self.responses.flush()

    def guarded(self, action, sql=False):
        """Run `action` with output captured; SystemExit(0) counts as success."""
        result = {"ok": True, "exception": None, "traceback": None}
        with Captured(self.folder) as captured:
            try:
                if sql:
                    with SqlEcho():
                        action()
                else:
                    action()
            except SystemExit as error:
                if error.code not in (None, 0):
                    result.update(ok=False, **failure(error))
            except BaseException as error:  # noqa: BLE001
                if isinstance(error, KeyboardInterrupt):
                    raise
                result.update(ok=False, **failure(error))
        result["output"] = captured.text
        return result

    def op_setup(self, request):
        def setup():
            import django
            from django.core.management import call_command

            django.setup()
            if request.get("makemigrations"):
                call_command("makemigrations", interactive=False, verbosity=1)
            if request.get("migrate"):
                call_command("migrate", interactive=False, verbosity=1)

        return self.guarded(setup)

    def op_import(self, request):
        """Import each module in turn; report each one's outcome."""
        import importlib

        results = []
        for name in request["modules"]:
            result = self.guarded(lambda: importlib.import_module(name))
            results.append({**result, "module": name})
        return {"ok": all(r["ok"] for r in results), "output": "", "results": results}

    def op_exec(self, request):
        import importlib

        importlib.invalidate_caches()
        code = compile_sample(request["code"], request["filename"], request["line"])
        return self.guarded(lambda: exec(code, self.namespace), sql=request.get("sql"))

    def op_script(self, request):
        import importlib
        import runpy

        importlib.invalidate_caches()
        return self.guarded(lambda: runpy.run_module(request["module"], run_name="__main__"),
                            sql=request.get("sql"))

    def op_transcript(self, request):
        """A `pycon` sample: run each `>>>` example like the interactive prompt does
        and rebuild the transcript with what really came out (an exception as its
        last line only)."""
        import doctest
        import importlib

        importlib.invalidate_caches()
        parser = doctest.DocTestParser()
        examples = parser.get_examples(request["code"])
        text = []
        result = {"ok": True, "exception": None, "traceback": None}
        for example in examples:
            source = example.source.rstrip("\n").split("\n")
            text.append(">>> " + source[0])
            text.extend("... " + line for line in source[1:])
            filename = request["filename"]
            line = request["line"] + example.lineno
            try:
                code = compile_sample(example.source, filename, line, "single")
            except SyntaxError as error:
                text.append(failure(error)["exception"])
                result.update(ok=False, **failure(error))
                continue
            step = self.guarded(lambda: exec(code, self.namespace), sql=request.get("sql"))
            if step["output"]:
                text.append(step["output"].rstrip("\n"))
            if not step["ok"]:
                text.append(step["exception"])
                result.update(ok=False, exception=step["exception"],
                              traceback=step["traceback"])
        result["output"] = "\n".join(text) + "\n"
        return result


def main():
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    responses = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 0)
    log = os.open(os.environ.get("DJGUIDE_RUN_LOG") or os.devnull,
                  os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
    sys.stdout.reconfigure(write_through=True)
    sys.stderr.reconfigure(write_through=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djguide_run.settings")
    Server(requests, responses).run()


if __name__ == "__main__":
    main()
