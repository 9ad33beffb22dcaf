"""Loaders that build data across every app: the real seed and the fictional demo.

They live above partners/, plans/ and actions/ so that each app imports only the apps
below it; their commands are in ``csp/management/commands/``.
"""
