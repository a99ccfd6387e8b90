"""Each app that offers API endpoints has a module `waymark/<app>/api.py` with a
function `register(router)`; waymark/api/urls.py calls every one of them, so apps add
endpoints without editing a shared file."""

from __future__ import annotations

import importlib
from importlib.util import find_spec
from typing import Any

from django.apps import apps


def register_all(router: Any) -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("waymark.") or config.name == "waymark.api":
            continue
        module_name = f"{config.name}.api"
        if find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(router)
