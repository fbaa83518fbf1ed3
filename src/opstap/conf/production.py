"""Production settings: the base settings, tightened, refusing unsafe values at start-up.

Every refusal names the environment variable in Dutch, so whoever deploys knows what to set.
`docs/operations.md` lists every variable; a test holds that list to the settings.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .settings import *  # noqa: F403
from .settings import DATABASES, DEVELOPMENT_SECRET_KEY, SECRET_KEY, env, env_bool, env_list


def _refuse(variable: str, why: str) -> None:
    raise ImproperlyConfigured(f"{variable}: {why} Opstap (productie) weigert te starten.")


DEBUG = env_bool("OPSTAP_DEBUG", default=False) or env_bool("DEBUG", default=False)
if DEBUG:
    _refuse("DEBUG", "staat aan; zet OPSTAP_DEBUG en DEBUG op false.")
WHITENOISE_USE_FINDERS = False  # production serves the collected, hashed files
if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
    _refuse("SECRET_KEY", "ontbreekt, is de ontwikkelsleutel of is korter dan 50 tekens.")
if not env("DATABASE_URL"):
    _refuse("DATABASE_URL", "ontbreekt; productie draait op PostgreSQL (postgres://…).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    _refuse("DATABASE_URL", "wijst niet naar PostgreSQL; SQLite is alleen voor de demo.")
if not env("REDIS_URL"):
    _refuse(
        "REDIS_URL",
        "ontbreekt; sessies, tellingen en de cache moeten door alle webprocessen gedeeld "
        "worden (redis://…).",
    )
if not env("CELERY_BROKER_URL"):
    _refuse(
        "CELERY_BROKER_URL",
        "ontbreekt; achtergrondwerk (importen, exports, termijnmeldingen) loopt via een "
        "broker (redis://…).",
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    _refuse("ALLOWED_HOSTS", "ontbreekt of bevat '*'; noem de hostnamen van de site.")

# E-mails (termijnen, overdrachten, meldingen) link to the page they are about. Without the
# site's own address such a link is a bare path ("/klanten/29/") that no mail program opens.
OPSTAP_BASE_URL = env("OPSTAP_BASE_URL").rstrip("/")
if not OPSTAP_BASE_URL:
    _refuse(
        "OPSTAP_BASE_URL",
        "ontbreekt; links in e-mails hebben het adres van de site nodig (https://…).",
    )
_base = urlsplit(OPSTAP_BASE_URL)
if _base.scheme != "https" or not _base.hostname or _base.path or _base.query:
    _refuse(
        "OPSTAP_BASE_URL",
        f"'{OPSTAP_BASE_URL}' is geen adres als https://opstap.gemeente.nl; links in e-mails "
        "gaan alleen over HTTPS naar de site zelf.",
    )
if not validate_host(_base.hostname or "", ALLOWED_HOSTS):
    _refuse(
        "OPSTAP_BASE_URL",
        f"de host '{_base.hostname}' staat niet in ALLOWED_HOSTS; links in e-mails zouden naar "
        "een site wijzen die deze installatie weigert.",
    )

OPSTAP_DEMO = False
LOG_FORMAT = env("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = "json" if LOG_FORMAT == "json" else "plain"  # type: ignore[index]  # noqa: F405
OPSTAP_MOCK_OIDC = False  # the mock SSO/DigiD logins never run in production
OPSTAP_REQUIRE_2FA = env_bool("OPSTAP_REQUIRE_2FA", default=True)

# TLS: by default every plain-HTTP request is redirected to HTTPS. Behind a proxy or load
# balancer that terminates TLS, the proxy sets X-Forwarded-Proto: https (and nothing else may
# set it). The health endpoints answer over plain HTTP, so that probes need no certificate.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^readyz$"]
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
