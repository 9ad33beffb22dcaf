"""Template filters for performance measures: ``{% load measure_tags %}``."""

from django import template

from plans.charts import format_number

register = template.Library()


@register.filter
def measure_number(value):
    """A measure's value without trailing zeros: Decimal("12.500") -> "12.5", 1234 -> "1,234"."""
    if value is None or value == "":
        return ""
    return format_number(value)
