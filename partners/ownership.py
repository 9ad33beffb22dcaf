"""What a team or an organisation owns in the apps above ``partners/``.

``partners/`` is the ground floor: it imports neither ``plans/`` nor ``actions/``. Its
directory pages still list the actions a team or an organisation owns and hand them to
another before a team is deleted or a membership ends. The app that owns actions answers
those questions: when it loads (``ActionsConfig.ready``) it registers an object, here the
module ``actions.ownership``, with these functions:

- ``owned_by_team(team)``: everything ``team`` owns, in any partnership's plans;
- ``open_owned_by_organisation(partnership, organisation)``: the open actions in
  ``partnership``'s plans owned by ``organisation`` or one of its teams;
- ``move_team_actions(*, partnership, team, to_team)`` and
  ``move_organisation_actions(*, partnership, organisation, to_organisation)``: hand over
  what is owned in ``partnership``'s plans that are not archived; return how many moved;
- ``withhold_texts(user, actions)``: mark those actions whose OFFICIAL-SENSITIVE text
  ``user`` may not read (the ``action_text`` template filter then prints a placeholder).
"""

from django.core.exceptions import ImproperlyConfigured

_registered = []


def register(ownership):
    """Make ``ownership`` the answer to what teams and organisations own (one per site)."""
    _registered[:] = [ownership]


def provider():
    if not _registered:
        raise ImproperlyConfigured("No installed app has registered what teams and organisations own.")
    return _registered[0]
