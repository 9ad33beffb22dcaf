"""Every form class and FilterSet the apps define, found by walking their modules (so a new
form is checked without anyone adding it to a list)."""

import copy
import importlib
import inspect
import pkgutil

import django_filters
from django import forms
from django.urls import get_resolver

APPS = ["partners", "plans", "actions"]
SKIP = (".migrations", ".management", ".admin")  # Django admin forms speak Django's voice


def app_modules():
    _ = get_resolver().url_patterns  # registers the project's URL converters before the apps' urls import
    for app in APPS:
        package = importlib.import_module(app)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if not any(part in info.name for part in SKIP):
                yield importlib.import_module(info.name)


def app_form_classes():
    """(dotted name, class) of each Form or FilterSet defined in the apps, once each."""
    seen = {}
    for module in app_modules():
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith(tuple(f"{app}." for app in APPS)):
                continue
            if issubclass(cls, forms.BaseForm | django_filters.FilterSet) and not cls.__name__.startswith("Base"):
                seen.setdefault(f"{cls.__module__}.{cls.__name__}", cls)
    return sorted(seen.items())


def form_fields(cls):
    """The fields a form class (or the form of a FilterSet) declares, by name."""
    if issubclass(cls, django_filters.FilterSet):
        # A filter caches its field on first use: build it on a copy, never on the class's own
        # filter, or every later FilterSet would share a field made before its querysets were set.
        return {name: copy.deepcopy(f).field for name, f in cls.base_filters.items()}
    return dict(cls.base_fields)


def app_date_fields():
    for name, cls in app_form_classes():
        for field_name, field in form_fields(cls).items():
            if isinstance(field, forms.DateField):
                yield f"{name}.{field_name}", field
