"""Production mode: secure cookies, HSTS, the proxy header, HTTPS only, a strict CSP."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION = {
    "YIWANG_ENV": "production",
    "ALLOWED_HOSTS": "yiwang.example.cn",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-" + "x7Qp9zR2" * 4,
}


def run(*args, env=None):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_outside_production_mode():
    result = run("manage.py", "check", "--deploy", env={"YIWANG_ENV": "development"})
    for warning in ("W004", "W008", "W012", "W016"):
        assert warning in result.stderr + result.stdout


def test_production_settings():
    code = (
        "import json, django, os; os.environ['DJANGO_SETTINGS_MODULE']='yiwang.settings';"
        "django.setup(); from django.conf import settings as s;"
        "print(json.dumps([s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, list(s.SECURE_PROXY_SSL_HEADER),"
        " s.CSRF_TRUSTED_ORIGINS]))"
    )
    result = run("-c", code, env={**PRODUCTION, "YIWANG_DEBUG": "1"})
    assert json.loads(result.stdout) == [
        False,
        True,
        True,
        31536000,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        ["https://yiwang.example.cn"],
    ]


@pytest.mark.django_db
def test_every_page_carries_a_strict_content_security_policy(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|\son[a-z]+=|javascript:|<style|\sstyle=",
    re.IGNORECASE,
)


PDF_ONLY = ("licences/document.html", "indicators/report.html")


def test_no_template_served_to_a_browser_has_inline_script_or_style():
    offenders = []
    for template in (ROOT / "yiwang").rglob("templates/**/*.html"):
        if template.as_posix().endswith(PDF_ONLY):  # rendered by WeasyPrint, never served
            continue
        for number, line in enumerate(template.read_text().splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{template.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
