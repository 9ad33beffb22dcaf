"""The review models: their marking is the actions' marking, and the default kinds exist."""

import importlib

from django.apps import apps

from actions.models import Marking
from plans.models import ReviewKind, ReviewMarking


def test_a_review_is_marked_with_the_same_values_as_an_action():
    assert ReviewMarking.choices == Marking.choices


def test_the_five_kinds_of_review_are_offered_to_every_partnership(partnership):
    # The migration made them; a transactional test run earlier may have flushed them, so the
    # migration's function runs again here (it adds only what is missing).
    importlib.import_module("plans.migrations.0004_reviews").add_default_kinds(apps, None)
    offered = ReviewKind.objects.offered_to(partnership)
    assert offered.filter(partnership__isnull=True).count() == 5
    assert offered.filter(name__startswith="Domestic Abuse Related Death Review").exists()
