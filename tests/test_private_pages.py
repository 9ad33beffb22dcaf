"""Signed-in pages are never kept by shared browsers or proxies; public pages may be."""

from django.urls import reverse

from plans.publishing import plan_publish_public


def _cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_an_action_page_is_private_and_not_stored(client_for, officer, action):
    response = client_for(officer).get(reverse("actions:detail", args=[action.pk]))
    assert response.status_code == 200
    assert action.text in response.text
    assert {"private", "no-store"} <= _cache_control(response)


def test_a_signed_in_error_page_is_not_stored_either(client_for, outsider, action):
    response = client_for(outsider).get(reverse("actions:detail", args=[action.pk]))
    assert response.status_code == 404
    assert {"private", "no-store"} <= _cache_control(response)


def test_the_published_contacts_page_stays_cacheable_for_anonymous_visitors(client, partnership):
    partnership.contacts_public = True
    partnership.save(update_fields=["contacts_public"])
    response = client.get(reverse("partners:contacts", args=[partnership.slug]))
    assert response.status_code == 200
    assert partnership.name in response.text
    assert "no-store" not in _cache_control(response)


def test_a_published_plans_public_page_stays_cacheable_for_anonymous_visitors(client, plan, admin):
    plan_publish_public(plan=plan, by=admin)
    response = client.get(reverse("public:plan", args=[plan.partnership.slug, plan.slug]))
    assert response.status_code == 200
    assert plan.full_title in response.text
    assert "no-store" not in _cache_control(response)
    assert "public" in _cache_control(response)
