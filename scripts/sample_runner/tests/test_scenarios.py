"""The runner end to end on small hand-made samples.json v2 exports: robustness
(stdin, timeouts, a dying shell), how steps behave (restarts, settings, commands,
captured streams) and the run-wide failures (versions, PostgreSQL, --only).

Runs with the Python that runs the tests (it needs Django and DRF installed):

    python -m unittest discover -s scripts/sample_runner/tests -t scripts
"""

import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from importlib import metadata

from sample_runner.export import kind_of

SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNNER = os.path.join(SCRIPTS, "run_samples.py")
DJANGO = metadata.version("django")
DRF = metadata.version("djangorestframework")
LINE = ".".join(DJANGO.split(".")[:2])


def code(text):
    return textwrap.dedent(text).lstrip("\n")


class Export:
    """Writes a samples.json v2 and the sample files, as `djguide samples` would."""

    def __init__(self, folder, verified_with=None):
        self.folder = folder
        self.pages = []
        self.samples = []
        self.verified_with = verified_with if verified_with is not None else [
            {"django": DJANGO, "drf": DRF}]

    def page(self, source, database="sqlite"):
        topic, slug = source.split("/")[-2], source.split("/")[-1][:-3]
        self.pages.append({"source": source, "page_url": f"/{topic}/{slug}/", "topic": topic,
                           "slug": slug, "database": database, "loose_outputs": []})
        self.current = source
        self.line = 10
        return self

    def sample(self, text, lang="python", title=None, run=True, norun=None, sql=False,
               django=None, outputs=()):
        """Add a sample; `outputs` are texts or (text, django) pairs. Returns the
        sample's line and its outputs' lines."""
        number = len(self.samples) + 1
        name = f"{number:04d}.{'sh' if lang in ('console', 'bash') else 'py'}"
        with open(os.path.join(self.folder, name), "w", encoding="utf-8") as handle:
            handle.write(text)
        line = self.line
        self.line += text.count("\n") + 3
        blocks = []
        for output in outputs:
            body, version = output if isinstance(output, tuple) else (output, None)
            blocks.append({"line": self.line, "django": version, "norun": None, "text": body})
            self.line += body.count("\n") + 3
        self.samples.append({
            "file": name, "source": self.current, "page": self.current, "line": line,
            "lang": lang, "kind": kind_of(lang), "title": title, "check": True, "page_url": "/", "run": run,
            "norun": norun, "sql": sql, "django": django, "outputs": blocks})
        return (line, *[b["line"] for b in blocks])

    def write(self):
        with open(os.path.join(self.folder, "samples.json"), "w", encoding="utf-8") as handle:
            json.dump({"version": 2, "verified_with": self.verified_with, "pages": self.pages,
                       "samples": self.samples}, handle, indent=1)


class Result:
    def __init__(self, process, summary):
        self.status = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.summary = summary

    @property
    def failures(self):
        return self.summary["failures"]


class Scenario(unittest.TestCase):
    def setUp(self):
        self.temp = tempfile.TemporaryDirectory(prefix="run-samples-test-")
        self.addCleanup(self.temp.cleanup)
        self.export_dir = os.path.join(self.temp.name, "export")
        self.root = os.path.join(self.temp.name, "site")
        self.workdir = os.path.join(self.temp.name, "work")
        os.makedirs(self.export_dir)
        os.makedirs(os.path.join(self.root, "content"))
        self.export = Export(self.export_dir)

    def run_runner(self, *extra, timeout=240):
        self.export.write()
        summary = os.path.join(self.temp.name, "summary.json")
        process = subprocess.run(
            [sys.executable, RUNNER, "--export", self.export_dir, "--root", self.root,
             "--summary", summary, "--workdir", self.workdir, "--jobs", "2", *extra],
            capture_output=True, text=True, timeout=timeout)
        with open(summary, encoding="utf-8") as handle:
            result = Result(process, json.load(handle))
        # The runner cleans up after itself.
        self.assertEqual(os.listdir(self.workdir), [], "the workdir was left behind")
        return result

    def assertFailures(self, result, expected):
        self.assertEqual(result.failures, expected, result.stdout + result.stderr)
        self.assertEqual(result.status, 1 if expected else 0, result.stdout + result.stderr)


class Robustness(Scenario):
    def test_stdin_timeout_and_a_dying_shell_fail_their_step_only(self):
        e = self.export.page("content/t/robust.md")
        _, stdin_out = e.sample('input()\n', outputs=["EOFError: EOF when reading a line"])
        sleeper = e.sample("import time\ntime.sleep(600)\n")[0]
        _, after_sleep = e.sample('print("after the timeout")\n', outputs=["after the timeout"])
        exiter = e.sample("import os\nos._exit(3)\n")[0]
        _, after_exit = e.sample('print("after the exit")\n', outputs=["after the exit"])
        started = time.monotonic()
        result = self.run_runner("--timeout", "5")
        self.assertLess(time.monotonic() - started, 120)
        self.assertFailures(result, [
            f"content/t/robust.md:{sleeper}: timed out after 5 s",
            f"content/t/robust.md:{exiter}: the Django shell exited (status 3)",
        ])
        self.assertEqual(result.summary["outputs_verified"], 3)
        self.assertEqual(result.summary["ran"], 3)

    def test_sys_exit(self):
        e = self.export.page("content/t/exit.md")
        e.sample("import sys\nsys.exit(0)\n")
        failing = e.sample("import sys\nsys.exit(2)\n")[0]
        result = self.run_runner()
        self.assertFailures(result, [f"content/t/exit.md:{failing}: sample raised SystemExit: 2"])


class Steps(Scenario):
    def test_stdout_stderr_and_logging_are_captured_in_order(self):
        e = self.export.page("content/t/streams.md")
        e.sample(code('''
            import logging
            import subprocess
            import sys

            print("out")
            print("err", file=sys.stderr)
            logging.getLogger("shop").warning("warned")
            subprocess.run(["echo", "child"])
            print("last")
        '''), outputs=["out\nerr\nwarned\nchild\nlast\n"])
        result = self.run_runner()
        self.assertFailures(result, [])
        self.assertEqual(result.summary["outputs_verified"], 1)

    def test_a_changed_model_restarts_the_shell_and_migrates(self):
        e = self.export.page("content/t/restart.md")
        model = "from django.db import models\n\n\nclass Product(models.Model):\n"
        e.sample(model + "    name = models.CharField(max_length=100)\n", title="shop/models.py")
        e.sample(code('''
            from shop.models import Product
            kept = "namespace"
            Product.objects.create(name="Pen")
            print(Product._meta.get_field("name").max_length)
        '''), outputs=["100"])
        e.sample(model + "    name = models.CharField(max_length=200)\n"
                 "    stock = models.IntegerField(default=0)\n", title="shop/models.py")
        e.sample(code('''
            from shop.models import Product
            print(Product._meta.get_field("name").max_length, "kept" in dir())
            print(Product.objects.get().stock, Product.objects.count())
        '''), outputs=["200 False\n0 1"])
        result = self.run_runner()
        self.assertFailures(result, [])
        self.assertEqual((result.summary["ran"], result.summary["outputs_verified"]), (4, 2))

    def test_a_new_module_joins_the_live_shell_without_importing_it_first(self):
        e = self.export.page("content/t/live.md")
        e.sample("from django.db import models\n\n\nclass Product(models.Model):\n"
                 "    name = models.CharField(max_length=100)\n", title="shop/models.py")
        e.sample("kept = 5\n")
        # Nothing imports signals.py, so its receiver is not connected: the runner
        # must not import it behind the page's back.
        e.sample(code('''
            from django.db.models.signals import post_save
            from django.dispatch import receiver

            from shop.models import Product


            @receiver(post_save, sender=Product)
            def announce(sender, instance, **kwargs):
                print("saved", instance.name)
        '''), title="shop/signals.py")
        e.sample("def double(n):\n    return 2 * n\n", title="shop/services.py")
        e.sample(code('''
            from shop.models import Product
            from shop.services import double

            Product.objects.create(name="Pen")
            print(double(kept))
        '''), outputs=["10"])
        result = self.run_runner()
        self.assertFailures(result, [])
        self.assertEqual(result.summary["ran"], 5)

    def test_settings_steps_stack_and_a_failing_one_is_reported(self):
        self.export.verified_with = [{"django": DJANGO, "drf": None}]
        e = self.export.page("content/t/settings.md")
        e.sample('PAGE_SIZE = 2\nDATABASES = {"default": {"ENGINE": "x", "HOST": "db"}}\n',
                 title="config/settings.py")
        broken = e.sample('import os\nSECRET_KEY = os.environ["NOT_SET_ANYWHERE"]\n',
                          title="config/settings/prod.py")[0]
        e.sample(code('''
            from django.conf import settings
            from django.db import connection

            print(settings.PAGE_SIZE, connection.vendor, "SHOP_CURRENCY" in dir(settings))
        '''), outputs=["2 sqlite True"])
        os.makedirs(os.path.join(self.root, "content", "t", "_run"))
        with open(os.path.join(self.root, "content", "t", "_run", "settings.py"), "w") as f:
            f.write('SHOP_CURRENCY = "EUR"\n')
        result = self.run_runner()
        self.assertFailures(result, [
            f"content/t/settings.md:{broken}: sample raised KeyError: 'NOT_SET_ANYWHERE'"])

    def test_split_settings_import_their_base(self):
        self.export.verified_with = [{"django": DJANGO, "drf": None}]
        e = self.export.page("content/t/split.md")
        e.sample('from .base import *  # noqa\n\nPAGE_SIZE = 5\n',
                 title="config/settings/test.py")
        e.sample(code('''
            from django.conf import settings

            print(settings.PAGE_SIZE, settings.USE_TZ)
        '''), outputs=["5 True"])
        self.assertFailures(self.run_runner(), [])

    def test_a_redis_cache_without_a_server_says_how_to_get_one(self):
        self.export.verified_with = [{"django": DJANGO, "drf": None}]
        e = self.export.page("content/t/redis.md")
        step = e.sample('CACHES = {"default": {"BACKEND": '
                        '"django.core.cache.backends.redis.RedisCache", '
                        '"LOCATION": "redis://cache-1:6379/0"}}\n',
                        title="config/settings.py")[0]
        result = self.run_runner()
        self.assertFailures(result, [
            f"content/t/redis.md:{step}: sample raised django.core.exceptions.ImproperlyConfigured: "
            "this page uses "
            "Redis: run the samples with --redis (scripts/run-samples.sh starts a server)"])

    def test_commands(self):
        e = self.export.page("content/t/commands.md")
        e.sample("$ python manage.py check\nSystem check identified no issues (0 silenced).\n",
                 lang="console")
        # `shell` on 5.2+ first reports its automatic imports: hence the `...`.
        e.sample('$ python manage.py shell -c "print(1 + 1)"; echo "exit code $?"\n',
                 lang="console", outputs=["...2\nexit code 0"])
        failing = e.sample("python manage.py migrate --no-such-option\n", lang="bash")[0]
        refused = e.sample("$ rm -rf /\n", lang="console")[0]
        result = self.run_runner()
        self.assertFailures(result, [
            f"content/t/commands.md:{failing}: `python manage.py migrate --no-such-option` "
            "exited with status 2",
            f"content/t/commands.md:{refused}: only `python manage.py ...` commands can run",
        ])
        # Commands are not Python samples; the console's own output is an output block.
        self.assertEqual((result.summary["samples"], result.summary["ran"]), (0, 0))
        self.assertEqual(result.summary["outputs_verified"], 2)

    def test_a_file_that_would_shadow_an_installed_package(self):
        e = self.export.page("content/t/shadow.md")
        line = e.sample("X = 1\n", title="django/conf/global_settings.py")[0]
        result = self.run_runner()
        self.assertFailures(result, [
            f"content/t/shadow.md:{line}: `django/conf/global_settings.py` would shadow the "
            'installed module `django` (show it with norun="..." instead)'])

    def test_a_module_that_fails_to_import(self):
        e = self.export.page("content/t/imports.md")
        line = e.sample("import celery_is_not_installed\n", title="shop/tasks.py")[0]
        result = self.run_runner()
        self.assertFailures(result, [
            f"content/t/imports.md:{line}: importing shop.tasks failed: "
            "ModuleNotFoundError: No module named 'celery_is_not_installed'"])
        self.assertIn('File "<project>/shop/tasks.py", line 1', result.stdout)


class RunWide(Scenario):
    def test_versions_not_in_verified_with_fail(self):
        self.export.verified_with = [{"django": "1.0.0", "drf": "0.1"}]
        with open(os.path.join(self.root, "site.toml"), "w", encoding="utf-8") as handle:
            handle.write('title = "t"\n[samples]\nverified_with = [{ django = "1.0.0" }]\n')
        self.export.page("content/t/a.md").sample('print("ok")\n', outputs=["ok"])
        result = self.run_runner()
        self.assertFailures(result, [
            f"site.toml:3: installed Django {DJANGO} / DRF {DRF} is not in [samples] "
            "verified_with (1.0.0/0.1): the site would claim versions its samples did not "
            "run on"])
        self.assertEqual(result.summary["outputs_verified"], 1, "the samples still ran")

    def test_a_postgresql_page_without_postgres_fails_and_the_rest_run(self):
        self.export.page("content/t/pg.md", database="postgresql").sample(
            'print("pg")\n', outputs=["pg"])
        self.export.page("content/t/lite.md").sample('print("lite")\n', outputs=["lite"])
        result = self.run_runner()
        self.assertFailures(result, [
            'content/t/pg.md:1: the page needs PostgreSQL (sample_database = "postgresql"): '
            "run with --postgres DSN"])
        self.assertEqual(result.summary["outputs_verified"], 1)

    def test_only_another_line_and_the_summary_line(self):
        e = self.export.page("content/t/lines.md")
        other = "6.1" if LINE != "6.1" else "5.2"
        e.sample(f'print("{other}")\n', django=other, outputs=["never compared"])
        e.sample("import django\nprint(django.VERSION[0])\n",
                 outputs=[(f"{DJANGO.split('.')[0]}", LINE), ("0", other)])
        e.sample("import celery\n", run=False, norun="needs Celery", outputs=["x"])
        self.export.page("content/u/skipped.md").sample('print(1)\n', outputs=["2"])
        result = self.run_runner("--only", "content/t/")
        self.assertFailures(result, [])
        self.assertEqual(result.summary, {
            "django": DJANGO, "drf": DRF, "python": result.summary["python"],
            "samples": 3, "ran": 1, "outputs": 2, "outputs_verified": 1,
            "outputs_waived": 1, "waived": {"needs Celery": 1}, "failures": []})
        self.assertIn(f"django {DJANGO} / drf {DRF}: 1 of 3 samples ran, 1 output blocks "
                      "verified, 1 waived\n  1 waived: needs Celery\n", result.stdout)


if __name__ == "__main__":
    unittest.main()
