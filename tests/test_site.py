import os
import secrets
import subprocess
import sys

from django.urls import reverse

from tests import factories as f


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_home_asks_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_home_lists_only_the_plans_of_the_users_partnerships(client_for, officer, plan, other_partnership):
    other_plan = f.PlanFactory(partnership=other_partnership, slug="otherton-2025-2026")
    response = client_for(officer).get(reverse("home"))
    assert plan.full_title in response.text
    assert other_plan.full_title not in response.text


def test_home_tells_a_user_without_a_role_what_to_do(client_for, db):
    response = client_for(f.UserFactory()).get(reverse("home"))
    assert "Ask your partnership administrator" in response.text


def _clean_env(**overrides):
    # The browser tests' DJANGO_ALLOW_ASYNC_UNSAFE must not leak into these production-mode checks.
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    return env | overrides


def _settings_import(env):
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'csp.settings'); django.setup()"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_settings_refuse_to_start_without_a_secret_when_debug_is_off():
    env = _clean_env(DEBUG="0")
    result = _settings_import(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_settings_start_with_a_secret_when_debug_is_off():
    env = _clean_env(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="example.org")
    assert _settings_import(env).returncode == 0


def test_deploy_check_is_clean_with_production_settings():
    env = _clean_env(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="csp.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
