import pytest

from config.exceptions import InvalidInputError
from consultations.services import member_organisation_create

pytestmark = pytest.mark.django_db


def test_it_makes_a_slug_from_the_name_and_names_the_coordinators(coordinator):
    organisation = member_organisation_create(name="Maison de Jeunes Les Tilleuls")
    assert organisation.slug == "maison-de-jeunes-les-tilleuls"
    assert organisation.is_active
    other = member_organisation_create(name="KRW Gent", coordinators=[coordinator])
    assert list(other.coordinators.all()) == [coordinator]


def test_it_refuses_a_name_in_use(organisation):
    with pytest.raises(InvalidInputError) as raised:
        member_organisation_create(name=organisation.name, slug="another-slug")
    assert raised.value.field == "name"
