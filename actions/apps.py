from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"

    def ready(self):
        # partners/ lists and hands over what a team owns without importing this app.
        from partners import ownership as partners_ownership

        from . import ownership

        partners_ownership.register(ownership)
