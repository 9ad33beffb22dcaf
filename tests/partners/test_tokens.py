import pytest
from django.core.exceptions import ValidationError

from partners.models import ApiToken
from partners.token_services import MAX_ACTIVE_TOKENS, create_api_token


def test_user_creates_a_token_and_sees_it_once(client_for, chair):
    client = client_for(chair)
    response = client.post("/partners/tokens/new/", {"name": "Power BI"})
    token = ApiToken.objects.get(user=chair)
    assert token.prefix in response.content.decode() and "it will not be shown again" in response.content.decode()
    assert token.prefix in client.get("/account/").content.decode()


def test_token_needs_a_name(client_for, chair):
    response = client_for(chair).post("/partners/tokens/new/", {"name": ""})
    assert "There is a problem" in response.content.decode() and not ApiToken.objects.exists()


def test_account_page_lists_tokens_with_a_revoke_button(client_for, chair):
    create_api_token(user=chair, name="Power BI")
    page = client_for(chair).get("/account/").content.decode()
    assert "Power BI" in page and "Revoke" in page


def test_user_revokes_their_token(client_for, chair):
    token, _ = create_api_token(user=chair, name="Power BI")
    response = client_for(chair).post(f"/partners/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert response["Location"] == "/account/" and token.revoked_at is not None


def test_user_cannot_revoke_someone_elses_token(client_for, chair, officer):
    token, _ = create_api_token(user=officer, name="Theirs")
    assert client_for(chair).post(f"/partners/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_asks_first_and_says_it_cannot_be_undone(client_for, chair):
    token, _ = create_api_token(user=chair, name="Power BI")
    response = client_for(chair).get(f"/partners/tokens/{token.pk}/revoke/")
    assert response.status_code == 200
    assert "Revoke the token ‘Power BI’?" in response.text
    assert "This cannot be undone" in response.text
    token.refresh_from_db()
    assert token.revoked_at is None


def test_signed_out_visitor_cannot_create_tokens(client, db):
    assert client.post("/partners/tokens/new/", {"name": "x"}).status_code == 302


def test_a_user_with_the_most_tokens_allowed_is_told_to_revoke_one(client_for, chair):
    for n in range(MAX_ACTIVE_TOKENS):
        create_api_token(user=chair, name=f"Token {n}")
    response = client_for(chair).post("/partners/tokens/new/", {"name": "One more"})
    assert response.status_code == 200
    assert f"You have {MAX_ACTIVE_TOKENS} tokens; revoke one you no longer use first." in response.content.decode()
    assert ApiToken.objects.filter(user=chair).count() == MAX_ACTIVE_TOKENS


def test_the_token_service_refuses_a_token_beyond_the_limit(chair):
    for n in range(MAX_ACTIVE_TOKENS):
        create_api_token(user=chair, name=f"Token {n}")
    with pytest.raises(ValidationError, match="revoke one"):
        create_api_token(user=chair, name="One more")
