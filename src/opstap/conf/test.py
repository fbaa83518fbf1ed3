"""Test settings: the base settings with fast hashing and in-process background work."""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
OPSTAP_DEMO = False
# Explicitly off for unit tests (they log in with force_login); the second factor has its own
# tests that switch it on. Every other configuration has it on by default (R-SEC-3).
OPSTAP_REQUIRE_2FA = False
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]  # noqa: F405
