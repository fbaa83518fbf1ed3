"""The start-up of an app that registers with the foundation's registries.

Every app fills core's registries from its own modules: its scope policies (`access`,
`core.access.register_scope`), what retention anonymises of it (`anonymisers`,
`core.retention.register_anonymiser`) and its start-page panels (`home`,
`core.panels`). Importing those modules is the registration, so an app names them once in
`registers` and this base class imports them, in that order, when Django is ready.

An app's `apps.py` imports this module, not the class (``from opstap.core import
app_config``): Django picks the one `AppConfig` subclass defined in `apps.py`, and an
imported base class there would be a second candidate."""

from __future__ import annotations

from importlib import import_module
from typing import ClassVar

from django.apps import AppConfig

__all__ = ["RegisteringAppConfig"]


class RegisteringAppConfig(AppConfig):
    #: The app's modules that register with core when imported (e.g. "access", "home").
    registers: ClassVar[tuple[str, ...]] = ()

    def ready(self) -> None:
        for module in self.registers:
            import_module(f"{self.name}.{module}")
