"""Staff manage accounts in the admin by e-mail address; there is no username anywhere."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Sector, User
from tests.accounts.helpers import activate_totp

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long and unusual passphrase 7"


@pytest.fixture
def admin_client(client, make_user, settings):
    settings.STAFF_MFA_REQUIRED = False
    boss = make_user("boss@coalition.example", is_staff=True, is_superuser=True)
    client.force_login(boss)
    return client


def test_adding_a_user_asks_for_an_email_address_and_a_password(admin_client):
    page = admin_client.get(reverse("admin:accounts_user_add"))
    assert page.status_code == 200
    assert set(page.context["adminform"].form.fields) == {"email", "password1", "password2"}

    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "coordinator@chiro.example",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="coordinator@chiro.example")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff


def test_adding_a_user_refuses_an_address_that_differs_only_in_capitals(admin_client, expert):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"email": expert.email.upper(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact=expert.email).count() == 1


def test_the_change_page_shows_the_profile(admin_client, expert):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[expert.pk]))

    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert {"email", "full_name", "organisation", "sector", "expertise", "is_staff"} <= set(fields)
    assert "username" not in fields


def test_the_list_searches_name_email_and_organisation(admin_client, make_user):
    make_user("a@example.org", full_name="Ann Peeters", organisation="KU Leuven")
    make_user("b@example.org", full_name="Bert Janssens", organisation="Kinderrechtencommissariaat")
    changelist = reverse("admin:accounts_user_changelist")

    def found(query: str) -> set[str]:
        response = admin_client.get(changelist, {"q": query})
        return {user.email for user in response.context["cl"].result_list}

    assert found("peeters") == {"a@example.org"}
    assert found("b@example") == {"b@example.org"}
    assert found("kinderrechten") == {"b@example.org"}


def test_the_list_filters_on_staff_and_sector(admin_client, make_user):
    make_user("academic@example.org", sector=Sector.ACADEMIC)
    make_user("policy@example.org", sector=Sector.POLICY)
    changelist = reverse("admin:accounts_user_changelist")

    by_sector = admin_client.get(changelist, {"sector__exact": Sector.POLICY})
    staff = admin_client.get(changelist, {"is_staff__exact": "1"})

    assert [u.email for u in by_sector.context["cl"].result_list] == ["policy@example.org"]
    assert [u.email for u in staff.context["cl"].result_list] == ["boss@coalition.example"]


def test_the_list_shows_who_has_two_step_verification(admin_client, staff_user, expert):
    activate_totp(staff_user)

    response = admin_client.get(reverse("admin:accounts_user_changelist"))

    shown = {user.email: user.has_totp for user in response.context["cl"].result_list}
    assert shown[staff_user.email] is True
    assert shown[expert.email] is False
