"""Unit tests of the comparison rules (docs/runnable-samples.md, "Comparing output")
and of the runner's small parsers. Standard library only:

    python -m unittest discover -s scripts/sample_runner/tests -t scripts
"""

import unittest

from sample_runner import normalise
from sample_runner.export import (COMMANDS, DATA, FILE, SETTINGS, SHELL, TEST, TRANSCRIPT,
                                  Sample, kind_of, on_line, step_kind)
from sample_runner.page import command_problem, parse_commands, restarts_shell
from sample_runner.project import Layout, PathError, module_name


class LineEndingsAndBlanks(unittest.TestCase):  # rule 1
    def test_crlf_trailing_spaces_and_outer_blank_lines(self):
        self.assertEqual(normalise.line_endings_and_blanks("\r\n\n  a  \r\nb\t\r\n\n \n"),
                         "  a\nb")

    def test_inner_blank_lines_stay(self):
        self.assertEqual(normalise.line_endings_and_blanks("a\n\n\nb\n"), "a\n\n\nb")

    def test_lone_carriage_returns(self):
        self.assertEqual(normalise.line_endings_and_blanks("a\rb"), "a\nb")


class MemoryAddresses(unittest.TestCase):  # rule 2
    def test_addresses_become_0x_ellipsis(self):
        self.assertEqual(normalise.memory_addresses("<object at 0x7f3a2c1b5e50>"),
                         "<object at 0x\u2026>")

    def test_an_elided_address_is_the_same(self):
        self.assertEqual(normalise.memory_addresses("at 0x7f3a\u2026>"), "at 0x\u2026>")

    def test_short_hex_numbers_stay(self):
        self.assertEqual(normalise.memory_addresses("flags 0x1F and 0xff"), "flags 0x1F and 0xff")


class TestTimings(unittest.TestCase):  # rule 3
    def test_plural_and_singular(self):
        self.assertEqual(normalise.test_timings("Ran 3 tests in 0.012s\nRan 1 test in 12.5s"),
                         "Ran 3 tests in 0.000s\nRan 1 test in 0.000s")

    def test_other_durations_stay(self):
        self.assertEqual(normalise.test_timings("took 0.012s"), "took 0.012s")


class ProjectPaths(unittest.TestCase):  # rule 4
    def test_longest_path_first(self):
        text = 'File "/tmp/w/001-page/shop/tests.py" and /private/tmp/w/001-page'
        self.assertEqual(
            normalise.project_paths(text, ["/tmp/w/001-page", "/private/tmp/w/001-page"]),
            'File "<project>/shop/tests.py" and <project>')

    def test_root_is_never_replaced(self):
        self.assertEqual(normalise.project_paths("/usr/lib", ["/"]), "/usr/lib")


class Ellipsis(unittest.TestCase):  # rule 5
    def test_without_ellipsis_it_is_equality(self):
        self.assertTrue(normalise.ellipsis_match("a b", "a b"))
        self.assertFalse(normalise.ellipsis_match("a b", "a  b"))

    def test_matches_any_text_including_line_breaks(self):
        self.assertTrue(normalise.ellipsis_match("SELECT ... FROM t",
                                                 'SELECT "a",\n"b" FROM t'))

    def test_matches_empty_text(self):
        self.assertTrue(normalise.ellipsis_match("Optimizing...", "Optimizing"))
        self.assertTrue(normalise.ellipsis_match("Optimizing...", "Optimizing..."))

    def test_pieces_must_appear_in_order(self):
        self.assertTrue(normalise.ellipsis_match("a...b...c", "a1b2c"))
        self.assertFalse(normalise.ellipsis_match("a...c...b", "a1b2c"))

    def test_start_and_end_are_anchored(self):
        self.assertFalse(normalise.ellipsis_match("b...", "ab"))
        self.assertFalse(normalise.ellipsis_match("...a", "ab"))

    def test_overlapping_start_and_end_do_not_match(self):
        self.assertFalse(normalise.ellipsis_match("aa...aa", "aaa"))
        self.assertTrue(normalise.ellipsis_match("aa...aa", "aaaa"))

    def test_a_lone_ellipsis_matches_everything(self):
        self.assertTrue(normalise.ellipsis_match("...", "anything\nat all"))


class CollapseWhitespace(unittest.TestCase):  # rule 6
    def test_runs_of_whitespace_are_one_space(self):
        self.assertEqual(normalise.collapse_whitespace('SELECT  "a"\n   FROM\t"t"\n'),
                         'SELECT "a" FROM "t"')


class DropTraceback(unittest.TestCase):  # rule 7
    def test_header_and_frames_stand_for_the_traceback(self):
        text = "before\nTraceback (most recent call last):\n  File x\n    y\nKeyError: 'a'"
        self.assertEqual(normalise.drop_traceback(text), "before\nKeyError: 'a'")

    def test_without_a_header_nothing_changes(self):
        self.assertEqual(normalise.drop_traceback("KeyError: 'a'"), "KeyError: 'a'")


class Compare(unittest.TestCase):
    def test_a_match(self):
        self.assertTrue(normalise.compare("1\n", "1\n").matched)

    def test_a_mismatch_diffs_expected_to_actual(self):
        result = normalise.compare("the total is 5\n", "the total is 4\n")
        self.assertFalse(result.matched)
        self.assertEqual(result.diff(), ["--- expected", "+++ actual", "@@ -1 +1 @@",
                                         "-the total is 5", "+the total is 4"])

    def test_a_raised_step_compares_the_last_line_only(self):
        expected = ("printed\nTraceback (most recent call last):\n  ...\n"
                    "TypeError: unsupported operand")
        self.assertTrue(normalise.compare(expected, "printed\n",
                                          exception="TypeError: unsupported operand").matched)
        self.assertTrue(normalise.compare("TypeError: unsupported operand", "",
                                          exception="TypeError: unsupported operand").matched)
        self.assertFalse(normalise.compare(expected, "printed\n",
                                           exception="TypeError: other").matched)

    def test_an_expected_traceback_fails_when_nothing_raised(self):
        expected = "Traceback (most recent call last):\n  ...\nKeyError: 'a'"
        self.assertFalse(normalise.compare(expected, "KeyError: 'a'\n").matched)

    def test_sql_matches_wrapped_statements_and_keeps_lines_for_the_diff(self):
        expected = 'SELECT COUNT(*)\n  FROM "t"\n WHERE "t"."a" = 1\n1'
        actual = 'SELECT COUNT(*) FROM "t" WHERE "t"."a" = 1\n1\n'
        self.assertTrue(normalise.compare(expected, actual, sql=True).matched)
        self.assertFalse(normalise.compare(expected, actual).matched)
        wrong = normalise.compare(expected, actual.replace("1\n", "2\n"), sql=True)
        self.assertIn("-1", wrong.diff())
        self.assertIn("+2", wrong.diff())

    def test_every_rule_on_both_sides(self):
        expected = "<A at 0x7f00aa11bb22>\r\nRan 2 tests in 1.000s  \n<project>/x.py\n"
        actual = "\n<A at 0x55d1c0ffee00>\nRan 2 tests in 0.004s\n/tmp/p/x.py"
        self.assertTrue(normalise.compare(expected, actual, projects=["/tmp/p"]).matched)

    def test_shows_exception(self):
        self.assertTrue(normalise.shows_exception("Traceback (most recent call last):\n x\nE"))
        self.assertTrue(normalise.shows_exception("IntegrityError: duplicate key"))
        self.assertTrue(normalise.shows_exception("Product.DoesNotExist: none"))
        self.assertTrue(normalise.shows_exception("Custom: x", "Custom: y"))
        self.assertFalse(normalise.shows_exception("1.5\n", "KeyError: 'mug'"))


class Transcript(unittest.TestCase):
    def test_traceback_bodies_go_on_both_sides(self):
        expected = (">>> d['x']\nTraceback (most recent call last):\n  File \"<stdin>\", "
                    "line 1\n  ...\nKeyError: 'x'\n>>> 1\n1\n")
        rebuilt = ">>> d['x']\nKeyError: 'x'\n>>> 1\n"
        self.assertTrue(normalise.compare_transcript(expected, rebuilt + "1").matched)
        self.assertFalse(normalise.compare_transcript(expected, rebuilt + "2").matched)


class ActualText(unittest.TestCase):
    def test_output_then_the_exception_line(self):
        self.assertEqual(normalise.actual_text("a\n", "ValueError: x\n"), "a\nValueError: x")
        self.assertEqual(normalise.actual_text("", "ValueError: x"), "ValueError: x")
        self.assertEqual(normalise.actual_text("a\n"), "a\n")


def sample(lang="python", title=None):
    return Sample(index=0, file="0001.py", source="p.md", page="p.md", line=1, lang=lang,
                  kind=kind_of(lang), title=title)


class StepKinds(unittest.TestCase):
    def test_kinds_by_title(self):
        cases = {
            None: SHELL, "shell session": SHELL, "shop/models.py": FILE, "views.py": FILE,
            "shop/tests.py": TEST, "test.py": TEST, "shop/tests/test_api.py": TEST,
            "shop/tests/factories.py": FILE, "config/settings.py": SETTINGS,
            "settings.py": SETTINGS, "config/settings/prod.py": SETTINGS,
            "config/settings/test.py": SETTINGS,
        }
        for title, kind in cases.items():
            with self.subTest(title=title):
                self.assertEqual(step_kind(sample(title=title)), kind)

    def test_kinds_by_language(self):
        self.assertEqual(step_kind(sample("console")), COMMANDS)
        self.assertEqual(step_kind(sample("bash")), COMMANDS)
        self.assertEqual(step_kind(sample("pycon")), TRANSCRIPT)
        self.assertEqual(step_kind(sample("html+django", "shop/templates/x.html")), DATA)
        self.assertEqual(step_kind(sample("json", "shop/fixtures/a.json")), DATA)
        self.assertIsNone(step_kind(sample("html+django")))

    def test_release_lines(self):
        self.assertTrue(on_line(None, "5.2.19"))
        self.assertTrue(on_line("5.2", "5.2.19"))
        self.assertTrue(on_line("5.2", "5.2"))
        self.assertFalse(on_line("5.2", "5.20.1"))
        self.assertFalse(on_line("6.1", "5.2.19"))


class Commands(unittest.TestCase):
    def test_console_commands_and_their_shown_output(self):
        code = "$ python manage.py check\nSystem check identified no issues.\n$ ./manage.py x\n"
        commands, shown, at = parse_commands(code)
        self.assertEqual(commands, [(0, "python manage.py check"), (2, "./manage.py x")])
        self.assertEqual((shown, at), ("System check identified no issues.", 1))

    def test_bash_lines_are_all_commands_and_continuations_join(self):
        commands, shown, _ = parse_commands("# migrate\npython manage.py migrate \\\n  --plan\n")
        self.assertEqual(commands, [(1, "python manage.py migrate --plan")])
        self.assertIsNone(shown)

    def test_only_manage_py_runs(self):
        self.assertEqual(command_problem("python manage.py check"),
                         (None, "python manage.py check"))
        self.assertEqual(command_problem("DEBUG=0 python3 manage.py check; echo $?"),
                         (None, "DEBUG=0 python3 manage.py check; echo $?"))
        self.assertEqual(command_problem("DJANGO_SETTINGS_MODULE=config.settings.prod "
                                         "python manage.py check --deploy")[1],
                         "python manage.py check --deploy")
        self.assertIsNotNone(command_problem("django-admin startproject x")[0])
        self.assertIsNotNone(command_problem("rm -rf /")[0])
        self.assertIsNotNone(command_problem("python manage_py.py")[0])


class Layouts(unittest.TestCase):
    def test_apps_project_package_and_bare_names(self):
        layout = Layout([(FILE, "shop/models.py"), (SETTINGS, "config/settings.py"),
                         (FILE, "config/urls.py"), (TEST, "shop/tests/test_x.py"),
                         (FILE, "demo.py")])
        self.assertEqual(layout.apps, ["shop"])
        self.assertIn("config", layout.project_packages)
        self.assertEqual(layout.resolve(FILE, "demo.py"), "shop/demo.py")
        self.assertEqual(layout.resolve(SETTINGS, "settings.py"), "config/settings.py")

    def test_bare_names_go_to_app_when_there_is_not_exactly_one_app(self):
        layout = Layout([(FILE, "a/models.py"), (FILE, "b/models.py"), (FILE, "try_it.py")])
        self.assertEqual(layout.apps, ["a", "b", "app"])
        self.assertEqual(layout.resolve(FILE, "try_it.py"), "app/try_it.py")

    def test_a_settings_folder_or_wsgi_marks_the_project_package(self):
        layout = Layout([(SETTINGS, "site/settings/base.py"), (FILE, "proj/wsgi.py"),
                         (FILE, "shop/views.py")])
        self.assertEqual(layout.apps, ["shop"])
        self.assertTrue({"site", "proj", "config"} <= layout.project_packages)

    def test_non_python_files(self):
        layout = Layout([(DATA, "shop/templates/shop/list.html"), (DATA, "templates/base.html"),
                         (DATA, "catalog/fixtures/books.json"), (DATA, "docs/notes.txt"),
                         (FILE, "orders/views.py")])
        self.assertEqual(layout.apps, ["shop", "catalog", "orders"])
        self.assertEqual(layout.resolve(DATA, "templates/base.html"), "templates/base.html")
        self.assertEqual(layout.resolve(DATA, "requirements.txt"), "requirements.txt")
        for title in ("/etc/nginx/conf.d/app.conf (excerpt)", "../x.html", "manage.py",
                      "djguide_run/state.json"):
            with self.subTest(title=title), self.assertRaises(PathError):
                layout.resolve(DATA, title)

    def test_paths_that_cannot_be_written(self):
        layout = Layout([(FILE, "shop/views.py"), (FILE, "django/conf/global_settings.py"),
                         (FILE, "my-app/views.py")])
        for title in ("../x.py", "/etc/x.py", "djguide_run/x.py", "my-app/views.py",
                      "django/conf/global_settings.py"):
            with self.subTest(title=title), self.assertRaises(PathError):
                layout.resolve(FILE, title)

    def test_module_names(self):
        self.assertEqual(module_name("shop/tests/test_api.py"), "shop.tests.test_api")
        self.assertEqual(module_name("config/__init__.py"), "config")

    def test_what_restarts_a_live_shell(self):
        self.assertFalse(restarts_shell("shop/services.py", changed=False))
        self.assertTrue(restarts_shell("shop/services.py", changed=True))
        for path in ("shop/models.py", "shop/urls.py", "shop/templatetags/t.py",
                     "shop/management/commands/x.py", "shop/templates/a.html"):
            with self.subTest(path=path):
                self.assertTrue(restarts_shell(path, changed=False))


if __name__ == "__main__":
    unittest.main()
