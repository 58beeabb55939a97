"""One page's scenario: its project, its database, its steps in order."""

import collections
import os
import posixpath
import re
import shutil
import traceback
from dataclasses import dataclass, field

from . import normalise
from .export import (COMMANDS, DATA, FILE, SETTINGS, SHELL, TEST, TRANSCRIPT, Output,
                     on_line, step_kind)
from .processes import Session, SessionDied, StepTimeout, run
from .project import Layout, PathError, Project, module_name

TRACEBACK = normalise.TRACEBACK_HEADER
# A new file in a live shell is picked up by the next import, except these, which
# Django reads once per process (app registry, URLconf, template libraries,
# management commands, migrations): they, and any rewritten file, restart it.
RESTART_NAMES = {"models.py", "urls.py", "apps.py", "admin.py", "__init__.py"}
RESTART_FOLDERS = {"models", "migrations", "templatetags", "management"}
COMMAND = re.compile(r"^(?:python3?\s+(?:-\S+\s+)*manage\.py|\./manage\.py)(?:\s|$)")
ENV_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S*)\s+")


@dataclass
class Failure:
    where: str
    message: str
    detail: list = field(default_factory=list)

    @property
    def headline(self):
        return f"{self.where}: {self.message}"

    def render(self):
        return "\n".join([self.headline] + list(self.detail))


@dataclass
class Counts:
    samples: int = 0
    ran: int = 0
    outputs: int = 0
    outputs_verified: int = 0
    outputs_waived: int = 0
    waived: collections.Counter = field(default_factory=collections.Counter)

    def add(self, other):
        for name in ("samples", "ran", "outputs", "outputs_verified", "outputs_waived"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.waived.update(other.waived)


@dataclass
class Context:
    """What every page of one run shares."""
    python: str
    django: str          # installed version, 5.2.19
    line: str            # its release line, 5.2
    root: str
    workdir: str
    env: dict
    timeout: float = 120.0
    postgres: object = None
    redis: str = None      # redis://host:port of a throwaway server, or None
    keep: bool = False


def parse_commands(code):
    """A console/bash sample: its commands (line offset, text) and, for a console
    sample with `$ ` prompts, the output lines it shows (offset of the first, text)."""
    lines = code.rstrip("\n").split("\n")
    prompted = any(line.startswith("$ ") or line.rstrip() == "$" for line in lines)
    commands, shown, shown_at = [], [], None
    index = 0
    while index < len(lines):
        line = lines[index]
        start = index
        if prompted and not line.startswith("$ "):
            if shown_at is None:
                shown_at = index
            shown.append(line)
            index += 1
            continue
        text = line[2:].strip() if prompted else line.strip()
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            following = lines[index].strip()
            text = text[:-1].rstrip() + " " + (following[2:] if following.startswith("> ")
                                               else following)
        index += 1
        if text and not text.startswith("#"):
            commands.append((start, text))
    return commands, ("\n".join(shown) if any(s.strip() for s in shown) else None), shown_at


def command_problem(command):
    """Why a command line cannot run (None when it can), and the line to run."""
    rest = command
    assignments = []
    while True:
        match = ENV_ASSIGNMENT.match(rest)
        if not match:
            break
        if match.group(1) != "DJANGO_SETTINGS_MODULE":
            assignments.append(match.group(0))
        rest = rest[match.end():]
    if not COMMAND.match(rest):
        return "only `python manage.py ...` commands can run", None
    return None, "".join(assignments) + rest


def restarts_shell(path, changed):
    parts = path.split("/")
    return (changed or not path.endswith(".py") or parts[-1] in RESTART_NAMES
            or bool(RESTART_FOLDERS & set(parts[:-1])))


def touches_models(path):
    parts = path.split("/")
    return parts[-1] == "models.py" or "models" in parts[:-1] or "migrations" in parts[:-1]


class PageRun:
    def __init__(self, page, number, ctx):
        self.page = page
        self.number = number
        self.ctx = ctx
        self.failures = []
        self.counts = Counts()
        self.project = None
        self.session = None
        self.stale = False
        self.need_makemigrations = True
        self.need_migrate = True
        self.broken = None
        self.fixture_done = False
        self.modules = {}   # module -> the sample that wrote it, for the import check
        self.database = None
        self.env = None

    # -- results ---------------------------------------------------------------

    def fail(self, where, message, detail=()):
        paths = self.project_paths()
        self.failures.append(Failure(where, message,
                                     [normalise.project_paths(line, paths) for line in detail]))

    @staticmethod
    def lines(*texts):
        return [line for text in texts if text for line in text.rstrip("\n").split("\n")]

    def judge(self, sample, outputs, output, *, exception=None, error=None, where=None,
              detail=(), count_ran=True):
        """Compare each output block with what the step printed. `exception` is the
        last line of an exception the step raised (compared under rule 7); `error`
        says how a step failed when no output block is there to show it."""
        where = where or sample.where
        error = error or (f"sample raised {exception}" if exception else None)
        if not outputs:
            if error:
                self.fail(where, error, detail)
            elif count_ran:
                self.counts.ran += 1
            return
        matched_all = True
        for block in outputs:
            comparison = normalise.compare(block.text, output, exception=exception,
                                           sql=sample.sql, projects=self.project_paths())
            if comparison.matched:
                self.counts.outputs_verified += 1
                continue
            matched_all = False
            if exception and not normalise.shows_exception(block.text, exception):
                # The page promises output; the sample raised instead.
                self.fail(where, f"sample raised {exception} (the output block at line "
                          f"{block.line} shows no exception)", detail)
                continue
            extra = ["", error + ":", *detail] if error and detail else []
            self.fail(f"{sample.page}:{block.line}", f"output differs (django {self.ctx.line})",
                      comparison.diff() + extra)
        if count_ran and (not error or matched_all):
            self.counts.ran += 1

    def waive(self, reason, outputs):
        self.counts.waived[reason] += 1
        self.counts.outputs_waived += outputs

    def project_paths(self):
        if self.project is None:
            return ()
        folder = str(self.project.folder)
        return (folder, os.path.realpath(folder))

    # -- the page ----------------------------------------------------------------

    def run(self):
        steps = []
        for block in self.page.loose_outputs:
            if on_line(block.django, self.ctx.django):
                self.counts.outputs += 1
                if block.norun:
                    self.waive(block.norun, outputs=1)
                else:
                    self.fail(f"{self.page.source}:{block.line}", "output block with no sample "
                              'before it: waive it with norun="why" on the output fence')
        for sample in self.page.samples:
            if sample.is_python:
                self.counts.samples += 1
            if not on_line(sample.django, self.ctx.django):
                continue
            outputs = [o for o in sample.outputs if on_line(o.django, self.ctx.django)]
            self.counts.outputs += len(outputs)
            for block in outputs:
                if block.norun:
                    self.counts.waived[block.norun] += 1
            if sample.norun:
                self.waive(sample.norun, outputs=len(outputs))
                continue
            self.counts.outputs_waived += sum(1 for o in outputs if o.norun)
            outputs = [o for o in outputs if not o.norun]
            if not sample.run:
                for block in outputs:
                    self.fail(f"{sample.page}:{block.line}",
                              "output block follows a sample with neither `run` nor `norun`")
                continue
            kind = step_kind(sample)
            if kind is None:
                self.fail(sample.where, f"`{sample.lang}` samples cannot run")
            elif sample.sql and kind in (TEST, SETTINGS, COMMANDS, DATA):
                self.fail(sample.where, "`queries` shows the SQL of a shell step or a "
                          f"script; it cannot apply to a {kind} step")
            else:
                if kind == DATA:
                    for block in outputs:
                        self.fail(f"{sample.page}:{block.line}", "output block after a file "
                                  "that is written, not executed: put it after a sample that "
                                  "prints it")
                steps.append((sample, kind, outputs))
        if not steps:
            return self
        if self.page.database == "postgresql" and self.ctx.postgres is None:
            self.fail(f"{self.page.source}:1", 'the page needs PostgreSQL '
                      '(sample_database = "postgresql"): run with --postgres DSN')
            return self
        try:
            self.start(steps)
            for sample, kind, outputs in steps:
                self.step(sample, kind, outputs)
            if self.modules:
                self.step(next(iter(self.modules.values())), "imports", [])
        except Exception:  # noqa: BLE001 - a runner bug: report it, go on with other pages
            self.fail(f"{self.page.source}:1", "the runner failed on this page",
                      traceback.format_exc().rstrip("\n").split("\n"))
        finally:
            self.cleanup()
        return self

    def step(self, sample, kind, outputs):
        handler = {SHELL: self.shell, FILE: self.file, SETTINGS: self.settings,
                   TEST: self.test, COMMANDS: self.commands, TRANSCRIPT: self.transcript,
                   DATA: self.data, "imports": self.check_imports}[kind]
        try:
            handler(sample, outputs)
        except StepTimeout:
            self.session = None
            self.fail(sample.where, f"timed out after {self.ctx.timeout:g} s")
        except SessionDied as died:
            self.session = None
            self.fail(sample.where, f"the Django shell exited (status {died.status})",
                      self.lines(died.log))

    def start(self, steps):
        layout_steps = [(kind, sample.title) for sample, kind, _ in steps
                        if kind in (FILE, TEST, SETTINGS, DATA)]
        self.layout = Layout(layout_steps)
        folder = os.path.join(self.ctx.workdir, f"{self.number:03d}-{self.page.slug or 'page'}")
        if self.page.database == "postgresql":
            name = f"djguide_{os.getpid()}_{self.number}"
            self.ctx.postgres.create(name)
            self.database = name
            database = {"engine": "postgresql",
                        "settings": self.ctx.postgres.django_settings(name)}
        else:
            database = {"engine": "sqlite"}
        self.project = Project(folder, self.layout, database, redis=self.redis_location())
        self.project.create(self.topic_file("settings.py"))
        tmp = str(self.project.tmp)
        self.env = dict(self.ctx.env, TMPDIR=tmp, DJGUIDE_RUN_TMP=tmp,
                        DJGUIDE_RUN_LOG=os.path.join(tmp, "session.log"))

    # Databases the runner's Redis server is started with (`--databases`).
    REDIS_DATABASES = 64

    def redis_location(self):
        """This page's database on the runner's Redis server: pages running at
        the same time have neighbouring numbers, so they never share one."""
        if not self.ctx.redis:
            return None
        return f"{self.ctx.redis.rstrip('/')}/{self.number % self.REDIS_DATABASES}"

    def topic_file(self, name):
        """(path for messages, text) of content/<topic>/_run/<name>, or None."""
        relative = posixpath.join(posixpath.dirname(self.page.source), "_run", name)
        path = os.path.join(self.ctx.root, *relative.split("/"))
        if not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8") as handle:
            return relative, handle.read()

    def cleanup(self):
        self.close_session()
        if self.database:
            try:
                self.ctx.postgres.drop(self.database)
            except Exception as error:  # noqa: BLE001
                self.fail(f"{self.page.source}:1",
                          f"could not drop the page's database {self.database}: {error}")
        if self.project is not None and not self.ctx.keep:
            shutil.rmtree(self.project.folder, ignore_errors=True)

    # -- the shell ---------------------------------------------------------------

    def close_session(self):
        if self.session is not None:
            self.session.close()
            self.session = None

    def request(self, payload):
        try:
            return self.session.request(payload, self.ctx.timeout)
        except (StepTimeout, SessionDied):
            self.session = None
            raise

    def open_session(self, sample, *, migrate=True):
        """A running shell with Django set up (and migrated), or None (reported)."""
        if self.session is not None and self.stale:
            self.close_session()
        if self.session is not None:
            return self.session
        if self.broken:
            self.fail(sample.where, f"not run: the project did not start (see {self.broken})")
            return None
        self.session = Session(self.ctx.python, cwd=str(self.project.folder), env=self.env,
                               log=self.env["DJGUIDE_RUN_LOG"])
        self.stale = False
        reply = self.request({"op": "setup",
                              "makemigrations": migrate and self.need_makemigrations,
                              "migrate": migrate and self.need_migrate})
        if not reply["ok"]:
            self.fail(sample.where, f"the project did not start: {reply['exception']}",
                      self.lines(reply["output"], reply["traceback"]))
            self.broken = sample.where
            self.close_session()
            return None
        if migrate:
            self.need_makemigrations = self.need_migrate = False
        return self.session

    def shell_for(self, sample):
        """The shell, with the topic's page fixture run before the first step in it."""
        session = self.open_session(sample)
        if session is None or self.fixture_done:
            return session
        self.fixture_done = True
        fixture = self.topic_file(f"{self.page.slug}.py")
        if fixture:
            label, code = fixture
            reply = self.request({"op": "exec", "code": code, "filename": label, "line": 1})
            if not reply["ok"]:
                self.fail(f"{label}:1", f"the page fixture raised {reply['exception']}",
                          self.lines(reply["output"], reply["traceback"]))
        return session

    # -- steps -------------------------------------------------------------------

    def resolve(self, sample, kind):
        try:
            return self.layout.resolve(kind, sample.title)
        except PathError as error:
            self.fail(sample.where, str(error))
            return None

    def wrote(self, path, changed):
        self.broken = None
        if touches_models(path):
            self.need_makemigrations = self.need_migrate = True
        if self.session is not None and restarts_shell(path, changed):
            self.stale = True

    def shell(self, sample, outputs):
        if self.shell_for(sample) is None:
            return
        reply = self.request({"op": "exec", "code": sample.code, "filename": sample.source,
                              "line": sample.line, "sql": sample.sql})
        self.judge(sample, outputs, reply["output"], exception=reply["exception"],
                   detail=self.lines(reply["traceback"]))

    def transcript(self, sample, outputs):
        if self.shell_for(sample) is None:
            return
        reply = self.request({"op": "transcript", "code": sample.code,
                              "filename": sample.source, "line": sample.line,
                              "sql": sample.sql})
        comparison = normalise.compare_transcript(sample.code, reply["output"], sql=sample.sql,
                                                  projects=self.project_paths())
        if comparison.matched:
            self.counts.ran += 1
        else:
            extra = ["", "the last exception:", *self.lines(reply["traceback"])] \
                if reply["traceback"] else []
            self.fail(sample.where, f"transcript differs (django {self.ctx.line})",
                      comparison.diff() + extra)
        self.judge(sample, outputs, reply["output"], count_ran=False)

    def file(self, sample, outputs):
        path = self.resolve(sample, FILE)
        if path is None:
            return
        changed = self.project.write(path, sample.code)
        self.wrote(path, changed)
        name = module_name(path)
        if posixpath.basename(path) == "urls.py" and \
                path.split("/")[0] in self.layout.project_packages and path.count("/") == 1:
            self.project.set_root_urlconf(name)
        previous = self.modules.pop(name, None)
        if previous is not None and previous is not sample:
            self.counts.ran += 1  # replaced before the import check: it was written
        if outputs:
            if self.shell_for(sample) is None:
                return
            reply = self.request({"op": "script", "module": name, "sql": sample.sql})
            self.judge(sample, outputs, reply["output"], exception=reply["exception"],
                       detail=self.lines(reply["traceback"]))
        elif "migrations" in path.split("/")[:-1]:
            self.counts.ran += 1  # exercised by the next migrate
        else:
            self.modules[name] = sample

    def data(self, sample, outputs):
        """A template, a fixture, any non-Python file the page names: written only."""
        path = self.resolve(sample, DATA)
        if path is not None:
            self.wrote(path, self.project.write(path, sample.code))

    def settings(self, sample, outputs):
        path = self.resolve(sample, SETTINGS)
        if path is None:
            return
        self.project.write(path, sample.code)
        self.stand_in_for_base_settings(path)
        self.project.add_settings(path, sample.source, sample.line)
        self.wrote(path, True)
        self.need_makemigrations = self.need_migrate = True
        status, output = run([self.ctx.python, "-c", "import djguide_run.settings"],
                             cwd=str(self.project.folder), env=self.env,
                             timeout=self.ctx.timeout)
        if status is None:
            self.project.drop_last_settings()
            raise StepTimeout()
        exception = None
        printed, header, trace = output.partition(TRACEBACK)
        if status != 0:
            self.project.drop_last_settings()
            exception = normalise.exception_last_line(trace or output)
        self.judge(sample, outputs, printed, exception=exception,
                   detail=self.lines(header + trace))

    def stand_in_for_base_settings(self, path):
        """Pages split settings as `config/settings/base.py` plus one module per
        environment starting `from .base import *`. The runner's own settings
        are the base, so unless the page shows its `base.py`, an empty one
        lets that import work."""
        package, name = posixpath.split(path)
        base = f"{package}/base.py"
        if posixpath.basename(package) == "settings" and name != "base.py" \
                and not self.project.exists(base):
            self.project.write(base, "# The sample runner's settings stand in for the base settings.\n")

    def manage(self, *args):
        return run([self.ctx.python, "manage.py", *args], cwd=str(self.project.folder),
                   env=self.env, timeout=self.ctx.timeout)

    def test(self, sample, outputs):
        path = self.resolve(sample, TEST)
        if path is None:
            return
        self.wrote(path, self.project.write(path, sample.code))
        if self.need_makemigrations:
            status, output = self.manage("makemigrations", "--noinput")
            if status is None:
                raise StepTimeout()
            if status != 0:
                self.fail(sample.where, "makemigrations failed before the tests",
                          self.lines(output))
                return
            self.need_makemigrations = False
        status, output = self.manage("test", module_name(path), "--noinput")
        if status is None:
            raise StepTimeout()
        error = f"tests failed (exit status {status})" if status else None
        self.judge(sample, outputs, output, error=error, detail=self.lines(output))

    def commands(self, sample, outputs):
        commands, shown, shown_at = parse_commands(sample.code)
        blocks = list(outputs)
        if shown is not None:
            # A console sample's own output lines count as one output block.
            blocks.append(Output(line=sample.line + shown_at, text=shown))
            self.counts.outputs += 1
        if not commands:
            self.fail(sample.where, "no command to run")
            return
        runnable = []
        for offset, command in commands:
            problem, line = command_problem(command)
            if problem:
                self.fail(f"{sample.source}:{sample.line + offset}", problem)
                return
            runnable.append((offset, command, line))
        chunks, error, where = [], None, None
        for offset, command, line in runnable:
            status, output = run(["/bin/sh", "-c", line], cwd=str(self.project.folder),
                                 env=self.env, timeout=self.ctx.timeout)
            chunks.append(output)
            if status is None:
                self.fail(f"{sample.source}:{sample.line + offset}",
                          f"timed out after {self.ctx.timeout:g} s: {command}")
                return
            if status and error is None:
                error = f"`{command}` exited with status {status}"
                where = f"{sample.source}:{sample.line + offset}"
        output = "".join(chunks)
        self.judge(sample, blocks, output, error=error, where=where,
                   detail=self.lines(output), count_ran=sample.is_python)

    # -- end of page ---------------------------------------------------------------

    def check_imports(self, _sample=None, _outputs=()):
        """Import every module the page wrote and nothing ran, once, at the end,
        so that importing cannot change what the page's own steps saw."""
        if not self.modules:
            return
        pending = dict(self.modules)
        self.modules.clear()
        first = next(iter(pending.values()))
        if self.broken:
            for name, sample in pending.items():
                self.fail(sample.where,
                          f"not imported: the project did not start (see {self.broken})")
            return
        session = self.open_session(first, migrate=False)
        if session is None:
            return
        reply = self.request({"op": "import", "modules": list(pending)})
        for result in reply["results"]:
            sample = pending[result["module"]]
            if result["ok"]:
                self.counts.ran += 1
            else:
                self.fail(sample.where,
                          f"importing {result['module']} failed: {result['exception']}",
                          self.lines(result["output"], result["traceback"]))
