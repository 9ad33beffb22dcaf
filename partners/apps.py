from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import lookups, twofactor

        lookups.register()  # ``field__among=[ids]``: one array parameter on PostgreSQL

        # Each sign-in decides whether a second factor is owed and notes the session.
        user_logged_in.connect(twofactor.signed_in, dispatch_uid="partners.twofactor.signed_in")
