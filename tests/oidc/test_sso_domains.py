"""The trusted domains: kept in lower case without @, edited by superusers in the Django admin, with history."""

import pytest
from django.db import IntegrityError

from partners.admin import SsoDomainForm
from partners.models import SsoDomain

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Hertsmere.GOV.uk", " @hertsmere.gov.uk "])
def test_the_admin_form_keeps_the_domain_in_lower_case_without_at(typed):
    form = SsoDomainForm({"domain": typed, "note": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["domain"] == "hertsmere.gov.uk"


@pytest.mark.parametrize("typed", ["alice@hertsmere.gov.uk", "localhost", "two words.uk"])
def test_the_admin_form_refuses_what_is_not_a_domain(typed):
    assert not SsoDomainForm({"domain": typed, "note": ""}).is_valid()


def test_the_database_refuses_upper_case_too():
    with pytest.raises(IntegrityError):
        SsoDomain.objects.create(domain="Hertsmere.gov.uk")


def test_a_domain_trusts_only_exact_addresses_in_it():
    SsoDomain.objects.create(domain="hertsmere.gov.uk")
    assert SsoDomain.objects.trusts("Ann@Hertsmere.gov.uk")
    assert not SsoDomain.objects.trusts("ann@evil-hertsmere.gov.uk")
    assert not SsoDomain.objects.trusts("ann@hertsmere.gov.uk.evil.example")
    assert not SsoDomain.objects.trusts("")


def test_superusers_add_a_domain_in_the_admin_and_it_is_in_the_history(client, superuser):
    client.force_login(superuser)
    response = client.post("/django-admin/partners/ssodomain/add/", {"domain": "Dacorum.gov.uk", "note": "Council"})
    assert response.status_code == 302
    assert SsoDomain.history.get().domain == "dacorum.gov.uk"


def test_partnership_admins_cannot_reach_the_domains(client, admin):
    client.force_login(admin)
    assert client.get("/django-admin/partners/ssodomain/").status_code == 302
