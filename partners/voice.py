"""Error messages in the service's own voice (GOV.UK style: "Enter the title", "Choose the
role", "First year must be 1998 or later"), never Django's defaults such as "This field is
required.". Every form of the apps derives from ``Form`` (or calls ``in_our_voice``); a message a
field sets itself is kept."""

import functools
import re

from django import forms
from django.core import validators
from django.forms.utils import pretty_name

_CHOICE_FIELDS = (forms.ChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField)


@functools.cache
def _django_defaults():
    messages = set()
    for module in (forms.fields, forms.models):
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, forms.Field):
                messages |= {str(message) for message in cls.default_error_messages.values()}
    for cls in vars(validators).values():
        if isinstance(cls, type) and isinstance(getattr(cls, "message", None), str):
            messages.add(str(cls.message))
    return messages


def is_django_default(message):
    return str(message) in _django_defaults() or str(message).startswith("Ensure this ")


def _words(label):
    """The label as a sentence's subject, and as its object after "Enter"/"Choose"."""
    label = re.sub(r"\s*\(optional\)$", "", str(label)).rstrip(":?.")
    lower = label[:1].lower() + label[1:]
    article = "" if lower.split(" ")[0] in {"the", "a", "an", "your", "its"} else "the "
    return label, article + lower


def our_messages(field, label):
    """The messages a field of this label gives, in the service's voice."""
    name, lower = _words(label)
    if isinstance(field, forms.FileField):
        return {
            "required": f"Choose {lower}",
            "missing": f"Choose {lower}",
            "invalid": f"Choose {lower} again: it did not arrive",
            "empty": f"{name} is empty",
            "contradiction": f"Choose {lower} or remove it, not both",
            "max_length": "The file's name must be %(max)d characters or fewer",
        }
    messages = {
        "required": f"Enter {lower}",
        "invalid": f"Enter {lower} in the correct format",
        "max_length": f"{name} must be %(limit_value)d characters or fewer",
        "min_length": f"{name} must be %(limit_value)d characters or more",
        "null_characters_not_allowed": f"{name} must not contain null characters",
        "max_value": f"{name} must be %(limit_value)s or less",
        "min_value": f"{name} must be %(limit_value)s or more",
        "step_size": f"{name} must be a multiple of %(limit_value)s",
        "max_digits": f"{name} must have %(max)s digits or fewer",
        "max_decimal_places": f"{name} must have %(max)s decimal places or fewer",
        "max_whole_digits": f"{name} must have %(max)s digits before the decimal point or fewer",
    }
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{name} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{name} must be a number"
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.com"
    elif isinstance(field, _CHOICE_FIELDS):
        messages |= {
            "required": f"Choose {lower}",
            "invalid_choice": f"Choose {lower} from the list",
            "invalid_list": f"Choose {lower} from the list",
            "invalid_pk_value": f"Choose {lower} from the list",
        }
    elif isinstance(field, forms.BooleanField):
        messages["required"] = f"Tick “{name}” to go on"
    return messages


def in_our_voice(form):
    """Replace every Django default message of the form's fields with one in our voice."""
    for name, field in form.fields.items():
        ours = our_messages(field, field.label or pretty_name(name))
        codes = set(field.error_messages) | {getattr(v, "code", None) for v in field.validators}
        for code in codes - {None}:
            current = field.error_messages.get(code)
            if code in ours and (current is None or is_django_default(current)):
                field.error_messages[code] = ours[code]


class Form(forms.Form):
    """A form whose fields speak in the service's voice (labels may change in ``__init__``,
    so the messages are set just before cleaning)."""

    def full_clean(self):
        in_our_voice(self)
        super().full_clean()
