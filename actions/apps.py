from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ActionsConfig(AppConfig):
    name = "actions"

    def ready(self):
        # partners/ lists and hands over what a team owns without importing this app.
        from partners import ownership as partners_ownership

        from . import ownership

        partners_ownership.register(ownership)
        post_migrate.connect(_restore_search_triggers, sender=self)


def _restore_search_triggers(using, **kwargs):
    """On SQLite a migration that alters actions or updates copies the table into a new
    one, which drops the full-text index's triggers: put them back (``actions.fts``)."""
    from django.db import connections

    from . import fts

    fts.ensure_triggers(connections[using])
