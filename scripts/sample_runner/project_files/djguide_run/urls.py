"""The root URLconf when a page shows no project `urls.py` of its own: the admin,
then every app's `urls.py` included at the site root, in INSTALLED_APPS order."""

import importlib.util

from django.apps import apps
from django.urls import include, path

urlpatterns = []

if apps.is_installed("django.contrib.admin"):
    from django.contrib import admin

    urlpatterns.append(path("admin/", admin.site.urls))

for _config in apps.get_app_configs():
    _module = f"{_config.name}.urls"
    if _config.name.startswith(("django.", "rest_framework")):
        continue
    if importlib.util.find_spec(_module) is not None:
        urlpatterns.append(path("", include(_module)))
