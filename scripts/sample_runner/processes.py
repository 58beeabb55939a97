"""Child processes: one-off commands with a timeout, and the page's long-lived
Django shell (djguide_run/session.py inside the project) with its JSON-lines
protocol. Every child gets its own process group, killed whole when done."""

import json
import os
import select
import signal
import subprocess
import time


class StepTimeout(Exception):
    pass


class SessionDied(Exception):
    def __init__(self, status, log):
        super().__init__(log)
        self.status = status
        self.log = log


def kill_group(process):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def run(args, *, cwd, env, timeout):
    """Run a command; stdout and stderr interleaved as a terminal shows them.
    Returns (exit status, output); the status is None after a timeout."""
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        output = process.stdout.read() if process.stdout else b""
        return None, output.decode("utf-8", "replace")
    finally:
        # Whatever the command left running in its group goes too.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if process.stdout:
            process.stdout.close()
    return process.returncode, output.decode("utf-8", "replace")


class Session:
    """`python -m djguide_run.session` in the project folder."""

    def __init__(self, python, *, cwd, env, log):
        self.log = log
        with open(log, "ab") as stderr:
            self.process = subprocess.Popen(
                [python, "-m", "djguide_run.session"], cwd=cwd, env=env,
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                start_new_session=True)
        self.buffer = b""

    def request(self, payload, timeout):
        try:
            self.process.stdin.write((json.dumps(payload) + "\n").encode("utf-8"))
            self.process.stdin.flush()
        except (BrokenPipeError, OSError) as error:
            raise self.died() from error
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.close()
                raise StepTimeout()
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise self.died()
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line.decode("utf-8"))

    def died(self):
        try:
            status = self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            status = None
        self.close()
        return SessionDied(status, self.log_tail())

    def log_tail(self, lines=15):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as handle:
                return "".join(handle.readlines()[-lines:])
        except OSError:
            return ""

    def close(self):
        kill_group(self.process)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
