"""Feed tokens sent in a query string never reach the app's own logs."""

import io
import logging
from contextlib import contextmanager

import pytest


@contextmanager
def _console_of(logger):
    """What the app's console handler (settings.LOGGING) writes for ``logger``."""
    handlers = logger.handlers if logger.handlers else logging.getLogger().handlers
    (handler,) = [h for h in handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


@pytest.mark.parametrize("name", ["django.server", "django.request"])
def test_a_logged_request_line_keeps_its_path_but_not_the_token(name):
    logger = logging.getLogger(name)
    with _console_of(logger) as out:
        logger.warning('"%s" %s', "GET /plans/p/feed/actions.csv?token=csp_S3cret-Value&x=1 HTTP/1.1", 200)
    assert "/plans/p/feed/actions.csv?token=[redacted]&x=1" in out.getvalue()
    assert "S3cret" not in out.getvalue()


def test_a_message_without_a_token_is_logged_as_it_was():
    logger = logging.getLogger("django.request")
    with _console_of(logger) as out:
        logger.warning("Not Found: %s", "/plans/p/feed/actions.csv?fmt=1")
    assert out.getvalue() == "Not Found: /plans/p/feed/actions.csv?fmt=1\n"
