import csv
import datetime
import io

import pytest

from actions.models import Marking
from actions.services import action_add_update
from partners.models import ApiToken
from partners.token_services import create_api_token, revoke_api_token


@pytest.fixture
def noted(action):
    action_add_update(action=action, text="Event held", rag="amber", date=datetime.date(2025, 5, 1))
    action_add_update(
        action=action, text="Named suspect", date=datetime.date(2025, 5, 2), marking=Marking.OFFICIAL_SENSITIVE
    )
    return action


def _get(client, plan, fmt, raw, *, query=False):
    url = f"/plans/{plan.slug}/feed/{fmt}"
    if query:
        return client.get(url, {"token": raw})
    return client.get(url, headers={"Authorization": f"Bearer {raw}"})


def test_feed_gives_actions_as_csv_with_a_bearer_token(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Power BI")
    response = _get(client, plan, "actions.csv", raw)
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert (response.status_code, row["Reference"], row["RAG"]) == (200, noted.reference, "Amber")


def test_feed_gives_json(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Power BI")
    data = _get(client, plan, "plan.json", raw).json()
    assert (data["plan"]["slug"], len(data["actions"]), len(data["updates"])) == (plan.slug, 1, 2)


def test_feed_accepts_the_token_in_the_query_string(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Excel")
    assert _get(client, plan, "updates.csv", raw, query=True).status_code == 200


def test_feed_leaves_out_sensitive_text_the_token_owner_may_not_read(client, other_officer, plan, noted):
    _, raw = create_api_token(user=other_officer, name="Mine")
    response = _get(client, plan, "updates.csv", raw)
    assert response.status_code == 200
    assert "Event held" in response.content.decode()
    assert "Named suspect" not in response.content.decode()


def test_feed_includes_sensitive_text_for_a_chair(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Mine")
    assert "Named suspect" in _get(client, plan, "updates.csv", raw).content.decode()


def test_feed_without_a_token_is_unauthorised(client, plan):
    response = client.get(f"/plans/{plan.slug}/feed/actions.csv")
    assert (response.status_code, response["WWW-Authenticate"]) == (401, 'Bearer realm="plan feed"')


def test_signed_in_session_alone_does_not_open_the_feed(client_for, chair, plan):
    assert client_for(chair).get(f"/plans/{plan.slug}/feed/actions.csv").status_code == 401


def test_wrong_token_is_unauthorised(client, chair, plan):
    create_api_token(user=chair, name="Mine")
    assert _get(client, plan, "actions.csv", "csp_wrong").status_code == 401


def test_revoked_token_stops_working_at_once(client, chair, plan):
    token, raw = create_api_token(user=chair, name="Mine")
    assert _get(client, plan, "actions.csv", raw).status_code == 200
    revoke_api_token(token=token)
    assert _get(client, plan, "actions.csv", raw).status_code == 401


def test_token_of_an_outsider_finds_no_plan(client, outsider, plan):
    _, raw = create_api_token(user=outsider, name="Mine")
    assert _get(client, plan, "actions.csv", raw).status_code == 404


def test_feed_records_when_the_token_was_last_used(client, chair, plan):
    token, raw = create_api_token(user=chair, name="Mine")
    _get(client, plan, "actions.csv", raw)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_the_hash_of_the_token_is_stored(chair):
    token, raw = create_api_token(user=chair, name="Mine")
    assert raw not in {token.token_hash, token.prefix} and ApiToken.objects.filter(token_hash=raw).count() == 0


def test_unknown_feed_format_is_not_found(client, chair, plan):
    _, raw = create_api_token(user=chair, name="Mine")
    assert _get(client, plan, "actions.parquet", raw).status_code == 404


def test_feed_gives_the_rollup_of_the_plan_its_priorities_and_issues(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Power BI")
    response = _get(client, plan, "rollup.csv", raw)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response.status_code == 200 and response["Referrer-Policy"] == "no-referrer"
    assert [row["level"] for row in rows] == ["plan", "priority", "issue"]
    assert (rows[0]["actions"], rows[0]["derived_rag"], rows[0]["derived_rule"]) == ("1", "amber", "worst")


def test_feed_json_carries_the_rollup(client, chair, plan, noted):
    _, raw = create_api_token(user=chair, name="Power BI")
    data = _get(client, plan, "plan.json", raw).json()
    assert data["rollup"][0]["level"] == "plan" and data["rollup"][0]["actions_amber"] == 1


def test_rollup_feed_needs_a_token(client, plan):
    assert client.get(f"/plans/{plan.slug}/feed/rollup.csv").status_code == 401
