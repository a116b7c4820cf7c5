import pytest

from config.exceptions import NotFoundError
from consultations.selectors import invite_link_get_active
from consultations.services import invite_link_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(campaign, organisation):
    return invite_link_create(campaign=campaign, organisation=organisation, label="Groep 3")


def test_it_finds_the_link_behind_a_code(link):
    assert invite_link_get_active(code=link.code) == link


def test_it_forgives_lower_case_spaces_and_dashes(link):
    typed = f" {link.code[:4].lower()}-{link.code[4:].lower()} "
    assert invite_link_get_active(code=typed) == link


@pytest.mark.parametrize("code", ["", "ABCD", "ZZZZZZZZ", "ZZZZZZZZZZZZ"])
def test_an_unknown_code_is_not_found(link, code):
    with pytest.raises(NotFoundError) as raised:
        invite_link_get_active(code=code)
    assert raised.value.field == "code"


def test_the_ids_of_a_link_alone_in_one_query(link, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = invite_link_get_active(code=link.code, ids_only=True)
        ids = (found.pk, found.campaign_id, found.organisation_id)

    assert ids == (link.pk, link.campaign_id, link.organisation_id)


def test_a_deactivated_link_is_not_found_by_its_ids_either(link):
    link.is_active = False
    link.save()

    with pytest.raises(NotFoundError):
        invite_link_get_active(code=link.code, ids_only=True)


def test_the_ids_only_link_holds_nothing_else(link, django_assert_num_queries):
    """Read by hand-written SQL (config.rows), yet an ordinary instance: its other fields are
    deferred, and reading one loads it as the ORM would."""
    found = invite_link_get_active(code=link.code, ids_only=True)

    assert found.get_deferred_fields() == {"label", "code", "is_active", "created_at"}
    with django_assert_num_queries(1):
        assert found.label == "Groep 3"
