import pytest

from config.exceptions import NotFoundError
from consultations.models import InviteLink
from consultations.selectors import invite_link_get_active
from consultations.services import invite_link_create, invite_link_deactivate

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(campaign, organisation) -> InviteLink:
    return invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")


def test_a_deactivated_link_no_longer_opens(link):
    invite_link_deactivate(invite_link=link)
    assert not link.is_active
    assert not InviteLink.objects.get(pk=link.pk).is_active
    with pytest.raises(NotFoundError):
        invite_link_get_active(code=link.code)


def test_deactivating_twice_changes_nothing(link):
    invite_link_deactivate(invite_link=link)
    invite_link_deactivate(invite_link=link)
    assert InviteLink.objects.filter(pk=link.pk, is_active=False).exists()
