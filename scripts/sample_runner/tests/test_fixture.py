"""The runner on the fixture site tests/fixtures/run-samples, exported by the real
`djguide samples`: the passing pages pass, each deliberately broken page fails
with exactly its `content/...md:LINE`, and the counts are exact for the installed
Django line.

scripts/test_run_samples.sh exports the fixture and sets RUN_SAMPLES_FIXTURE_EXPORT;
without it this test exports it with cargo. RUN_SAMPLES_POSTGRES (a DSN) also runs
the fixture's PostgreSQL page; without it, that page must fail for want of one.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from importlib import metadata

SCRIPTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPO = os.path.dirname(SCRIPTS)
RUNNER = os.path.join(SCRIPTS, "run_samples.py")
FIXTURE = os.path.join(REPO, "tests", "fixtures", "run-samples")
DJANGO = metadata.version("django")
DRF = metadata.version("djangorestframework")
LINE = ".".join(DJANGO.split(".")[:2])
POSTGRES = os.environ.get("RUN_SAMPLES_POSTGRES")


def fixture_export():
    export = os.environ.get("RUN_SAMPLES_FIXTURE_EXPORT")
    if export:
        return os.path.abspath(export)
    if shutil.which("cargo") is None:
        raise unittest.SkipTest("set RUN_SAMPLES_FIXTURE_EXPORT (no cargo to export the fixture)")
    export = os.path.join(REPO, "target", "run-samples-fixture")
    subprocess.run(["cargo", "run", "--release", "--quiet", "--", "samples", "--root", FIXTURE,
                    "--out", export], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return export


def line_of(page, text, occurrence=1):
    """The 1-based line of `page` (under the fixture) that is exactly `text`."""
    with open(os.path.join(FIXTURE, page), encoding="utf-8") as handle:
        found = [n for n, line in enumerate(handle, 1) if line.rstrip("\n") == text]
    return found[occurrence - 1]


class FixtureSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.temp = tempfile.TemporaryDirectory(prefix="run-samples-fixture-")
        cls.export = os.path.join(cls.temp.name, "export")
        shutil.copytree(fixture_export(), cls.export)
        # The fixture's site.toml names the guide's pins; the runner's own tests
        # run on whatever this Python has, so the copy claims exactly that pair
        # (test_scenarios covers the failure when the claim is false).
        manifest_path = os.path.join(cls.export, "samples.json")
        with open(manifest_path, encoding="utf-8") as handle:
            manifest = json.load(handle)
        assert manifest["version"] == 2, manifest["version"]
        manifest["verified_with"] = [{"django": DJANGO, "drf": DRF}]
        with open(manifest_path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)

    @classmethod
    def tearDownClass(cls):
        cls.temp.cleanup()

    def run_runner(self, *extra):
        summary = os.path.join(self.temp.name, "summary.json")
        if os.path.exists(summary):
            os.remove(summary)
        postgres = ["--postgres", POSTGRES] if POSTGRES else []
        process = subprocess.run(
            [sys.executable, RUNNER, "--export", self.export, "--root", FIXTURE,
             "--summary", summary, *postgres, *extra],
            capture_output=True, text=True, timeout=600)
        with open(summary, encoding="utf-8") as handle:
            return process, json.load(handle)

    def test_the_whole_fixture(self):
        process, summary = self.run_runner()
        report = process.stdout + process.stderr
        raises = "content/broken/raises.md"
        raising_line = line_of(raises, 'prices = {"pen": 1.5}')
        expected = [
            f"content/broken/wrong-output.md:"
            f"{line_of('content/broken/wrong-output.md', 'the total is 5')}: "
            f"output differs (django {LINE})",
            f"{raises}:{raising_line}: sample raised "
            f"KeyError: 'mug' (the output block at line {line_of(raises, '1.5')} shows "
            "no exception)",
            f"content/broken/unmarked.md:"
            f"{line_of('content/broken/unmarked.md', 'never run')}: output block follows a "
            "sample with neither `run` nor `norun`",
        ]
        if not POSTGRES:
            expected.append('content/postgres/vendor.md:1: the page needs PostgreSQL '
                            '(sample_database = "postgresql"): run with --postgres DSN')
        self.assertEqual(summary["failures"], expected, report)
        self.assertEqual(process.returncode, 1, report)

        # The failure's diff, expected -> actual.
        self.assertIn("--- expected\n+++ actual\n@@ -1 +1 @@\n-the total is 5\n"
                      "+the total is 4\n", process.stdout)

        # Counts. 23 Python samples (the console blocks are not Python); on 6.1 one
        # more sample runs (django="6.1") and one more output block applies.
        on_61 = 1 if LINE == "6.1" else 0
        postgres = 1 if POSTGRES else 0
        counts = {key: summary[key] for key in
                  ("samples", "ran", "outputs", "outputs_verified", "outputs_waived", "waived")}
        self.assertEqual(counts, {
            "samples": 23,
            "ran": 17 + on_61 + 2 * postgres,
            "outputs": 18 + on_61,
            "outputs_verified": 11 + on_61 + postgres,
            "outputs_waived": 3,
            "waived": {"a production log": 1, "needs a Celery broker": 1,
                       "timings vary from run to run": 1},
        }, report)
        self.assertEqual((summary["django"], summary["drf"]), (DJANGO, DRF))
        self.assertIn(
            f"django {DJANGO} / drf {DRF}: {counts['ran']} of 23 samples ran, "
            f"{counts['outputs_verified']} output blocks verified, 3 waived\n"
            "  1 waived: a production log\n  1 waived: needs a Celery broker\n"
            "  1 waived: timings vary from run to run\n",
            process.stdout)

    def test_the_passing_pages_pass(self):
        process, summary = self.run_runner("--only", "content/shop/")
        self.assertEqual(summary["failures"], [], process.stdout + process.stderr)
        self.assertEqual(process.returncode, 0)
        # shell-and-models: 11 Python samples (one is norun, one 6.1-only);
        # tests-and-commands: 7, the [[samples]] file included.
        self.assertEqual(summary["samples"], 18)
        self.assertEqual(summary["ran"], 16 + (1 if LINE == "6.1" else 0))


if __name__ == "__main__":
    unittest.main()
