"""The UNCRC reference data can be read in the admin but not changed; organisations can."""

import pytest
from django.urls import reverse

from consultations.models import CrcArticle

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(admin_client, settings):
    settings.STAFF_MFA_REQUIRED = False
    admin_client.cookies["django_language"] = "en"
    return admin_client


@pytest.mark.parametrize("model", ["crccluster", "crcarticle"])
def test_the_reference_data_can_be_browsed(admin, model):
    assert admin.get(reverse(f"admin:consultations_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["crccluster", "crcarticle"])
def test_the_reference_data_cannot_be_added_to(admin, model):
    assert admin.get(reverse(f"admin:consultations_{model}_add")).status_code == 403


def test_an_article_can_be_viewed_but_not_changed_or_deleted(admin):
    article = CrcArticle.objects.get(code="6(2)")
    change = reverse("admin:consultations_crcarticle_change", args=[article.pk])
    response = admin.get(change)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    admin.post(change, {"code": "6(9)", "title_en": "Changed"})
    assert CrcArticle.objects.get(pk=article.pk).title_en == "Survival and development"
    delete = reverse("admin:consultations_crcarticle_delete", args=[article.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 403


def test_a_cluster_page_lists_its_articles(admin):
    response = admin.get(reverse("admin:consultations_crccluster_change", args=["GP"]))
    assert "Respect for the views of the child" in response.content.decode()


def test_coordinators_are_chosen_with_the_two_list_selector(admin, organisation):
    response = admin.get(
        reverse("admin:consultations_memberorganisation_change", args=[organisation.pk])
    )
    assert response.status_code == 200
    assert 'class="selectfilter"' in response.content.decode()


def test_the_admin_pages_of_every_model_open(admin, campaign, organisation):
    for model in ["campaign", "memberorganisation", "invitelink"]:
        assert admin.get(reverse(f"admin:consultations_{model}_changelist")).status_code == 200
        assert admin.get(reverse(f"admin:consultations_{model}_add")).status_code == 200
