"""Test settings: the base settings with fast hashing and in-process background work."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OPSTAP_DEMO = False
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
