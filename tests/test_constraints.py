"""Every database constraint of the domain model refuses a bad row, whatever wrote it.

The rows are written with ``objects.create`` / ``update``: no form or ``full_clean`` stands
between them and the database, so only the constraint can refuse them.
"""

import datetime

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.models import Action, MeasureValue, PerformanceMeasure
from partners.models import GovernanceGroup, Organisation, Partnership, ReminderPreference, Role, Team
from plans.models import (
    ActionPlan,
    CalendarFeedToken,
    MeetingPack,
    Priority,
    PublishedPlan,
    Recommendation,
    Review,
    Risk,
    RollOverJob,
    RoundSignOff,
    SentEmail,
    StatutoryDuty,
    StrategicAssessment,
    UpdateRound,
)
from tests import factories as f

TODAY = datetime.date(2026, 11, 22)


def refused(make_row):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_row()
    return True


# --- partners ---------------------------------------------------------------------------------


def test_partnership_update_interval_must_be_at_least_a_day(partnership):
    assert refused(lambda: Partnership.objects.filter(pk=partnership.pk).update(update_interval_days=0))


@pytest.mark.parametrize("field", ["suggest_red_milestones", "suggest_red_days_late", "suggest_target_near_days"])
def test_partnership_suggestion_thresholds_must_be_at_least_one(partnership, field):
    assert refused(lambda: Partnership.objects.filter(pk=partnership.pk).update(**{field: 0}))


@pytest.mark.parametrize("days", [0, 91])
def test_partnership_duty_reminder_days_must_be_one_to_ninety(partnership, days):
    assert refused(lambda: Partnership.objects.filter(pk=partnership.pk).update(duty_reminder_days=days))


def test_partnership_rollup_rule_must_be_a_known_rule(partnership):
    assert refused(lambda: Partnership.objects.filter(pk=partnership.pk).update(rollup_rule="average"))


def test_partnership_names_and_slugs_are_unique(partnership):
    assert refused(lambda: f.PartnershipFactory(name=partnership.name, slug="another"))
    assert refused(lambda: Partnership.objects.create(name="Another", short_name="A", slug=partnership.slug))


def test_organisation_names_are_unique_whatever_their_case(council):
    assert refused(lambda: Organisation.objects.create(name=council.name.upper()))


def test_organisation_names_that_differ_are_accepted(council):
    assert Organisation.objects.create(name=council.name + " (North)")


def test_membership_cannot_end_before_it_starts(partnership, police):
    assert refused(
        lambda: f.MembershipFactory(
            partnership=partnership,
            organisation=f.OrganisationFactory(),
            started_on=datetime.date(2024, 4, 1),
            ended_on=datetime.date(2024, 3, 31),
        )
    )


def test_membership_may_end_on_the_day_it_starts(partnership):
    day = datetime.date(2024, 4, 1)
    assert f.MembershipFactory(partnership=partnership, started_on=day, ended_on=day)


def test_membership_type_must_be_a_known_type(partnership):
    assert refused(lambda: f.MembershipFactory(partnership=partnership, type="honorary"))


def test_an_organisation_has_one_current_membership_of_a_partnership(partnership, council):
    assert refused(lambda: f.MembershipFactory(partnership=partnership, organisation=council))


def test_an_organisation_may_have_ended_memberships_besides_its_current_one(partnership, council):
    ended = f.MembershipFactory(
        partnership=partnership,
        organisation=council,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2020, 1, 1),
    )
    assert ended.pk


def test_team_names_are_unique_within_an_organisation_whatever_their_case(team):
    assert refused(lambda: Team.objects.create(organisation=team.organisation, name=team.name.lower()))


def test_two_organisations_may_have_teams_of_the_same_name(team, police):
    assert Team.objects.create(organisation=police, partnership=team.partnership, name=team.name)


def test_a_team_always_belongs_to_a_partnership(police):
    assert refused(lambda: Team.objects.create(organisation=police, name="Nobody's team"))


def test_a_partnership_grants_a_team_once(other_partnership, team):
    f.TeamGrantFactory(partnership=other_partnership, team=team)
    assert refused(lambda: f.TeamGrantFactory(partnership=other_partnership, team=team))


def test_governance_group_names_are_unique_within_a_partnership(partnership):
    f.GovernanceGroupFactory(partnership=partnership, name="Testshire JAG")
    assert refused(lambda: GovernanceGroup.objects.create(partnership=partnership, name="TESTSHIRE jag"))


def test_a_user_holds_one_role_per_partnership(officer, partnership):
    assert refused(lambda: Role.objects.create(user=officer, partnership=partnership, role=Role.Kind.CHAIR))


def test_a_role_must_be_officer_chair_or_admin(partnership):
    assert refused(lambda: f.RoleFactory(partnership=partnership, role="superhero"))


def test_invitation_and_token_hashes_are_unique(officer, partnership):
    from partners.models import ApiToken, Invitation

    expires = timezone.now() + datetime.timedelta(days=1)
    Invitation.objects.create(
        partnership=partnership, email="a@example.org", role="officer", token_hash="h" * 64, expires_at=expires
    )
    assert refused(
        lambda: Invitation.objects.create(
            partnership=partnership, email="b@example.org", role="officer", token_hash="h" * 64, expires_at=expires
        )
    )
    ApiToken.objects.create(user=officer, name="one", prefix="csp_a", token_hash="t" * 64)
    assert refused(lambda: ApiToken.objects.create(user=officer, name="two", prefix="csp_b", token_hash="t" * 64))


@pytest.mark.parametrize("domain", ["Hertsmere.gov.uk", "", "ann@hertsmere.gov.uk"])
def test_a_single_sign_on_domain_is_lower_case_without_at(db, domain):
    from partners.models import SsoDomain

    assert refused(lambda: SsoDomain.objects.create(domain=domain))


def test_a_provider_subject_links_one_account(officer, chair):
    from partners.models import SsoIdentity

    SsoIdentity.objects.create(user=officer, issuer="https://login.example", subject="s1")
    assert refused(lambda: SsoIdentity.objects.create(user=chair, issuer="https://login.example", subject="s1"))


# --- plans ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start_year", "end_year"),
    [(1990, 1994), (2025, 2024), (2020, 2031), (2101, 2102)],
    ids=["before-1998", "ends-before-start", "longer-than-ten-years", "after-2100"],
)
def test_strategy_years_must_be_sane(partnership, start_year, end_year):
    assert refused(lambda: f.StrategyFactory(partnership=partnership, start_year=start_year, end_year=end_year))


def test_a_ten_year_strategy_is_accepted(partnership):
    assert f.StrategyFactory(partnership=partnership, start_year=2020, end_year=2030)


@pytest.mark.parametrize(
    ("start_year", "end_year"),
    [(1997, 1998), (2025, 2024), (2024, 2026)],
    ids=["before-1998", "backwards", "two-years"],
)
def test_assessment_years_must_be_sane(partnership, start_year, end_year):
    assert refused(lambda: f.AssessmentFactory(partnership=partnership, start_year=start_year, end_year=end_year))


def test_a_partnership_has_one_assessment_per_year(partnership):
    f.AssessmentFactory(partnership=partnership, start_year=2024, end_year=2025)
    assert refused(lambda: StrategicAssessment.objects.create(partnership=partnership, start_year=2024, end_year=2024))


def test_risk_kind_must_be_top_or_emerging(partnership):
    assessment = f.AssessmentFactory(partnership=partnership)
    assert refused(lambda: Risk.objects.create(assessment=assessment, kind="imagined", text="Ghosts"))


@pytest.mark.parametrize(
    ("start_year", "end_year"),
    [(1997, 1998), (2025, 2024), (2020, 2026)],
    ids=["before-1998", "backwards", "six-years"],
)
def test_plan_years_must_be_sane(partnership, start_year, end_year):
    assert refused(
        lambda: ActionPlan.objects.create(
            partnership=partnership, slug="bad-years", start_year=start_year, end_year=end_year
        )
    )


def test_plan_status_must_be_draft_active_or_archived(plan):
    assert refused(lambda: ActionPlan.objects.filter(pk=plan.pk).update(status="forgotten"))


def test_plan_slugs_are_unique(plan):
    assert refused(lambda: f.PlanFactory(partnership=plan.partnership, slug=plan.slug, start_year=2026, end_year=2027))


def test_a_plan_has_one_current_public_page(plan):
    PublishedPlan.objects.create(plan=plan, snapshot={})
    assert PublishedPlan.objects.create(plan=plan, snapshot={}, is_current=False)
    assert refused(lambda: PublishedPlan.objects.create(plan=plan, snapshot={}))


def test_a_withdrawn_public_page_is_not_current(plan):
    assert refused(lambda: PublishedPlan.objects.create(plan=plan, snapshot={}, withdrawn_at=timezone.now()))


def test_priority_numbers_are_unique_within_a_plan(priority):
    assert refused(lambda: Priority.objects.create(plan=priority.plan, number=priority.number, title="Again"))


def test_two_plans_may_both_have_a_priority_one(priority, partnership):
    other_plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    assert Priority.objects.create(plan=other_plan, number=priority.number, title="Same number")


def test_priority_numbers_start_at_one(plan):
    assert refused(lambda: Priority.objects.create(plan=plan, number=0, title="Zero"))


# --- actions ----------------------------------------------------------------------------------


def test_action_rag_must_be_a_known_rating(action):
    assert refused(lambda: Action.objects.filter(pk=action.pk).update(rag="purple"))


def test_action_status_must_be_a_known_status(action):
    assert refused(lambda: Action.objects.filter(pk=action.pk).update(status="pending"))


def test_action_marking_must_be_official_or_official_sensitive(action):
    assert refused(lambda: Action.objects.filter(pk=action.pk).update(marking="secret"))


def test_action_references_are_unique(action):
    assert refused(lambda: f.ActionFactory(issue=action.issue, reference=action.reference))


def test_update_rag_must_be_a_known_rating(action):
    assert refused(lambda: f.UpdateFactory(action=action, rag="purple"))


def test_update_previous_rag_must_be_empty_or_a_known_rating(action):
    assert refused(lambda: f.UpdateFactory(action=action, previous_rag="purple"))


def test_update_suggested_rag_must_be_empty_or_a_known_rating(action):
    assert refused(lambda: f.UpdateFactory(action=action, suggested_rag="purple"))


def test_update_marking_must_be_official_or_official_sensitive(action):
    assert refused(lambda: f.UpdateFactory(action=action, marking="top_secret"))


def test_update_cannot_be_dated_after_the_day_it_was_written(action):
    assert refused(lambda: f.UpdateFactory(action=action, date=TODAY + datetime.timedelta(days=1), written_on=TODAY))


def test_update_may_be_back_dated(action):
    assert f.UpdateFactory(action=action, date=TODAY - datetime.timedelta(days=30), written_on=TODAY)


def test_measure_is_on_an_aim_or_a_priority_not_both(priority):
    aim = f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=priority.plan.partnership))
    assert refused(lambda: PerformanceMeasure.objects.create(aim=aim, priority=priority, name="Both"))


def test_measure_is_on_an_aim_or_a_priority_not_neither(db):
    assert refused(lambda: PerformanceMeasure.objects.create(name="Neither"))


def test_a_measure_has_one_value_per_period(priority):
    measure = f.MeasureFactory(priority=priority)
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2026, 4, 1), value=10)
    assert refused(
        lambda: MeasureValue.objects.create(measure=measure, period_start=datetime.date(2026, 4, 1), value=11)
    )


# --- update rounds and reminders ----------------------------------------------------------------


@pytest.fixture
def update_round(plan):
    meeting = f.MeetingFactory(partnership=plan.partnership)
    return UpdateRound.objects.create(meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=7))


def test_round_state_must_be_open_or_closed(update_round):
    assert refused(lambda: UpdateRound.objects.filter(pk=update_round.pk).update(state="paused"))


def test_round_deadline_must_be_after_it_opened(update_round):
    assert refused(lambda: UpdateRound.objects.filter(pk=update_round.pk).update(deadline=update_round.opened_at))


def test_a_closed_round_has_its_closing_time_and_an_open_one_none(update_round):
    assert refused(lambda: UpdateRound.objects.filter(pk=update_round.pk).update(state="closed"))
    assert refused(lambda: UpdateRound.objects.filter(pk=update_round.pk).update(closed_at=timezone.now()))


def test_a_person_signs_off_a_round_once(update_round, officer):
    RoundSignOff.objects.create(round=update_round, user=officer)
    assert refused(lambda: RoundSignOff.objects.create(round=update_round, user=officer))


def _sent(user, key, *, day=TODAY, is_reminder=True):
    return SentEmail.objects.create(user=user, kind="opening", key=key, is_reminder=is_reminder, day=day)


def test_an_email_is_recorded_once_per_person(officer):
    _sent(officer, "round-1-opening")
    assert refused(lambda: _sent(officer, "round-1-opening", day=TODAY + datetime.timedelta(days=1)))


def test_a_person_gets_one_reminder_a_day_but_any_number_of_notices(officer):
    _sent(officer, "round-1-opening")
    assert refused(lambda: _sent(officer, "round-2-opening"))
    assert _sent(officer, "round-1-pack", is_reminder=False)


def test_reminder_choice_must_be_weekly_or_none(officer):
    assert refused(lambda: ReminderPreference.objects.create(user=officer, stale_digest="daily"))


# --- reviews and recommendations -------------------------------------------------------------


@pytest.fixture
def recommendation(partnership, council):
    return f.RecommendationFactory(review=f.ReviewFactory(partnership=partnership), agency=council, number=1)


def test_a_review_reference_is_unique_within_a_partnership(recommendation, other_partnership):
    review = recommendation.review
    assert refused(lambda: f.ReviewFactory(partnership=review.partnership, reference=review.reference))
    assert f.ReviewFactory(partnership=other_partnership, reference=review.reference)


def test_a_review_status_must_be_a_known_status(recommendation):
    assert refused(lambda: Review.objects.filter(pk=recommendation.review_id).update(status="lost"))


def test_a_review_marking_must_be_official_or_official_sensitive(recommendation):
    assert refused(lambda: Review.objects.filter(pk=recommendation.review_id).update(marking="secret"))


def test_recommendation_numbers_are_unique_within_a_review(recommendation):
    assert refused(lambda: f.RecommendationFactory(review=recommendation.review, number=recommendation.number))


def test_recommendation_numbers_start_at_one(recommendation):
    assert refused(lambda: Recommendation.objects.filter(pk=recommendation.pk).update(number=0))


def test_a_recommendation_status_must_be_a_known_status(recommendation):
    assert refused(lambda: Recommendation.objects.filter(pk=recommendation.pk).update(status="forgotten"))


def test_a_recommendation_not_accepted_gives_its_reason(recommendation):
    assert refused(lambda: Recommendation.objects.filter(pk=recommendation.pk).update(status="not_accepted"))
    assert Recommendation.objects.filter(pk=recommendation.pk).update(status="not_accepted", reason="Superseded.")


def test_a_recommendation_note_marking_must_be_official_or_official_sensitive(recommendation):
    assert refused(lambda: f.RecommendationNoteFactory(recommendation=recommendation, marking="secret"))


def test_statutory_duty_kind_must_be_a_known_kind(partnership):
    assert refused(lambda: f.StatutoryDutyFactory(partnership=partnership, kind="party"))


def test_a_duty_not_done_has_no_evidence_nor_doer(partnership, officer):
    duty = f.StatutoryDutyFactory(partnership=partnership)
    assert refused(lambda: StatutoryDuty.objects.filter(pk=duty.pk).update(evidence="Minutes"))
    assert refused(lambda: StatutoryDuty.objects.filter(pk=duty.pk).update(done_by=officer))
    assert StatutoryDuty.objects.filter(pk=duty.pk).update(done_on=TODAY, done_by=officer, evidence="Minutes")


def test_a_standard_duty_is_due_once_a_date_but_other_duties_any_number(partnership):
    kind = StatutoryDuty.Kind.PLAN_REFRESH
    f.StatutoryDutyFactory(partnership=partnership, kind=kind, due_date=TODAY)
    assert refused(lambda: f.StatutoryDutyFactory(partnership=partnership, kind=kind, due_date=TODAY))
    f.StatutoryDutyFactory(partnership=partnership, due_date=TODAY)
    assert f.StatutoryDutyFactory(partnership=partnership, due_date=TODAY)


def test_a_person_has_one_active_calendar_feed_per_partnership(partnership, officer):
    def token():
        return CalendarFeedToken.objects.create(
            user=officer, partnership=partnership, token_hash=CalendarFeedToken.new_token()[1]
        )

    first = token()
    assert refused(token)
    CalendarFeedToken.objects.filter(pk=first.pk).update(revoked_at=timezone.now())
    assert token()


def test_a_pack_must_be_of_a_known_kind(plan):
    assert refused(lambda: MeetingPack.objects.create(kind="minutes", plan=plan))


def test_a_meeting_pack_has_its_meeting_and_a_scrutiny_pack_may_have_none(plan):
    assert refused(lambda: MeetingPack.objects.create(kind=MeetingPack.Kind.MEETING, plan=plan))
    assert MeetingPack.objects.create(kind=MeetingPack.Kind.SCRUTINY, plan=plan)


@pytest.fixture
def next_plan(partnership):
    return f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)


def test_a_roll_over_job_state_must_be_a_known_state(plan, next_plan):
    assert refused(lambda: RollOverJob.objects.create(plan=plan, target=next_plan, state="paused"))


def test_a_plan_has_one_roll_over_job_queued_or_running_at_a_time(plan, next_plan):
    first = RollOverJob.objects.create(plan=plan, target=next_plan)
    assert refused(lambda: RollOverJob.objects.create(plan=plan, target=next_plan, state="running"))
    RollOverJob.objects.filter(pk=first.pk).update(state="done", finished_at=timezone.now())
    assert RollOverJob.objects.create(plan=plan, target=next_plan)


def test_a_roll_over_job_carries_into_another_plan(plan):
    assert refused(lambda: RollOverJob.objects.create(plan=plan, target=plan))


def test_a_roll_over_job_has_its_end_time_once_ended_and_none_before(plan, next_plan):
    job = RollOverJob.objects.create(plan=plan, target=next_plan)
    assert refused(lambda: RollOverJob.objects.filter(pk=job.pk).update(state="failed"))
    assert refused(lambda: RollOverJob.objects.filter(pk=job.pk).update(finished_at=timezone.now()))
    assert RollOverJob.objects.filter(pk=job.pk).update(state="failed", finished_at=timezone.now())


# --- every constraint is tried above ----------------------------------------------------------

TRIED = {
    "partnership_update_interval_positive": test_partnership_update_interval_must_be_at_least_a_day,
    "partnership_suggest_thresholds_positive": test_partnership_suggestion_thresholds_must_be_at_least_one,
    "partnership_rollup_rule_valid": test_partnership_rollup_rule_must_be_a_known_rule,
    "partnership_duty_reminder_days_in_range": test_partnership_duty_reminder_days_must_be_one_to_ninety,
    "organisation_name_unique_ci": test_organisation_names_are_unique_whatever_their_case,
    "membership_ends_after_start": test_membership_cannot_end_before_it_starts,
    "membership_type_valid": test_membership_type_must_be_a_known_type,
    "membership_one_current_per_organisation": test_an_organisation_has_one_current_membership_of_a_partnership,
    "team_name_unique_in_organisation": test_team_names_are_unique_within_an_organisation_whatever_their_case,
    "team_grant_one_per_team": test_a_partnership_grants_a_team_once,
    "governance_group_name_unique": test_governance_group_names_are_unique_within_a_partnership,
    "role_one_per_partnership": test_a_user_holds_one_role_per_partnership,
    "role_kind_valid": test_a_role_must_be_officer_chair_or_admin,
    "strategy_years_sane": test_strategy_years_must_be_sane,
    "assessment_years_sane": test_assessment_years_must_be_sane,
    "assessment_one_per_year": test_a_partnership_has_one_assessment_per_year,
    "risk_kind_valid": test_risk_kind_must_be_top_or_emerging,
    "plan_years_sane": test_plan_years_must_be_sane,
    "plan_status_valid": test_plan_status_must_be_draft_active_or_archived,
    "priority_number_unique_in_plan": test_priority_numbers_are_unique_within_a_plan,
    "published_plan_one_current_per_plan": test_a_plan_has_one_current_public_page,
    "published_plan_withdrawn_not_current": test_a_withdrawn_public_page_is_not_current,
    "priority_number_positive": test_priority_numbers_start_at_one,
    "action_rag_valid": test_action_rag_must_be_a_known_rating,
    "action_status_valid": test_action_status_must_be_a_known_status,
    "action_marking_valid": test_action_marking_must_be_official_or_official_sensitive,
    "update_not_after_written": test_update_cannot_be_dated_after_the_day_it_was_written,
    "update_rag_valid": test_update_rag_must_be_a_known_rating,
    "update_previous_rag_valid": test_update_previous_rag_must_be_empty_or_a_known_rating,
    "update_suggested_rag_valid": test_update_suggested_rag_must_be_empty_or_a_known_rating,
    "update_marking_valid": test_update_marking_must_be_official_or_official_sensitive,
    "measure_on_aim_or_priority": test_measure_is_on_an_aim_or_a_priority_not_both,
    "measure_value_one_per_period": test_a_measure_has_one_value_per_period,
    "round_state_valid": test_round_state_must_be_open_or_closed,
    "round_deadline_after_opening": test_round_deadline_must_be_after_it_opened,
    "round_closed_when_closed_at": test_a_closed_round_has_its_closing_time_and_an_open_one_none,
    "round_sign_off_once": test_a_person_signs_off_a_round_once,
    "sent_email_once": test_an_email_is_recorded_once_per_person,
    "sent_email_one_reminder_a_day": test_a_person_gets_one_reminder_a_day_but_any_number_of_notices,
    "reminder_digest_valid": test_reminder_choice_must_be_weekly_or_none,
    "sso_domain_lower_case_without_at": test_a_single_sign_on_domain_is_lower_case_without_at,
    "sso_identity_unique_subject": test_a_provider_subject_links_one_account,
    "review_reference_unique": test_a_review_reference_is_unique_within_a_partnership,
    "review_status_valid": test_a_review_status_must_be_a_known_status,
    "review_marking_valid": test_a_review_marking_must_be_official_or_official_sensitive,
    "recommendation_number_unique": test_recommendation_numbers_are_unique_within_a_review,
    "recommendation_number_positive": test_recommendation_numbers_start_at_one,
    "recommendation_status_valid": test_a_recommendation_status_must_be_a_known_status,
    "recommendation_not_accepted_has_reason": test_a_recommendation_not_accepted_gives_its_reason,
    "recommendation_note_marking_valid": test_a_recommendation_note_marking_must_be_official_or_official_sensitive,
    "statutory_duty_kind_valid": test_statutory_duty_kind_must_be_a_known_kind,
    "statutory_duty_evidence_when_done": test_a_duty_not_done_has_no_evidence_nor_doer,
    "statutory_duty_once_a_date": test_a_standard_duty_is_due_once_a_date_but_other_duties_any_number,
    "calendar_token_one_active": test_a_person_has_one_active_calendar_feed_per_partnership,
    "pack_kind_valid": test_a_pack_must_be_of_a_known_kind,
    "meeting_pack_has_meeting": test_a_meeting_pack_has_its_meeting_and_a_scrutiny_pack_may_have_none,
    "roll_over_job_state_valid": test_a_roll_over_job_state_must_be_a_known_state,
    "roll_over_job_one_working_per_plan": test_a_plan_has_one_roll_over_job_queued_or_running_at_a_time,
    "roll_over_job_into_another_plan": test_a_roll_over_job_carries_into_another_plan,
    "roll_over_job_finished_when_ended": test_a_roll_over_job_has_its_end_time_once_ended_and_none_before,
}


def test_every_constraint_of_the_domain_model_is_tried_here():
    declared = {
        constraint.name
        for label in ("partners", "plans", "actions")
        for model in apps.get_app_config(label).get_models()
        for constraint in model._meta.constraints
    }
    assert declared - set(TRIED) == set()
