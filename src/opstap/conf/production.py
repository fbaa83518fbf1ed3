"""Production settings: the base settings, tightened, refusing unsafe values at start-up."""

from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import DEVELOPMENT_SECRET_KEY, SECRET_KEY, env_bool

DEBUG = env_bool("OPSTAP_DEBUG", default=False) or env_bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured(
        "DEBUG staat aan: production weigert te starten (zet OPSTAP_DEBUG=false)."
    )
WHITENOISE_USE_FINDERS = False  # production serves the collected, hashed files
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY ontbreekt of is de ontwikkelsleutel: production weigert te starten."
    )

OPSTAP_DEMO = False
OPSTAP_MOCK_OIDC = False  # the mock SSO/DigiD logins never run in production
OPSTAP_REQUIRE_2FA = env_bool("OPSTAP_REQUIRE_2FA", default=True)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
