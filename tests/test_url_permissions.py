"""Every URL pattern × anonymous, outsider, officer, chair and administrator.

The patterns are read from the URLconf, so a new view without a row in ROWS fails
``test_every_url_pattern_has_a_row``. Each row says how to fill the pattern's
arguments from one shared data set, which methods the view accepts (the others
must answer 405) and what each kind of visitor gets for GET and, where the view accepts
POST, for a POST of a form holding nothing it expects (bad input: 400, or a redirect
for the buttons that need no field).

Statuses: 200/302/400/401/403/404/405 as the view answers; LOGIN is a redirect
to the sign-in page. An outsider (an administrator of another partnership) must
never learn that an object exists: 404 everywhere a slug or id is in the URL.
"""

import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from actions.models import Marking
from partners import services as partner_services
from partners.models import Role, TeamGrant, UserSession
from partners.token_services import create_api_token
from plans.models import MeetingPack, PdfRequest, RollOverJob, UpdateRound
from plans.publishing import plan_publish_public
from tests import factories as f

pytestmark = pytest.mark.django_db

LOGIN = "login"
ROLES = ["anonymous", "outsider", "officer", "chair", "admin"]

# Methods a view accepts; everything else must answer 405.
SAFE = ("GET", "HEAD")
GET_POST = ("GET", "HEAD", "POST")
POST = ("POST",)
# Django's FormView handles PUT as POST.
FORM_VIEW = ("GET", "HEAD", "POST", "PUT")
# Django's PasswordResetConfirmView answers a bad link before it looks at the method.
ANY = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")

# The Django admin checks staff status in one place (AdminSite.admin_view) for all its
# patterns; test_the_django_admin_is_closed_to_everyone_but_staff covers them as a group.
EXCLUDED_PREFIXES = ("django-admin/",)


def _all(status):
    return dict.fromkeys(ROLES, status)


def _signed_in(anonymous, outsider, officer, chair, admin):
    return {"anonymous": anonymous, "outsider": outsider, "officer": officer, "chair": chair, "admin": admin}


def member_page(outsider=404, officer=200, chair=200, admin=200):
    """A page behind sign-in and the partnership's membership."""
    return _signed_in(LOGIN, outsider, officer, chair, admin)


def admin_page(chair=403, officer=403, outsider=404):
    """A page for the partnership administrator only."""
    return _signed_in(LOGIN, outsider, officer, chair, 200)


def review_page(admin=200):
    """A page of one OFFICIAL-SENSITIVE review: its administrators and named readers only."""
    return _signed_in(LOGIN, 404, 404, 404, admin)


def post_only():
    """GET on a POST-only view: sign-in first, then 405 whoever asks."""
    return _signed_in(LOGIN, 405, 405, 405, 405)


# name: (kwargs from the data set, methods accepted, GET expectations, POST expectations or None
# when the view refuses POST)
ROWS = {
    # Site pages and signing in
    "home": ({}, SAFE, member_page(outsider=200), None),
    "healthz": ({}, ("GET",), _all(200), None),
    "robots_txt": ({}, SAFE, _all(200), None),
    "accessibility": ({}, SAFE, _all(200), None),
    "account": ({}, SAFE, member_page(outsider=200), None),
    "login": ({}, FORM_VIEW, _signed_in(200, 302, 302, 302, 302), _signed_in(200, 302, 302, 302, 302)),
    "logout": ({}, POST, _all(405), _all(302)),
    # Single sign-on: not found while it is off (tests/oidc cover it on); the refusal page for all.
    "oidc_authentication_init": ({}, SAFE, _all(404), None),
    "oidc_authentication_callback": ({}, SAFE, _all(404), None),
    "sso_refused": ({}, SAFE, _all(403), None),
    # The second factor (nobody in the data set owes one: the code pages send them on)
    "twofactor:verify": ({}, GET_POST, member_page(302, 302, 302, 302), member_page(302, 302, 302, 302)),
    "twofactor:recovery": ({}, GET_POST, member_page(302, 302, 302, 302), member_page(302, 302, 302, 302)),
    "twofactor:setup": ({}, GET_POST, member_page(outsider=200), member_page(400, 400, 400, 400)),
    # Without an authenticator there are no recovery codes to make: back to the account page.
    "twofactor:codes": ({}, GET_POST, member_page(302, 302, 302, 302), member_page(302, 302, 302, 302)),
    # Someone else's authenticator and the administrator's own session
    "twofactor:device_remove": (
        {"pk": "device"},
        GET_POST,
        member_page(404, 404, 404, 404),
        member_page(404, 404, 404, 404),
    ),
    "twofactor:passkey_remove": ({"pk": "passkey"}, GET_POST, member_page(*[404] * 4), member_page(*[404] * 4)),
    # Passkeys: django-otp-webauthn's JSON views, called by its script (a bad body is refused)
    "otp_webauthn:credential-registration-begin": ({}, POST, post_only(), member_page(200, 200, 200, 200)),
    "otp_webauthn:credential-registration-complete": ({}, POST, post_only(), member_page(400, 400, 400, 400)),
    "otp_webauthn:credential-authentication-begin": ({}, POST, post_only(), member_page(200, 200, 200, 200)),
    "otp_webauthn:credential-authentication-complete": ({}, POST, post_only(), member_page(400, 400, 400, 400)),
    "otp_webauthn:js-i18n-catalog": ({}, SAFE, _all(200), None),
    "twofactor:session_end": (
        {"pk": "user_session"},
        POST,
        post_only(),
        member_page(officer=404, chair=404, admin=302),
    ),
    "password_reset": ({}, FORM_VIEW, _all(200), _all(200)),
    "password_reset_done": ({}, SAFE, _all(200), None),
    "password_reset_confirm": ({"uidb64": "MQ", "token": "not-a-token"}, ANY, _all(200), _all(200)),
    "password_reset_complete": ({}, SAFE, _all(200), None),
    "password_change": ({}, FORM_VIEW, member_page(outsider=200), member_page(outsider=200)),
    "password_change_done": ({}, SAFE, member_page(outsider=200), None),
    # Plans
    "plans:list": ({}, SAFE, member_page(outsider=200), None),
    "plans:county": ({}, SAFE, member_page(outsider=200), None),
    "plans:detail": ({"slug": "plan"}, SAFE, member_page(), None),
    "plans:import_template": ({}, SAFE, member_page(outsider=200), None),
    "plans:import_new": ({"partnership_slug": "partnership"}, GET_POST, admin_page(), admin_page()),
    "plans:import_preview": (
        {"upload_id": "no-such-upload"},
        GET_POST,
        member_page(officer=404, chair=404, admin=404),
        member_page(officer=404, chair=404, admin=404),
    ),
    "plans:import_progress": (
        {"upload_id": "no-such-upload"},
        ("GET",),
        member_page(officer=404, chair=404, admin=404),
        None,
    ),
    "plans:import": ({"slug": "plan"}, GET_POST, admin_page(), admin_page()),
    "plans:export": ({"slug": "plan", "fmt": "xlsx"}, SAFE, member_page(), None),
    "plans:feed": ({"slug": "plan", "fmt": "csv"}, ("GET",), _all(401), None),
    "plans:dashboard": ({"slug": "plan"}, SAFE, member_page(), None),
    "plans:pdf": ({"slug": "plan"}, GET_POST, member_page(), member_page()),
    # Any member may have a big PDF prepared; only the person who asked (the chair here) sees it.
    "plans:pdf_prepare": ({"slug": "plan"}, POST, post_only(), member_page(officer=302, chair=302, admin=302)),
    "plans:pdf_request": ({"slug": "plan", "pk": "pdf_request"}, SAFE, member_page(officer=404, admin=404), None),
    "plans:pdf_request_download": (
        {"slug": "plan", "pk": "pdf_request"},
        SAFE,
        member_page(officer=404, admin=404),
        None,
    ),
    "plans:pdf_request_try_again": (
        {"slug": "plan", "pk": "pdf_request"},
        POST,
        post_only(),
        member_page(officer=404, chair=302, admin=404),
    ),
    "plans:meetings": ({"slug": "plan"}, GET_POST, member_page(), member_page(officer=403, chair=400, admin=400)),
    "plans:meeting": ({"slug": "plan", "meeting_id": "meeting"}, SAFE, member_page(), None),
    "plans:pack_create": (
        {"slug": "plan", "meeting_id": "meeting"},
        POST,
        post_only(),
        member_page(officer=403, chair=302, admin=302),
    ),
    "plans:pack": ({"slug": "plan", "meeting_id": "meeting", "pack_id": "pack"}, SAFE, member_page(), None),
    "plans:pack_download": (
        {"slug": "plan", "meeting_id": "meeting", "pack_id": "pack"},
        SAFE,
        member_page(officer=403),
        None,
    ),
    # The scrutiny pack: chairs and admins produce it; it is OFFICIAL, so members follow and download it.
    "plans:scrutiny": (
        {"slug": "plan"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=400, admin=400),
    ),
    "plans:scrutiny_pack": ({"slug": "plan", "pack_id": "scrutiny_pack"}, SAFE, member_page(), None),
    "plans:scrutiny_pack_download": ({"slug": "plan", "pack_id": "scrutiny_pack"}, SAFE, member_page(), None),
    # Reviews (issue 16): every member sees the list and the tracker (scoped to what they may
    # read); a review's pages are for administrators and named readers (the chair here is not
    # named, so gets 404 like the officer). Its recommendation has no evidence document yet.
    "plans:reviews": ({"slug": "partnership"}, SAFE, member_page(), None),
    "plans:review_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:review_tracker": ({"slug": "partnership"}, SAFE, member_page(), None),
    "plans:review_tracker_csv": ({"slug": "partnership"}, SAFE, member_page(), None),
    "plans:review": ({"slug": "partnership", "pk": "review"}, SAFE, review_page(), None),
    "plans:review_pdf": ({"slug": "partnership", "pk": "review"}, SAFE, review_page(), None),
    "plans:review_tracker_pdf": ({"slug": "partnership"}, SAFE, member_page(), None),
    "plans:review_edit": ({"slug": "partnership", "pk": "review"}, GET_POST, review_page(), review_page(400)),
    "plans:review_readers": ({"slug": "partnership", "pk": "review"}, GET_POST, review_page(), review_page(302)),
    "plans:recommendation_add": (
        {"slug": "partnership", "pk": "review"},
        GET_POST,
        review_page(),
        review_page(400),
    ),
    "plans:recommendation_edit": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        GET_POST,
        review_page(),
        review_page(400),
    ),
    "plans:recommendation_note_add": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        GET_POST,
        review_page(),
        review_page(400),
    ),
    "plans:recommendation_evidence": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        GET_POST,
        review_page(),
        review_page(400),
    ),
    "plans:recommendation_evidence_download": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        SAFE,
        review_page(404),
        None,
    ),
    # Nothing to accept yet: back to the review, saying why.
    "plans:recommendation_accept": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        POST,
        post_only(),
        review_page(302),
    ),
    "plans:recommendation_carry": (
        {"slug": "partnership", "pk": "review", "rec_pk": "recommendation"},
        GET_POST,
        review_page(),
        review_page(400),
    ),
    "plans:cycle": ({"slug": "partnership"}, SAFE, member_page(), None),
    # The statutory calendar: members read and subscribe; admins change duties; the owner
    # (the officer here) and admins mark done. The feed needs its secret address (none given: 404).
    "plans:calendar": ({"slug": "partnership"}, SAFE, member_page(), None),
    "plans:duty_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:duties_defaults": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:duty_edit": ({"slug": "partnership", "pk": "duty"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:duty_delete": ({"slug": "partnership", "pk": "duty"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "plans:duty_done": (
        {"slug": "partnership", "pk": "duty"},
        GET_POST,
        member_page(chair=403),
        member_page(chair=403, officer=400, admin=400),
    ),
    "plans:duty_not_done": (
        {"slug": "partnership", "pk": "duty"},
        POST,
        post_only(),
        member_page(chair=403, officer=302, admin=302),
    ),
    "plans:duty_repeat": (
        {"slug": "partnership", "pk": "duty"},
        GET_POST,
        member_page(chair=403),
        member_page(chair=403, officer=302, admin=302),
    ),
    "plans:calendar_subscribe": (
        {"slug": "partnership"},
        GET_POST,
        member_page(),
        member_page(officer=400, chair=400, admin=400),
    ),
    "plans:calendar_feed": ({"slug": "partnership"}, SAFE, _all(404), None),
    "plans:strategy_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:strategy_edit": (
        {"slug": "partnership", "pk": "strategy"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "plans:assessment_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:assessment": ({"slug": "partnership", "pk": "assessment"}, SAFE, member_page(), None),
    "plans:assessment_edit": (
        {"slug": "partnership", "pk": "assessment"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "plans:plan_from_assessment": (
        {"slug": "partnership", "pk": "assessment"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "plans:roll_over": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:roll_over_confirm": ({"slug": "plan"}, POST, post_only(), admin_page() | {"admin": 400}),
    "plans:roll_over_new_plan": ({"slug": "plan"}, POST, post_only(), admin_page() | {"admin": 302}),
    "plans:roll_over_progress": ({"slug": "plan", "pk": "roll_over_job"}, SAFE, admin_page(), None),
    "plans:archive": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    # Bulk changes: with nothing selected the administrator is sent back to the plan page.
    "plans:bulk": ({"slug": "plan"}, GET_POST, admin_page() | {"admin": 302}, admin_page() | {"admin": 302}),
    "plans:bulk_apply": ({"slug": "plan"}, POST, post_only(), admin_page() | {"admin": 302}),
    # The plan's structure and state; meetings changed. The removals and publishing refuse
    # (the priority has an issue, the issue an action, the meeting a pack, the plan is published).
    "plans:publish": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "plans:priority_add": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    # The public page (issue 16): the plan is published in the data set; anyone reads it.
    "plans:public_publish": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "plans:public_withdraw": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "public:index": ({"partnership_slug": "partnership"}, SAFE, _all(200), None),
    "public:plan": ({"partnership_slug": "partnership", "slug": "plan"}, SAFE, _all(200), None),
    "public:plan_csv": ({"partnership_slug": "partnership", "slug": "plan"}, SAFE, _all(200), None),
    "public:plan_json": ({"partnership_slug": "partnership", "slug": "plan"}, SAFE, _all(200), None),
    "plans:priority_edit": (
        {"slug": "plan", "pk": "priority"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "plans:priority_move": ({"slug": "plan", "pk": "priority"}, POST, post_only(), admin_page() | {"admin": 400}),
    "plans:priority_remove": (
        {"slug": "plan", "pk": "priority"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "plans:issue_add": ({"slug": "plan", "pk": "priority"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:issue_edit": ({"slug": "plan", "pk": "issue"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:issue_move": ({"slug": "plan", "pk": "issue"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "plans:issue_reorder": ({"slug": "plan", "pk": "issue"}, POST, post_only(), admin_page() | {"admin": 400}),
    "plans:issue_remove": ({"slug": "plan", "pk": "issue"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "plans:meeting_edit": (
        {"slug": "plan", "meeting_id": "meeting"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=400, admin=400),
    ),
    "plans:meeting_delete": (
        {"slug": "plan", "meeting_id": "meeting"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=302, admin=302),
    ),
    # Update rounds (issue 13): the data set's round is open; the officer owes its action.
    "plans:round_open": (
        {"slug": "plan", "meeting_id": "meeting"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=400, admin=400),
    ),
    "plans:round": ({"slug": "plan", "round_id": "round"}, SAFE, member_page(officer=403), None),
    "plans:round_chase": (
        {"slug": "plan", "round_id": "round"},
        POST,
        post_only(),
        member_page(officer=403, chair=302, admin=302),
    ),
    "plans:round_extend": (
        {"slug": "plan", "round_id": "round"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=400, admin=400),
    ),
    "plans:round_close": (
        {"slug": "plan", "round_id": "round"},
        GET_POST,
        member_page(officer=403),
        member_page(officer=403, chair=302, admin=302),
    ),
    "plans:round_mine": ({"slug": "plan", "round_id": "round"}, SAFE, member_page(), None),
    "plans:round_sign_off": (
        {"slug": "plan", "round_id": "round"},
        POST,
        post_only(),
        member_page(officer=400, chair=400, admin=400),
    ),
    # The note is optional: any POST answers "no change" (the chair edits no action).
    "plans:round_no_change": (
        {"slug": "plan", "round_id": "round", "action_id": "action"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=302, chair=403, admin=302),
    ),
    "partners:reminders": (
        {},
        GET_POST,
        member_page(outsider=200),
        member_page(outsider=400, officer=400, chair=400, admin=400),
    ),
    # Actions and measures
    "actions:mine": ({}, SAFE, member_page(outsider=200), None),
    "actions:detail": ({"pk": "action"}, GET_POST, member_page(), member_page(officer=400, chair=400, admin=400)),
    "actions:measure_list": ({"slug": "plan"}, SAFE, member_page(), None),
    "actions:measure_create": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "actions:measure_edit": ({"slug": "plan", "pk": "measure"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "actions:measure_remove": (
        {"slug": "plan", "pk": "measure"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "actions:measure_detail": ({"pk": "measure"}, SAFE, member_page(), None),
    "actions:measure_add_value": (
        {"pk": "measure"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:measure_values_csv": ({"pk": "measure"}, SAFE, member_page(), None),
    "actions:search": ({}, SAFE, member_page(outsider=200), None),
    "actions:edit": (
        {"pk": "action"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:history": ({"pk": "action"}, SAFE, member_page(), None),
    # Milestones: whoever may edit the action (its owning officer, the admin); the chair reads them
    "actions:milestone_add": (
        {"pk": "action"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:milestone_edit": (
        {"pk": "action", "milestone_pk": "milestone"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:milestone_done": (
        {"pk": "action", "milestone_pk": "milestone"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:milestone_delete": (
        {"pk": "action", "milestone_pk": "milestone"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=302, chair=403, admin=302),
    ),
    "actions:milestone_move": (
        {"pk": "action", "milestone_pk": "milestone"},
        POST,
        post_only(),
        member_page(officer=302, chair=403, admin=302),
    ),
    "actions:milestone_undo": (
        {"pk": "action", "milestone_pk": "milestone"},
        POST,
        post_only(),
        member_page(officer=302, chair=403, admin=302),
    ),
    "actions:update_edit": (
        {"pk": "action", "update_pk": "update"},
        GET_POST,
        member_page(chair=403),
        member_page(officer=400, chair=403, admin=400),
    ),
    "actions:update_delete": (
        {"pk": "action", "update_pk": "update"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    # Writing the plan's actions (issue 12)
    "actions:action_new": ({"slug": "plan"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "actions:action_propose": (
        {"slug": "plan"},
        GET_POST,
        member_page(chair=403, admin=403),
        member_page(officer=400, chair=403, admin=403),
    ),
    "actions:proposals": ({"slug": "plan"}, SAFE, admin_page(), None),
    # The data set's action is no proposal: nobody decides it.
    "actions:proposal_decide": (
        {"pk": "action"},
        GET_POST,
        admin_page() | {"admin": 403},
        admin_page() | {"admin": 403},
    ),
    "actions:move": ({"pk": "action"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "actions:reorder": ({"pk": "action"}, POST, post_only(), admin_page() | {"admin": 302}),
    "actions:close": ({"pk": "action"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "actions:reopen": ({"pk": "action"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    # The data set's action has an update, so it is not deleted.
    "actions:delete": ({"pk": "action"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    # Partners: directory, people, groups, tokens
    "partners:index": ({}, SAFE, member_page(outsider=302, officer=302, chair=302, admin=302), None),
    "partners:token_create": ({}, GET_POST, member_page(outsider=200), member_page(outsider=200)),
    "partners:token_revoke": (
        {"pk": "token"},
        GET_POST,
        member_page(officer=404, chair=404, admin=200),
        member_page(officer=404, chair=404, admin=302),
    ),
    "partners:people_index": ({}, SAFE, member_page(outsider=302, officer=404, chair=404, admin=302), None),
    "partners:invitation": ({"token": "invitation"}, GET_POST, _all(200), _all(400)),
    "partners:directory": ({"slug": "partnership"}, SAFE, member_page(), None),
    "partners:membership_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:settings": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 302}),
    "partners:membership_edit": (
        {"slug": "partnership", "pk": "membership"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:membership_end": (
        {"slug": "partnership", "pk": "membership"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:membership_reassign": (
        {"slug": "partnership", "pk": "membership"},
        POST,
        post_only(),
        admin_page() | {"admin": 302},
    ),
    "partners:organisation": ({"slug": "partnership", "pk": "organisation"}, SAFE, member_page(), None),
    "partners:organisation_edit": (
        {"slug": "partnership", "pk": "organisation"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:team_add": (
        {"slug": "partnership", "pk": "organisation"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:contact_add": (
        {"slug": "partnership", "organisation_pk": "organisation"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:team_edit": (
        {"slug": "partnership", "pk": "team"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:team_end": ({"slug": "partnership", "pk": "team"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:team_delete": (
        {"slug": "partnership", "pk": "team"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:team_reassign": ({"slug": "partnership", "pk": "team"}, POST, post_only(), admin_page() | {"admin": 400}),
    "partners:contact_edit": (
        {"slug": "partnership", "pk": "contact"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
    "partners:contact_delete": (
        {"slug": "partnership", "pk": "contact"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "partners:contact_restore": ({"slug": "partnership"}, POST, post_only(), admin_page() | {"admin": 302}),
    "partners:contacts": ({"slug": "partnership"}, SAFE, _signed_in(404, 404, 200, 200, 200), None),
    "partners:contacts_pdf": ({"slug": "partnership"}, SAFE, _signed_in(404, 404, 200, 200, 200), None),
    "partners:contacts_publish": ({"slug": "partnership"}, POST, post_only(), admin_page() | {"admin": 302}),
    "partners:people": ({"slug": "partnership"}, SAFE, admin_page(), None),
    "partners:invite": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:person": ({"slug": "partnership", "pk": "person"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:person_remove": (
        {"slug": "partnership", "pk": "person"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "partners:person_deactivate": (
        {"slug": "partnership", "pk": "person"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "partners:person_restore": (
        {"slug": "partnership", "pk": "person"},
        POST,
        post_only(),
        admin_page() | {"admin": 302},
    ),
    "partners:person_twofactor_reset": (
        {"slug": "partnership", "pk": "person"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "partners:person_reactivate": (
        {"slug": "partnership", "pk": "person"},
        POST,
        post_only(),
        admin_page() | {"admin": 302},
    ),
    "partners:grant_restore": ({"slug": "partnership"}, POST, post_only(), admin_page() | {"admin": 302}),
    "partners:grants": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:grant_revoke": (
        {"slug": "partnership", "pk": "grant"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 302},
    ),
    "partners:groups": ({"slug": "partnership"}, SAFE, member_page(), None),
    "partners:group_add": ({"slug": "partnership"}, GET_POST, admin_page(), admin_page() | {"admin": 400}),
    "partners:group_edit": (
        {"slug": "partnership", "pk": "group"},
        GET_POST,
        admin_page(),
        admin_page() | {"admin": 400},
    ),
}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name}" if pattern.name else None


def url_patterns():
    """(route, name) of every pattern in the URLconf, except the excluded groups."""
    return [(r, n) for r, n in _walk(get_resolver().url_patterns) if not r.startswith(EXCLUDED_PREFIXES)]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One partnership with one of everything, its five kinds of visitor, and the ids
    the URL patterns take; rolled back at the end of the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        partnership = f.PartnershipFactory(short_name="Tableshire", slug="tableshire")
        other = f.PartnershipFactory(short_name="Elsewhere", slug="elsewhere")
        council = f.OrganisationFactory(name="Tableshire Council")
        membership = f.MembershipFactory(partnership=partnership, organisation=council)
        team = f.TeamFactory(name="Community Safety Team", organisation=council, partnership=partnership)
        plan = f.PlanFactory(partnership=partnership, slug="tableshire-2025-2026")
        priority = f.PriorityFactory(plan=plan)
        issue = f.IssueFactory(priority=priority)
        action = f.ActionFactory(issue=issue, owner_teams=[team])
        users = {
            "officer": f.UserFactory(username="t-officer", teams=[team]),
            "chair": f.UserFactory(username="t-chair"),
            "admin": f.UserFactory(username="t-admin"),
            "outsider": f.UserFactory(username="t-outsider"),
        }
        for kind in ("officer", "chair", "admin"):
            f.RoleFactory(user=users[kind], partnership=partnership, role=kind)
        f.RoleFactory(user=users["outsider"], partnership=other, role=Role.Kind.ADMIN)
        update = f.UpdateFactory(action=action, author=users["officer"])
        plan_publish_public(plan=plan, by=users["admin"])
        measure = f.MeasureFactory(priority=priority)
        meeting = f.MeetingFactory(partnership=partnership)
        pack = MeetingPack.objects.create(
            meeting=meeting,
            plan=plan,
            state=MeetingPack.State.DONE,
            file="packs/tableshire/pack.pdf",
            marking=Marking.OFFICIAL_SENSITIVE.label,
        )
        update_round = UpdateRound.objects.create(meeting=meeting, deadline=timezone.now() + timedelta(days=7))
        update_round.plans.add(plan)
        update_round.actions.add(action)
        pdf_request = PdfRequest.objects.create(
            plan=plan,
            created_by=users["chair"],
            state=PdfRequest.State.DONE,
            file="packs/tableshire/pack.pdf",
            marking=Marking.OFFICIAL.label,
        )
        token, _ = create_api_token(user=users["admin"], name="Power BI")
        _, raw_invitation = partner_services.invitation_create(
            partnership=partnership,
            email="new.person@example.org",
            role=Role.Kind.OFFICER,
            invited_by=users["admin"],
            site_url="https://csp.example.org",
        )
        recommendation = f.RecommendationFactory(review=f.ReviewFactory(partnership=partnership), agency=council)
        ids = {
            "partnership": partnership.slug,
            "review": recommendation.review_id,
            "recommendation": recommendation.pk,
            "plan": plan.slug,
            "priority": priority.pk,
            "issue": issue.pk,
            "action": action.pk,
            "update": update.pk,
            "milestone": f.MilestoneFactory(action=action).pk,
            "measure": measure.pk,
            "meeting": meeting.pk,
            "pack": pack.pk,
            "pdf_request": pdf_request.pk,
            "roll_over_job": _finished_roll_over(plan, users["admin"]).pk,
            "scrutiny_pack": MeetingPack.objects.create(
                kind=MeetingPack.Kind.SCRUTINY,
                plan=plan,
                state=MeetingPack.State.DONE,
                file="packs/tableshire/pack.pdf",
                marking=Marking.OFFICIAL.label,
            ).pk,
            "round": update_round.pk,
            "strategy": f.StrategyFactory(partnership=partnership).pk,
            "assessment": f.RiskFactory(assessment=f.AssessmentFactory(partnership=partnership)).assessment_id,
            "organisation": council.pk,
            "membership": membership.pk,
            "team": team.pk,
            "person": users["officer"].pk,
            "contact": f.ContactFactory(partnership=partnership, organisation=council).pk,
            "group": f.GovernanceGroupFactory(partnership=partnership).pk,
            "token": token.pk,
            "invitation": raw_invitation,
            "device": TOTPDevice.objects.create(user=f.UserFactory(username="t-phone"), name="Phone").pk,
            "passkey": WebAuthnCredential.objects.create(
                user=f.UserFactory(username="t-passkey"), name="Laptop", credential_id=b"t", public_key=b"k"
            ).pk,
            "user_session": UserSession.objects.create(user=users["admin"], session_key="t-admin-elsewhere").pk,
            "duty": f.StatutoryDutyFactory(partnership=partnership, owner=users["officer"]).pk,
            "grant": TeamGrant.objects.create(
                partnership=partnership,
                team=f.TeamFactory(name="Elsewhere SNT", organisation=council, partnership=other),
                granted_by=users["admin"],
            ).pk,
        }
        yield {"users": users, "ids": ids, "elsewhere": _one_of_everything_in(other, users["outsider"])}
        transaction.set_rollback(True)


def _finished_roll_over(plan, asked_by):
    """A background roll-over of ``plan`` into a later plan of its partnership, done."""
    later = f.PlanFactory(partnership=plan.partnership, start_year=2030, end_year=2031, slug=f"{plan.slug}-later")
    return RollOverJob.objects.create(
        plan=plan, target=later, asked_by=asked_by, total=30, state="done", finished_at=timezone.now()
    )


def _one_of_everything_in(partnership, admin):
    """The same kinds of object in another partnership: ids to tamper with."""
    organisation = f.OrganisationFactory(name="Elsewhere Council")
    membership = f.MembershipFactory(partnership=partnership, organisation=organisation)
    team = f.TeamFactory(organisation=organisation, partnership=partnership)
    plan = f.PlanFactory(partnership=partnership, slug="elsewhere-2025-2026")
    priority = f.PriorityFactory(plan=plan)
    issue = f.IssueFactory(priority=priority)
    action = f.ActionFactory(issue=issue, owner_teams=[team])
    officer = f.UserFactory(username="e-officer", teams=[team])
    f.RoleFactory(user=officer, partnership=partnership, role=Role.Kind.OFFICER)
    meeting = f.MeetingFactory(partnership=partnership)
    update_round = UpdateRound.objects.create(meeting=meeting, deadline=timezone.now() + timedelta(days=7))
    update_round.plans.add(plan)
    update_round.actions.add(action)
    recommendation = f.RecommendationFactory(review=f.ReviewFactory(partnership=partnership), agency=organisation)
    return {
        "review": recommendation.review_id,
        "recommendation": recommendation.pk,
        "round": update_round.pk,
        "priority": priority.pk,
        "issue": issue.pk,
        "action": action.pk,
        "update": f.UpdateFactory(action=action, author=officer).pk,
        "milestone": f.MilestoneFactory(action=action).pk,
        "measure": f.MeasureFactory(priority=priority).pk,
        "meeting": meeting.pk,
        "pack": MeetingPack.objects.create(meeting=meeting, plan=plan, state=MeetingPack.State.DONE).pk,
        "pdf_request": PdfRequest.objects.create(plan=plan, created_by=admin, state=PdfRequest.State.DONE).pk,
        "roll_over_job": _finished_roll_over(plan, admin).pk,
        "scrutiny_pack": MeetingPack.objects.create(
            kind=MeetingPack.Kind.SCRUTINY, plan=plan, state=MeetingPack.State.DONE
        ).pk,
        "strategy": f.StrategyFactory(partnership=partnership).pk,
        "assessment": f.RiskFactory(assessment=f.AssessmentFactory(partnership=partnership)).assessment_id,
        "organisation": organisation.pk,
        "membership": membership.pk,
        "team": team.pk,
        "person": officer.pk,
        "contact": f.ContactFactory(partnership=partnership, organisation=organisation).pk,
        "group": f.GovernanceGroupFactory(partnership=partnership).pk,
        "token": create_api_token(user=admin, name="Elsewhere")[0].pk,
        "duty": f.StatutoryDutyFactory(partnership=partnership, owner=officer).pk,
        "grant": TeamGrant.objects.create(
            partnership=partnership,
            team=f.TeamFactory(organisation=organisation, partnership=f.PartnershipFactory(slug="thirdshire")),
        ).pk,
    }


@pytest.fixture(autouse=True)
def _pdf_in_process(settings):
    """A rendering child could not see the test database (tests/plans/test_pdf_child.py runs them)."""
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def pack_file(settings):
    """The pack's file under this test's MEDIA_ROOT, so the download has something to send."""
    path = settings.MEDIA_ROOT / "packs" / "tableshire" / "pack.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.7 pack")


def _url(world, name):
    kwargs, *_ = ROWS[name]
    return reverse(name, kwargs={k: world["ids"].get(v, v) for k, v in kwargs.items()})


def _client_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["users"][role])
    return client


def _check(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")
    else:
        assert response.status_code == expected


def test_every_url_pattern_has_a_row():
    names = {name for _, name in url_patterns()}
    assert None not in names, "every pattern needs a name to be checked"
    assert sorted(names - ROWS.keys()) == [], "add a row to ROWS for each new view"
    assert sorted(ROWS.keys() - names) == [], "remove the rows of views that are gone"


GET_CASES = [(name, role) for name in ROWS for role in ROLES]
POST_CASES = [(name, role) for name, row in ROWS.items() if "POST" in row[1] for role in ROLES]


@pytest.mark.parametrize(("name", "role"), GET_CASES, ids=[f"{n}-{r}" for n, r in GET_CASES])
def test_get(client, world, pack_file, name, role):
    _check(_client_as(client, world, role).get(_url(world, name)), ROWS[name][2][role])


@pytest.mark.parametrize(("name", "role"), POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_post_with_bad_input(client, world, name, role):
    # Not an empty POST: a view reading ``request.POST or None`` takes that for a GET.
    _check(_client_as(client, world, role).post(_url(world, name), {"unexpected": "x"}), ROWS[name][3][role])


@pytest.mark.parametrize("name", list(ROWS))
def test_methods_a_view_does_not_accept_answer_405(client, world, name):
    """Signed in as the administrator (anonymous for public pages, where the sign-in page
    sends a signed-in visitor away first), so only the method decides."""
    public = ROWS[name][2]["anonymous"] != LOGIN
    client = _client_as(client, world, "anonymous" if public else "admin")
    accepted = ROWS[name][1]
    refused = [m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m not in accepted]
    url = _url(world, name)
    assert {m: client.generic(m, url).status_code for m in refused} == dict.fromkeys(refused, 405)


def test_the_django_admin_is_closed_to_everyone_but_staff(client, world):
    """Every registered model's list, for each kind of visitor: sent to the admin's sign-in."""
    urls = [reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist") for m in admin.site._registry]
    urls.append(reverse("admin:index"))
    for role in ROLES:
        client.logout()
        visitor = _client_as(client, world, role)
        statuses = {url: visitor.get(url).status_code for url in urls}
        assert statuses == dict.fromkeys(urls, 302), role


# Content security policy: every HTML page carries the header, and every inline script
# or style carries this response's nonce, in a directive that allows that nonce.

INLINE = re.compile(r"<(script|style)\b([^>]*)>", re.IGNORECASE)
NONCE = re.compile(r"""\bnonce=["']([^"']*)["']""")
HTML_PAGES = [name for name, row in ROWS.items() if row[2]["admin"] == 200 and "GET" in row[1]]


def _directives(header):
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_pages_carry_the_policy_and_the_nonce(client, world, pack_file, name):
    public = ROWS[name][2]["anonymous"] == 200
    response = _client_as(client, world, "anonymous" if public else "admin").get(_url(world, name))
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        _assert_policy_and_nonces(response)


@pytest.mark.parametrize(("name", "role"), [("plans:detail", "outsider"), ("partners:people", "officer")])
def test_error_pages_carry_the_policy_and_the_nonce(client, world, name, role):
    response = _client_as(client, world, role).get(_url(world, name))
    assert response.status_code == ROWS[name][2][role]
    _assert_policy_and_nonces(response)


def _assert_policy_and_nonces(response):
    policy = _directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    html = response.content.decode()
    inline = [(tag.lower(), attrs) for tag, attrs in INLINE.findall(html) if "src=" not in attrs]
    assert inline, "base.html's inline script is missing"
    for tag, attrs in inline:
        nonce = NONCE.search(attrs)
        assert nonce and nonce.group(1), f"<{tag}{attrs}> has no nonce"
        assert f"'nonce-{nonce.group(1)}'" in policy[f"{tag}-src"], f"<{tag}> nonce is not this response's"


def test_each_response_gets_a_new_nonce(client, world):
    client = _client_as(client, world, "admin")
    nonces = [NONCE.search(client.get(reverse("account")).content.decode()).group(1) for _ in range(2)]
    assert nonces[0] != nonces[1]


def test_every_view_that_accepts_post_has_post_expectations():
    assert [n for n, row in ROWS.items() if ("POST" in row[1]) != (row[3] is not None)] == []


# Tampered ids: the administrator's own partnership or plan in the URL, an object of
# another partnership in place of its id. Every such URL must answer 404.

TAMPERABLE = {
    "action", "update", "measure", "meeting", "pack", "strategy", "assessment", "organisation",
    "membership", "team", "person", "contact", "group", "token", "priority", "issue", "round", "pdf_request", "duty",
    "milestone", "scrutiny_pack", "review", "recommendation", "roll_over_job",
}  # fmt: skip
TAMPERED = [name for name, (kwargs, *_) in ROWS.items() if TAMPERABLE & set(kwargs.values())]


def _tampered_url(world, name):
    kwargs, *_ = ROWS[name]
    ids = {k: world["elsewhere"][v] if v in TAMPERABLE else world["ids"].get(v, v) for k, v in kwargs.items()}
    return reverse(name, kwargs=ids)


@pytest.mark.parametrize("name", TAMPERED)
def test_an_id_from_another_partnership_is_not_found(client, world, name):
    client = _client_as(client, world, "admin")
    url = _tampered_url(world, name)
    response = client.get(url) if "GET" in ROWS[name][1] else client.post(url)
    assert response.status_code == 404, url
