import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from roundtables.models import Roundtable


@pytest.mark.django_db
def test_a_roundtable_cannot_take_the_slug_of_the_my_registrations_page(make_roundtable):
    roundtable = make_roundtable()
    roundtable.slug = "mine"

    with pytest.raises(ValidationError) as error:
        roundtable.full_clean()
    assert "slug" in error.value.message_dict

    with pytest.raises(IntegrityError):
        Roundtable.objects.filter(pk=roundtable.pk).update(slug="mine")
