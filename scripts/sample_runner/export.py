"""Reading `samples.json` version 2 (written by `djguide samples --out DIR`) and
deciding what kind of step each `run` sample is."""

import fnmatch
import json
import os
import posixpath
from dataclasses import dataclass, field

# A sample's `kind`, from djguide's language table (`src/languages.rs`):
# samples.json gives it for every sample, so no alias list is kept here.
PYTHON_MODULE, PYTHON_CONSOLE, SHELL_SESSION = "python-module", "python-console", "shell"
LANGUAGES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "languages.json")

# Step kinds (docs/runnable-samples.md, "What a run sample is, by its title").
SHELL, TEST, SETTINGS, FILE, COMMANDS, TRANSCRIPT, DATA = (
    "shell", "test", "settings", "file", "commands", "transcript", "data")


class ExportError(Exception):
    pass


@dataclass
class Output:
    line: int
    django: str = None
    text: str = ""
    norun: str = None  # shown, not checked (a production log, say)


@dataclass
class Sample:
    index: int
    file: str
    source: str
    page: str
    line: int
    lang: str
    kind: str = "other"
    title: str = None
    run: bool = False
    norun: str = None
    sql: bool = False
    django: str = None
    outputs: list = field(default_factory=list)
    code: str = ""

    @property
    def is_python(self):
        return self.kind in (PYTHON_MODULE, PYTHON_CONSOLE)

    @property
    def where(self):
        return f"{self.source}:{self.line}"


@dataclass
class Page:
    source: str
    topic: str
    slug: str
    database: str = "sqlite"
    page_url: str = ""
    samples: list = field(default_factory=list)
    loose_outputs: list = field(default_factory=list)  # output fences with no sample before


@dataclass
class Export:
    folder: str
    verified_with: list
    pages: list


def _output(entry):
    return Output(line=entry["line"], django=entry.get("django"), text=entry.get("text", ""),
                  norun=entry.get("norun"))


def load(folder):
    path = os.path.join(folder, "samples.json")
    try:
        with open(path, encoding="utf-8") as handle:
            manifest = json.load(handle)
    except (OSError, ValueError) as error:
        raise ExportError(f"{path}: cannot read the export: {error}") from error
    if manifest.get("version") != 2:
        raise ExportError(
            f"{path}: samples.json version {manifest.get('version', 1)}; this runner "
            "reads version 2 (rebuild djguide and run `djguide samples --out DIR`)")
    pages = {}
    for entry in manifest.get("pages", []):
        pages[entry["source"]] = Page(
            source=entry["source"], topic=entry.get("topic", ""), slug=entry.get("slug", ""),
            database=entry.get("database") or "sqlite", page_url=entry.get("page_url", ""),
            loose_outputs=[_output(o) for o in entry.get("loose_outputs") or []])
    for index, entry in enumerate(manifest.get("samples", [])):
        page_source = entry.get("page") or entry["source"]
        page = pages.get(page_source)
        if page is None:
            folder_name = posixpath.basename(posixpath.dirname(page_source))
            slug = posixpath.splitext(posixpath.basename(page_source))[0]
            page = pages[page_source] = Page(source=page_source, topic=folder_name, slug=slug)
        with open(os.path.join(folder, entry["file"]), encoding="utf-8") as handle:
            code = handle.read()
        page.samples.append(Sample(
            index=index, file=entry["file"], source=entry["source"], page=page_source,
            line=entry["line"], lang=(entry.get("lang") or "").lower(), kind=entry["kind"],
            title=entry.get("title"), run=bool(entry.get("run")), norun=entry.get("norun"),
            sql=bool(entry.get("sql")), django=entry.get("django"),
            outputs=[_output(o) for o in entry.get("outputs") or []],
            code=code))
    return Export(folder=folder, verified_with=manifest.get("verified_with", []),
                  pages=list(pages.values()))


def on_line(attribute, version):
    """Whether a `django="5.2"` attribute (or none) applies to Django `version` (5.2.19)."""
    if not attribute:
        return True
    return version == attribute or version.startswith(attribute + ".")


def kind_of(lang):
    """The `kind` djguide exports for a language name, from scripts/languages.json
    (for building samples by hand, as the tests do)."""
    with open(LANGUAGES, encoding="utf-8") as handle:
        entry = json.load(handle).get(lang)
    return entry["kind"] if entry else "other"


def is_test_module(path):
    """Django's default test discovery pattern, `test*.py`."""
    return fnmatch.fnmatch(posixpath.basename(path), "test*.py")


def is_settings(path):
    parts = path.split("/")
    return parts[-1] == "settings.py" or "settings" in parts[:-1]


def step_kind(sample):
    """The kind of step a `run` sample is, or None when it cannot run."""
    if sample.kind == PYTHON_CONSOLE:
        return TRANSCRIPT
    if sample.kind == PYTHON_MODULE:
        title = (sample.title or "").strip()
        if not title.endswith(".py"):
            return SHELL
        # `config/settings/test.py` is the test settings, not a test module.
        if is_settings(title):
            return SETTINGS
        if is_test_module(title):
            return TEST
        return FILE
    if sample.kind == SHELL_SESSION:
        return COMMANDS
    if (sample.title or "").strip():
        return DATA  # a template, a JSON fixture: written at its path, not executed
    return None
