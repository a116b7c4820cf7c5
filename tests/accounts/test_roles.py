"""Who is staff, coordinator or expert — the predicates every app asks."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from accounts.roles import (
    coordinator_organisations,
    has_totp,
    is_coordinator,
    is_expert,
    is_staff_member,
)
from tests.accounts.helpers import activate_totp

pytestmark = pytest.mark.django_db


def member_organisation(name: str, slug: str):
    # Through the app registry: consultations is written alongside accounts.
    MemberOrganisation = apps.get_model("consultations", "MemberOrganisation")
    return MemberOrganisation.objects.create(name=name, slug=slug)


class TestStaffMember:
    def test_a_staff_account_is_staff(self, staff_user):
        assert is_staff_member(staff_user)

    def test_an_expert_is_not_staff(self, expert):
        assert not is_staff_member(expert)

    def test_a_deactivated_staff_account_is_not_staff(self, staff_user):
        staff_user.is_active = False
        assert not is_staff_member(staff_user)

    def test_an_anonymous_visitor_is_not_staff(self):
        assert not is_staff_member(AnonymousUser())
        assert not is_staff_member(None)


class TestCoordinator:
    def test_a_user_named_on_an_organisation_coordinates_it_and_only_it(self, expert):
        chiro = member_organisation("Chiro", "chiro")
        member_organisation("Scouts", "scouts")
        chiro.coordinators.add(expert)

        assert is_coordinator(expert)
        assert list(coordinator_organisations(expert)) == [chiro]

    def test_a_user_can_coordinate_several_organisations(self, expert):
        chiro = member_organisation("Chiro", "chiro")
        scouts = member_organisation("Scouts", "scouts")
        chiro.coordinators.add(expert)
        scouts.coordinators.add(expert)

        assert set(coordinator_organisations(expert)) == {chiro, scouts}

    def test_a_user_named_nowhere_is_not_a_coordinator(self, expert, staff_user):
        member_organisation("Chiro", "chiro").coordinators.add(staff_user)

        assert not is_coordinator(expert)
        assert not coordinator_organisations(expert).exists()

    def test_an_anonymous_visitor_coordinates_nothing(self):
        member_organisation("Chiro", "chiro")

        assert not is_coordinator(AnonymousUser())
        assert not coordinator_organisations(AnonymousUser()).exists()

    def test_a_deactivated_coordinator_coordinates_nothing(self, expert):
        member_organisation("Chiro", "chiro").coordinators.add(expert)
        expert.is_active = False

        assert not is_coordinator(expert)


class TestExpert:
    def test_an_active_user_with_a_verified_address_is_an_expert(self, expert):
        assert is_expert(expert)

    def test_a_user_who_has_not_confirmed_the_address_is_not_an_expert(self, make_user):
        assert not is_expert(make_user("new@example.org", verified=False))

    def test_a_verified_address_that_is_not_the_primary_one_does_not_count(self, make_user):
        user = make_user("new@example.org", verified=False)
        EmailAddress.objects.create(user=user, email="old@example.org", verified=True)

        assert not is_expert(user)

    def test_a_deactivated_user_is_not_an_expert(self, expert):
        expert.is_active = False
        assert not is_expert(expert)

    def test_an_anonymous_visitor_is_not_an_expert(self):
        assert not is_expert(AnonymousUser())


class TestTwoStepVerification:
    def test_it_sees_an_authenticator_app_once_one_is_set_up(self, staff_user):
        assert not has_totp(staff_user)
        activate_totp(staff_user)
        assert has_totp(staff_user)
