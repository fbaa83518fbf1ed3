"""Production settings refuse unsafe values; `check --deploy` is clean there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[3]
GOOD_SECRET = "x" * 20 + "-production-secret-for-tests-only-" + "y" * 20
# What production requires besides the secret (settings are only loaded, nothing connects).
REQUIRED = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/opstap_unused",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/2",
    "ALLOWED_HOSTS": "opstap.example.org",
    "OPSTAP_BASE_URL": "https://opstap.example.org",
}


def _run(extra_env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "OPSTAP_DEBUG", "SECRET_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "opstap.conf.production", **REQUIRED, **extra_env})
    return subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=SRC,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_refuses_debug() -> None:
    result = _run({"DEBUG": "true", "SECRET_KEY": GOOD_SECRET}, "import django; django.setup()")
    assert result.returncode != 0
    assert "DEBUG: staat aan" in result.stderr


def test_production_refuses_development_secret() -> None:
    result = _run({}, "import django; django.setup()")
    assert result.returncode != 0
    assert "SECRET_KEY: ontbreekt" in result.stderr


def test_production_check_deploy_is_clean() -> None:
    result = _run(
        {"SECRET_KEY": GOOD_SECRET},
        "import django, sys; django.setup(); from django.core.management import call_command;"
        " call_command('check', '--deploy', '--fail-level', 'WARNING')",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "2FA" not in result.stderr


def test_production_enforces_two_factor_by_default() -> None:
    result = _run(
        {"SECRET_KEY": GOOD_SECRET},
        "import django; django.setup(); from django.conf import settings;"
        " print(settings.OPSTAP_REQUIRE_2FA, settings.SESSION_COOKIE_SECURE)",
    )
    assert result.stdout.strip() == "True True", result.stderr


def test_production_refuses_to_send_links_without_the_sites_address() -> None:
    """A notification e-mail carried '/klanten/29/' as its link when OPSTAP_BASE_URL was not
    set, and production started without it. Now start-up is refused, naming the variable."""
    result = _run(
        {"SECRET_KEY": GOOD_SECRET, "OPSTAP_BASE_URL": ""}, "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "OPSTAP_BASE_URL: ontbreekt" in result.stderr
    assert "weigert te starten" in result.stderr


def test_production_refuses_a_base_url_that_is_not_the_site_over_https() -> None:
    for bad, says in (
        ("http://opstap.example.org", "geen adres als https://"),
        ("opstap.example.org", "geen adres als https://"),
        ("https://opstap.example.org/klanten", "geen adres als https://"),
        ("https://elders.example.org", "staat niet in ALLOWED_HOSTS"),
    ):
        result = _run(
            {"SECRET_KEY": GOOD_SECRET, "OPSTAP_BASE_URL": bad}, "import django; django.setup()"
        )
        assert result.returncode != 0, bad
        assert "OPSTAP_BASE_URL: " in result.stderr and says in result.stderr, (bad, result.stderr)


def test_production_accepts_the_sites_address_and_links_e_mails_to_it() -> None:
    result = _run(
        {"SECRET_KEY": GOOD_SECRET, "OPSTAP_BASE_URL": "https://opstap.example.org/"},
        "import django; django.setup(); from opstap.notifications.services import _absolute;"
        " print(_absolute('/klanten/29/'))",
    )
    assert result.stdout.strip() == "https://opstap.example.org/klanten/29/", result.stderr
