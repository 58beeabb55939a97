"""A page's temporary Django project on disk: where each file step goes, which
folders are apps, and the state the project's settings read (state.json)."""

import importlib.util
import json
import os
import posixpath
import shutil
from pathlib import Path

from .export import DATA, FILE, SETTINGS, TEST

PROJECT_FILES = Path(__file__).resolve().parent / "project_files"
RUNNER_PACKAGE = "djguide_run"
# Folders that are the project package (settings, root URLconf, WSGI/ASGI), not
# apps. `config` is the guide's convention (`django-admin startproject config .`).
PROJECT_PACKAGE_DEFAULT = "config"
PROJECT_MARKERS = {"wsgi.py", "asgi.py"}
BARE_APP_FALLBACK = "app"
# A non-Python file at <folder>/<one of these>/... makes <folder> an app
# (`shop/templates/shop/list.html`); `templates/base.html` is the project's.
APP_RESOURCE_FOLDERS = {"templates", "static", "fixtures", "locale"}


class PathError(Exception):
    pass


def _shadows_installed(name, _cache={}):
    """Whether `name` is an installed module or regular package (a namespace
    package would not be shadowed, it would shadow nothing)."""
    if name not in _cache:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        _cache[name] = spec is not None and spec.origin not in (None, "namespace")
    return _cache[name]


def _clean(title):
    title = (title or "").strip().replace("\\", "/")
    while title.startswith("./"):
        title = title[2:]
    return title


class Layout:
    """Decided once per page from the titles of its file, test and settings steps."""

    def __init__(self, steps):
        titles = [(kind, _clean(title)) for kind, title in steps]
        self.project_packages = {PROJECT_PACKAGE_DEFAULT}
        for kind, title in titles:
            if "/" not in title:
                continue
            top = title.split("/")[0]
            if kind == SETTINGS or posixpath.basename(title) in PROJECT_MARKERS:
                self.project_packages.add(top)
        self.apps = []
        bare = False
        for kind, title in titles:
            parts = title.split("/")
            if kind == DATA:
                if len(parts) > 2 and parts[1] in APP_RESOURCE_FOLDERS and \
                        parts[0].isidentifier() and parts[0] not in self.project_packages \
                        and parts[0] not in self.apps:
                    self.apps.append(parts[0])
                continue
            if kind not in (FILE, TEST):
                continue
            if len(parts) == 1:
                bare = True
                continue
            if parts[0] not in self.project_packages and parts[0] not in self.apps:
                self.apps.append(parts[0])
        self.bare_app = None
        if bare:
            self.bare_app = self.apps[0] if len(self.apps) == 1 else BARE_APP_FALLBACK
            if self.bare_app not in self.apps:
                self.apps.append(self.bare_app)

    def resolve(self, kind, title):
        """The project-relative path a step's file is written to."""
        path = _clean(title)
        if kind == DATA:
            return self._resolve_data(title, path)
        if "/" not in path:
            if kind == SETTINGS:
                path = f"{PROJECT_PACKAGE_DEFAULT}/{path}"
            else:
                path = f"{self.bare_app}/{path}"
        parts = path.split("/")
        if path.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise PathError(f"the title `{title}` is not a path inside the project")
        # Migration modules are loaded by name (0003_backfill.py), never
        # imported with an import statement, so their file name may start
        # with a digit.
        is_migration = len(parts) > 1 and parts[-2] == "migrations"
        checked = parts[:-1] if is_migration else parts[:-1] + [parts[-1][:-3]]
        for part in checked:
            if not part.isidentifier():
                raise PathError(
                    f"`{title}` cannot be imported: `{part}` is not a Python identifier")
        if parts[0] == RUNNER_PACKAGE:
            raise PathError(f"`{title}`: `{parts[0]}` is reserved by the runner")
        if _shadows_installed(parts[0]):
            raise PathError(
                f"`{title}` would shadow the installed module `{parts[0]}` "
                "(show it with norun=\"...\" instead)")
        return path


    def _resolve_data(self, title, path):
        """A non-Python file: written at its path from the project root."""
        parts = path.split("/")
        if path.startswith("/") or any(part in ("", ".", "..") for part in parts) or \
                any(c.isspace() for c in path):
            raise PathError(f"the title `{title}` is not a path inside the project")
        if parts[0] == RUNNER_PACKAGE or path in ("manage.py", "db.sqlite3") or \
                parts[0] == "tmp":
            raise PathError(f"`{title}`: `{parts[0]}` is reserved by the runner")
        return path


def module_name(path):
    name = path[: -len(".py")].replace("/", ".")
    return name[: -len(".__init__")] if name.endswith(".__init__") else name


def _config_class(app):
    return "".join(c for c in app.title() if c != "_") + "Config"


class Project:
    def __init__(self, folder, layout, database, redis=None):
        self.folder = Path(folder)
        self.layout = layout
        self.written = {}  # path -> text, for what the page (or the runner) wrote
        self.state = {"apps": list(layout.apps), "root_urlconf": f"{RUNNER_PACKAGE}.urls",
                      "settings": [], "database": database, "redis": redis}

    def create(self, topic_settings=None):
        shutil.copytree(PROJECT_FILES, self.folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (self.folder / "tmp").mkdir()
        if topic_settings:
            label, text = topic_settings
            path = f"{RUNNER_PACKAGE}/topic_settings.py"
            (self.folder / path).write_text(text, "utf-8")
            self.state["settings"].append({"path": path, "label": label, "line": 1})
        for app in self.layout.apps:
            self.write(f"{app}/__init__.py", "")
            self.write(f"{app}/apps.py",
                       "from django.apps import AppConfig\n\n\n"
                       f"class {_config_class(app)}(AppConfig):\n"
                       '    default_auto_field = "django.db.models.BigAutoField"\n'
                       f'    name = "{app}"\n')
            self.write(f"{app}/migrations/__init__.py", "")
        self.save_state()

    @property
    def tmp(self):
        return self.folder / "tmp"

    def exists(self, path):
        return path in self.written

    def write(self, path, text):
        """Write a file, with an `__init__.py` in every folder above a module.
        Returns True when the path held other text before."""
        target = self.folder / path
        if path.endswith(".py"):
            parts = path.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                init = "/".join(parts[:depth]) + "/__init__.py"
                if init != path and init not in self.written:
                    (self.folder / init).parent.mkdir(parents=True, exist_ok=True)
                    (self.folder / init).write_text("", "utf-8")
                    self.written[init] = ""
        target.parent.mkdir(parents=True, exist_ok=True)
        changed = path in self.written and self.written[path] != text
        target.write_text(text, "utf-8")
        self.written[path] = text
        return changed

    def add_settings(self, path, label, line):
        self.state["settings"].append({"path": path, "label": label, "line": line})
        self.save_state()

    def drop_last_settings(self):
        self.state["settings"].pop()
        self.save_state()

    def set_root_urlconf(self, module):
        self.state["root_urlconf"] = module
        self.save_state()

    def save_state(self):
        target = self.folder / RUNNER_PACKAGE / "state.json"
        temporary = target.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.state, indent=1), "utf-8")
        os.replace(temporary, target)
