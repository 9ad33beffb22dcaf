"""Logging filters, attached to the handlers in settings.LOGGING."""

import logging
import re

# A feed token sent as ``?token=`` (for tools that cannot send headers) is in the request
# line that runserver and some error messages log.
TOKEN_IN_QUERY = re.compile(r"(?i)\b(token=)[^&\s\"']+")


class RedactTokens(logging.Filter):
    """Replace the value of any ``token=`` in a log message with ``[redacted]``."""

    def filter(self, record):
        message = record.getMessage()
        if "token=" in message.lower():
            record.msg, record.args = TOKEN_IN_QUERY.sub(r"\1[redacted]", message), None
        return True
