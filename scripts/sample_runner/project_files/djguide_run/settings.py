"""Settings of a page's temporary project, written by the sample runner.

The base is what `startproject` generates, plus DRF, the page's apps and the
runner's database. Then the topic's `_run/settings.py` and the page's settings
steps run on top, in order, in this module's namespace; last, every database
alias is pointed at the page's own database. `state.json` (beside this file)
says which apps, settings steps and database the page has so far.
"""

import ast
import json
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

_STATE = json.loads((Path(__file__).resolve().parent / "state.json").read_text("utf-8"))

SECRET_KEY = "django-insecure-sample-runner-key-not-for-production-9f3c1e7a5b"

DEBUG = True

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    *(["django.contrib.postgres"] if _STATE["database"]["engine"] == "postgresql" else []),
    "rest_framework",
    "rest_framework.authtoken",
    *_STATE["apps"],
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = _STATE["root_urlconf"]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _database():
    spec = _STATE["database"]
    if spec["engine"] == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
    return {"ENGINE": "django.db.backends.postgresql", **spec["settings"]}


DATABASES = {"default": _database()}


def _apply(step):
    """Run one settings file in this module's namespace, as if it were this module
    (so `from .base import *` and `Path(__file__)` work as they would in the page's
    project)."""
    path = BASE_DIR / step["path"]
    namespace = globals()
    saved = {key: namespace.get(key) for key in ("__name__", "__file__", "__package__", "__spec__")}
    module = step["path"][: -len(".py")].replace("/", ".")
    namespace.update(__name__=module, __file__=str(path),
                     __package__=module.rpartition(".")[0], __spec__=None)
    tree = ast.parse(path.read_text("utf-8"), step.get("label") or str(path))
    ast.increment_lineno(tree, step.get("line", 1) - 1)
    try:
        exec(compile(tree, step.get("label") or str(path), "exec"), namespace)
    finally:
        namespace.update(saved)


for _step in _STATE["settings"]:
    _apply(_step)

# Every alias a page declares (a replica, say) is the page's own database; the
# others mirror `default` in tests, as a replica would.
DATABASES = {
    alias: {**_database(), **({} if alias == "default" else {"TEST": {"MIRROR": "default"}})}
    for alias in {"default": None, **(DATABASES if isinstance(DATABASES, dict) else {})}
}

# A page's Redis caches use the runner's throwaway Redis server (one database per
# page), whatever LOCATION the page wrote: `redis://redis:6379` in a settings
# sample is a production host that does not exist here.
_REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
if isinstance(globals().get("CACHES"), dict):
    for _cache in CACHES.values():
        if isinstance(_cache, dict) and _cache.get("BACKEND") == _REDIS_BACKEND:
            if not _STATE.get("redis"):
                from django.core.exceptions import ImproperlyConfigured

                raise ImproperlyConfigured(
                    "this page uses Redis: run the samples with --redis (scripts/run-samples.sh starts a server)")
            # A list is one primary and its replicas: all of them become the one server.
            _where = _cache.get("LOCATION")
            _cache["LOCATION"] = ([_STATE["redis"]] * len(_where) if isinstance(_where, list)
                                  else _STATE["redis"])
