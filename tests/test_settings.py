"""Settings are read strictly: a typo in the environment stops the start instead of meaning "no"."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from csp.settings import env_bool

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("word", ["1", "true", "YES", " On ", "True"])
def test_env_bool_reads_the_words_for_yes(monkeypatch, word):
    monkeypatch.setenv("CSP_TEST_FLAG", word)
    assert env_bool("CSP_TEST_FLAG", False) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "OFF", "False "])
def test_env_bool_reads_the_words_for_no(monkeypatch, word):
    monkeypatch.setenv("CSP_TEST_FLAG", word)
    assert env_bool("CSP_TEST_FLAG", True) is False


def test_env_bool_unset_gives_the_default(monkeypatch):
    monkeypatch.delenv("CSP_TEST_FLAG", raising=False)
    assert env_bool("CSP_TEST_FLAG", True) is True
    assert env_bool("CSP_TEST_FLAG", False) is False


@pytest.mark.parametrize("word", ["ture", "y", "2", "", "enabled"])
def test_env_bool_refuses_anything_else_and_names_the_variable(monkeypatch, word):
    monkeypatch.setenv("CSP_TEST_FLAG", word)
    with pytest.raises(ImproperlyConfigured, match="CSP_TEST_FLAG"):
        env_bool("CSP_TEST_FLAG", False)


def test_a_typo_in_debug_stops_the_settings_loading():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "csp.settings", "DEBUG": "flase"}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", "import csp.settings"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be one of" in result.stderr


def _getattr_settings_calls(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "getattr"
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            yield f"{path.relative_to(ROOT)}:{node.lineno}"


def test_the_apps_read_only_settings_that_are_defined():
    """A switch read with ``getattr(settings, name, default)`` hides a missing or misspelt
    setting; every setting the apps read is defined, with its default, in csp/settings.py."""
    found = [
        hit
        for app in ("partners", "plans", "actions", "csp")
        for p in (ROOT / app).rglob("*.py")
        for hit in _getattr_settings_calls(p)
    ]
    assert found == []
