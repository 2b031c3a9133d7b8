"""Production settings refuse to start unsafely and switch on every protection."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_SETTINGS = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='casebridge.settings'; django.setup();"
    "from django.conf import settings as s;"
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.REQUIRE_MFA)"
)


def run_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "HTTPS"}}
    clean.update(env)
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", PRINT_SETTINGS],
        env=clean,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "casebridge.example"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "x" * 50}, "ALLOWED_HOSTS must be set"),
    ],
)
def test_production_refuses_to_start_without_required_settings(env, message):
    result = run_settings(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_turns_on_secure_cookies_hsts_https_and_mfa():
    result = run_settings({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "casebridge.example"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "31536000", "True", "True"]


def test_debug_mode_starts_without_a_secret_key_for_local_development():
    result = run_settings({"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "False"
