import re

import pytest
from django.db import IntegrityError

from config.exceptions import ConflictError, InvalidInputError
from consultations import models
from consultations.models import InviteLink
from consultations.services import invite_link_create, invite_link_deactivate

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")


def test_it_issues_a_link_with_an_8_character_code_kids_cannot_misread(campaign, organisation):
    link = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert CODE.match(link.code)
    assert InviteLink.objects.get(code=link.code) == link
    assert link.is_active
    assert link.path == f"/j/{link.code}"


def test_it_gives_every_link_its_own_code(campaign, organisation):
    codes = {
        invite_link_create(campaign=campaign, organisation=organisation, label=f"Groep {n}").code
        for n in range(50)
    }
    assert len(codes) == 50
    assert all(CODE.match(code) for code in codes)


def test_it_draws_again_when_a_code_is_taken(campaign, organisation, monkeypatch):
    taken = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 1")
    draws = iter([taken.code, "ABCDEFGH"])
    monkeypatch.setattr(models, "generate_invite_code", lambda: next(draws))
    link = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 2")
    assert link.code == "ABCDEFGH"
    assert InviteLink.objects.count() == 2


def test_it_gives_up_after_five_taken_codes(campaign, organisation, monkeypatch):
    taken = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 1")
    monkeypatch.setattr(models, "generate_invite_code", lambda: taken.code)
    with pytest.raises(IntegrityError):
        invite_link_create(campaign=campaign, organisation=organisation, label="Groep 2")
    assert InviteLink.objects.count() == 1


def test_the_organisation_of_a_new_link_takes_part_in_the_campaign(campaign, organisation):
    assert not campaign.organisations.exists()
    invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert list(campaign.organisations.all()) == [organisation]


def test_it_tidies_the_label(campaign, organisation):
    link = invite_link_create(campaign=campaign, organisation=organisation, label="  Groep \n 3 ")
    assert link.label == "Groep 3"


def test_it_refuses_an_empty_label(campaign, organisation):
    with pytest.raises(InvalidInputError) as raised:
        invite_link_create(campaign=campaign, organisation=organisation, label="   ")
    assert raised.value.field == "label"
    assert not InviteLink.objects.exists()


def test_it_refuses_a_second_active_link_with_the_same_label(campaign, organisation):
    invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    with pytest.raises(ConflictError) as raised:
        invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert raised.value.field == "label"
    assert raised.value.message == (
        "This organisation already has an active invite link with this label for this campaign."
    )


def test_a_deactivated_link_can_be_replaced_under_the_same_label(campaign, organisation):
    old = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    invite_link_deactivate(invite_link=old)
    new = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert new.code != old.code


def test_another_organisation_may_use_the_same_label(campaign, organisation, other_organisation):
    invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    invite_link_create(campaign=campaign, organisation=other_organisation, label="Groep 3")
    assert InviteLink.objects.count() == 2


def test_it_refuses_a_closed_campaign(make_campaign, organisation):
    closed = make_campaign(status="closed")
    with pytest.raises(ConflictError) as raised:
        invite_link_create(campaign=closed, organisation=organisation, label="Groep 3")
    assert raised.value.message == "This campaign is closed; it takes no new invite links."


def test_it_refuses_an_organisation_that_is_no_longer_a_member(campaign, organisation):
    organisation.is_active = False
    organisation.save()
    with pytest.raises(InvalidInputError) as raised:
        invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert raised.value.field == "organisation"
    assert raised.value.message == "Chiro Gent is not an active member organisation."


def test_a_link_created_directly_also_gets_a_code(campaign, organisation):
    link = InviteLink.objects.create(campaign=campaign, organisation=organisation, label="X")
    assert CODE.match(link.code)


def test_the_absolute_url_uses_the_site_url(campaign, organisation, settings):
    settings.SITE_URL = "https://inspraak.example"
    link = invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")
    assert link.absolute_url() == f"https://inspraak.example/j/{link.code}"
