"""Path converters shared by every app's URLconf."""

from django.urls import register_converter

# The largest value of the BigAutoField primary keys (PostgreSQL's bigint).
MAX_ID = 2**63 - 1


class IdConverter:
    """``<id:pk>``: a database id. Numbers no key can hold do not match (404) instead of
    reaching the database, where PostgreSQL refuses them as out of range."""

    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
